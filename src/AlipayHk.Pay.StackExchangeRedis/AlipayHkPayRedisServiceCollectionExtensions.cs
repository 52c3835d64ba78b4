using AlipayHk.Pay;
using AlipayHk.Pay.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the Alipay HK SDK's state among the instances of an app, through Redis.</summary>
public static class AlipayHkPayRedisServiceCollectionExtensions
{
    /// <summary>
    /// Keeps what the instances of the app must share in Redis, for every merchant registered with
    /// <c>AddAlipayHkPay</c> (before or after this call):
    /// <list type="bullet">
    /// <item><description>webhook duplicates, claimed atomically (<c>SET NX PX</c> with a processing lease): one handler run per outcome, whichever instances the deliveries reach;</description></item>
    /// <item><description>completion signals over pub/sub: a confirmed webhook ends <c>WaitForCompletionAsync</c> on every instance at once;</description></item>
    /// <item><description>one access token per merchant, fetched by one instance under a lock and shared, unless the merchant's token source is the app's own (see <see cref="AlipayHkPayRedisOptions.ShareCustomTokenSources"/>).</description></item>
    /// </list>
    /// When Redis is down, webhooks are answered 503 (the gateway delivers them again), waits learn outcomes by polling
    /// and each instance fetches its own tokens; each is logged once per outage. Replaces any webhook duplicate store
    /// registered before.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="AlipayHkPayRedisOptions.Configuration"/> (unless the app registers an <c>IConnectionMultiplexer</c>) and the key prefix.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPayRedis(this IServiceCollection services, Action<AlipayHkPayRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AlipayHkPayRedisOptions>().Configure(configure);
        services.AddOptions<AlipayHkPayWebhookDeduplicationOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<Outage>();
        services.Replace(ServiceDescriptor.Singleton<IAlipayHkPayWebhookDeduplicationStore, RedisWebhookDeduplicationStore>());
        services.TryAddSingleton<RedisCompletionSignals>();
        services.Replace(ServiceDescriptor.Singleton<IAlipayHkPayCompletionSignals>(static sp => sp.GetRequiredService<RedisCompletionSignals>()));
        services.Replace(ServiceDescriptor.Singleton<IAlipayHkPayTokenSourceDecorator, RedisTokenSourceDecorator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisStartup>());
        return services;
    }
}
