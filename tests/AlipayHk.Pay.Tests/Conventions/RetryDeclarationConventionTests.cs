using System.Reflection;
using AlipayHk.Pay.Http;
using Refit;

namespace AlipayHk.Pay.Tests.Conventions;

/// <summary>
/// Whether a gateway request may be retried is declared with the request, never inferred from its URL: every method of
/// every Refit interface of the SDK carries <c>[GatewayRetry(...)]</c>. A new endpoint (a refund) that forgets it fails
/// here, and, at run time, is never retried.
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
    public void Every_Refit_interface_of_the_SDK_is_read_for_declarations()
    {
        Assert.Equal(
            RefitInterfaces().OrderBy(t => t.Name),
            GatewayRetry.All.Keys.Select(k => k.Interface).Distinct().OrderBy(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(RefitMethods))]
    public void Every_Refit_method_declares_whether_it_may_be_retried(string name)
    {
        MethodInfo method = RefitInterfaces().SelectMany(i => i.GetMethods()).Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == name);

        Assert.NotNull(method.GetCustomAttribute<HttpMethodAttribute>());
        Assert.NotNull(method.GetCustomAttribute<GatewayRetryAttribute>());
        Assert.True(GatewayRetry.All.ContainsKey((method.DeclaringType!, method.Name)));
    }

    [Fact]
    public void Only_the_token_request_and_queries_are_retryable()
    {
        Assert.True(GatewayRetry.All[(typeof(IAlipayHkAuthApi), nameof(IAlipayHkAuthApi.GetAccessTokenAsync))]);
        Assert.True(GatewayRetry.All[(typeof(IAlipayHkPaymentsApi), nameof(IAlipayHkPaymentsApi.QueryPaymentIntentAsync))]);
        Assert.False(GatewayRetry.All[(typeof(IAlipayHkPaymentsApi), nameof(IAlipayHkPaymentsApi.CreatePaymentIntentAsync))]);
    }

    private static IEnumerable<Type> RefitInterfaces() =>
        typeof(AlipayHkPayOptions).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.GetMethods().Any(m => m.GetCustomAttribute<HttpMethodAttribute>() is not null));
}
