using AlipayHk.Pay.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses where the webhook endpoint remembers handled callbacks.</summary>
public static class AlipayHkPayWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Keeps handled webhook outcomes in memory (<see cref="InMemoryWebhookDeduplicationStore"/>), with these
    /// settings. Optional: <c>MapAlipayHkPayWebhook</c> uses an in-memory store with the defaults when no store is
    /// registered. Right for an app that runs on one instance.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPayWebhookDeduplication(this IServiceCollection services, Action<AlipayHkPayWebhookDeduplicationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        Configure(services, configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAlipayHkPayWebhookDeduplicationStore, InMemoryWebhookDeduplicationStore>();
        return services;
    }

    /// <summary>
    /// Keeps handled webhook outcomes in the app's <c>IDistributedCache</c>
    /// (<see cref="DistributedCacheWebhookDeduplicationStore"/>), so that every instance of the app sees them.
    /// Register the cache too, for example <c>services.AddStackExchangeRedisCache(o =&gt; o.Configuration = "...")</c>.
    /// Replaces any store registered before.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPayDistributedWebhookDeduplication(this IServiceCollection services, Action<AlipayHkPayWebhookDeduplicationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        Configure(services, configure);
        services.Replace(ServiceDescriptor.Singleton<IAlipayHkPayWebhookDeduplicationStore, DistributedCacheWebhookDeduplicationStore>());
        return services;
    }

    private static void Configure(IServiceCollection services, Action<AlipayHkPayWebhookDeduplicationOptions>? configure)
    {
        var builder = services.AddOptions<AlipayHkPayWebhookDeduplicationOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }
    }
}
