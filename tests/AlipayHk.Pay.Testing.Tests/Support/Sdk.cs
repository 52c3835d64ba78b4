using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Testing.Tests.Support;

/// <summary>The real SDK, wired to a simulator the way a merchant's test would: one line, plus fast timings.</summary>
internal static class Sdk
{
    public static ServiceProvider For(AlipayHkGatewaySimulator simulator, Action<AlipayHkPayOptions>? tweak = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAlipayHkPay(options =>
        {
            simulator.ConfigureClient(options);
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
            options.PollInitialDelay = TimeSpan.FromMilliseconds(20);
            options.PollMaxDelay = TimeSpan.FromMilliseconds(100);
            options.AttemptTimeout = TimeSpan.FromSeconds(5);
            options.TotalTimeout = TimeSpan.FromSeconds(20);
            tweak?.Invoke(options);
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static CreatePaymentRequest Request(string merchantOrderId, Uri? notifyUrl = null) => new()
    {
        Amount = 12.50m,
        MerchantOrderId = merchantOrderId,
        Description = "Two coffees",
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = notifyUrl,
    };
}
