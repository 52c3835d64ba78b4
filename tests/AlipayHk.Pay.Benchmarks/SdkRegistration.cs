using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks;

internal static class SdkRegistration
{
    /// <summary>The SDK as a merchant registers it, with both of its HTTP clients answered by <paramref name="gateway"/>.</summary>
    internal static IServiceCollection AddSdkOver(this IServiceCollection services, InMemoryGateway gateway)
    {
        services.AddAlipayHkPay(o =>
        {
            o.BaseAddress = new Uri(GatewayExamples.BaseAddress);
            o.Uid = "39172931";
            o.ClientSecret = "bench-client-secret";
        });
        services.AddHttpClient("AlipayHkPay.Payments").ConfigurePrimaryHttpMessageHandler(() => gateway);
        services.AddHttpClient("AlipayHkPay.Auth").ConfigurePrimaryHttpMessageHandler(() => gateway);
        return services;
    }
}
