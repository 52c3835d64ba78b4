using AlipayHk.Pay;
using Microsoft.Extensions.DependencyInjection;

// The blocks of docs/configuration.md, "Access tokens", and docs/hosting.md, "Logging". Compiled, not run (the token source needs
// your own token service); the token cache itself is tested in AlipayHk.Pay.Tests.
internal static class Configuration
{
    public static void OwnTokenSource(IServiceCollection services)
    {
        services.AddSingleton<IAlipayHkPayTokenSource, VaultTokenSource>();
    }

    public static void FactoryRequestLogs(IServiceCollection services)
    {
        services.AddHttpClient("AlipayHkPay.Payments").AddDefaultLogger();
    }
}

public sealed class VaultTokenSource(ITokenVault vault) : IAlipayHkPayTokenSource
{
    public async ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        VaultToken token = await vault.GetTokenAsync("alipayhk", cancellationToken); // your token service
        return new AlipayHkPayAccessToken(token.Value, token.ExpiresAt);
    }
}

/// <summary>Stands for the merchant's own token service.</summary>
public interface ITokenVault
{
    Task<VaultToken> GetTokenAsync(string name, CancellationToken cancellationToken);
}

public sealed record VaultToken(string Value, DateTimeOffset ExpiresAt);
