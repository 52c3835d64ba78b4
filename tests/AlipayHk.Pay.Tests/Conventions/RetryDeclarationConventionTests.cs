using System.Reflection;
using AlipayHk.Pay.Payments;
using AlipayHk.Pay.Pipeline;
using Refit;

namespace AlipayHk.Pay.Tests.Conventions;

/// <summary>
/// Whether a gateway request may be retried is declared with the request, never inferred from its URL: every method of
/// every Refit interface of the SDK takes its operation's <see cref="GatewayRetry"/> as a request property. A new
/// endpoint that forgets it fails here and, at run time, is never retried.
/// </summary>
public sealed class RetryDeclarationConventionTests
{
    public static TheoryData<string> RefitMethods()
    {
        var data = new TheoryData<string>();
        foreach (MethodInfo method in RefitInterfaces().SelectMany(i => i.GetMethods()))
        {
            data.Add($"{method.DeclaringType!.Name}.{method.Name}");
        }

        return data;
    }

    [Fact]
    public void The_SDK_has_Refit_interfaces_for_its_token_and_payment_endpoints()
    {
        Assert.Equal(["IAlipayHkAuthApi", "IAlipayHkPaymentsApi"], RefitInterfaces().Select(t => t.Name).OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(RefitMethods))]
    public void Every_Refit_method_carries_its_retry_declaration_with_the_request(string name)
    {
        MethodInfo method = RefitInterfaces().SelectMany(i => i.GetMethods()).Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == name);

        Assert.NotNull(method.GetCustomAttribute<HttpMethodAttribute>());
        Assert.Contains(method.GetParameters(), p => p.ParameterType == typeof(GatewayRetry) && p.GetCustomAttribute<PropertyAttribute>()?.Key == GatewayRetry.Key);
    }

    [Fact]
    public void Only_queries_are_retryable_and_a_create_never_is()
    {
        Assert.True(QueryPayment.Operation.Retry.MayRetry);
        Assert.True(QueryPayment.Recovery.Retry.MayRetry);
        Assert.False(CreatePayment.Operation.Retry.MayRetry);
    }

    [Fact]
    public void A_request_without_a_declaration_or_with_another_value_under_the_key_is_never_retried()
    {
        using var bare = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/x");
        Assert.False(GatewayRetry.Allows(bare));
        bare.Options.Set(new HttpRequestOptionsKey<object>(GatewayRetry.Key), "yes");
        Assert.False(GatewayRetry.Allows(bare));
        bare.Options.Set(new HttpRequestOptionsKey<object>(GatewayRetry.Key), GatewayRetry.OnTransientFailure);
        Assert.True(GatewayRetry.Allows(bare));
    }

    private static IEnumerable<Type> RefitInterfaces() =>
        typeof(AlipayHkPayOptions).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.GetMethods().Any(m => m.GetCustomAttribute<HttpMethodAttribute>() is not null));
}
