using System.Reflection;
using AlipayHk.Pay.Http;
using Refit;

namespace AlipayHk.Pay.Tests.Conventions;

/// <summary>
/// Whether a gateway request may be retried is declared with the request, never inferred from its URL: every method of
/// every Refit interface of the SDK takes exactly one <c>[Property(GatewayRetry.Key)] GatewayRetry</c>. A new endpoint
/// (a refund) that forgets it fails here, and, at run time, is never retried.
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
    public void The_SDK_has_Refit_interfaces_to_check()
    {
        Assert.Contains(typeof(IAlipayHkPaymentsApi), RefitInterfaces());
        Assert.Contains(typeof(IAlipayHkAuthApi), RefitInterfaces());
    }

    [Theory]
    [MemberData(nameof(RefitMethods))]
    public void Every_Refit_method_declares_whether_it_may_be_retried(string name)
    {
        MethodInfo method = RefitInterfaces().SelectMany(i => i.GetMethods()).Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == name);

        ParameterInfo[] declarations = method.GetParameters()
            .Where(p => p.GetCustomAttribute<PropertyAttribute>()?.Key == GatewayRetry.Key)
            .ToArray();

        ParameterInfo declaration = Assert.Single(declarations);
        Assert.Equal(typeof(GatewayRetry), declaration.ParameterType);
        Assert.NotNull(method.GetCustomAttribute<HttpMethodAttribute>());
    }

    private static IEnumerable<Type> RefitInterfaces() =>
        typeof(AlipayHkPayOptions).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.GetMethods().Any(m => m.GetCustomAttribute<HttpMethodAttribute>() is not null));
}
