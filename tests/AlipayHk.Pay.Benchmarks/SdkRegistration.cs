using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks;

internal static class SdkRegistration
{
    /// <summary>The SDK as a merchant registers it, with both of its HTTP clients answered by <paramref name="gateway"/>.</summary>
    internal static IServiceCollection AddSdkOver(this IServiceCollection services, InMemoryGateway gateway)
    {
        services.AddSdkAt(new Uri(GatewayExamples.BaseAddress));
        services.AddHttpClient("AlipayHkPay.Payments").ConfigurePrimaryHttpMessageHandler(() => gateway);
        services.AddHttpClient("AlipayHkPay.Auth").ConfigurePrimaryHttpMessageHandler(() => gateway);
        return services;
    }

    /// <summary>The SDK as a merchant registers it, calling the gateway at <paramref name="baseAddress"/>.</summary>
    internal static IServiceCollection AddSdkAt(this IServiceCollection services, Uri baseAddress) =>
        services.AddAlipayHkPay(o =>
        {
            o.BaseAddress = baseAddress;
            o.Uid = "39172931";
            o.ClientSecret = "bench-client-secret";
        });
}
