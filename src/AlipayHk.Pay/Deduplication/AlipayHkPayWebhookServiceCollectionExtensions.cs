using AlipayHk.Pay;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses where the webhook receiver remembers handled callbacks (in memory by default).</summary>
public static class AlipayHkPayWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Keeps handled webhook outcomes in memory (the default store, <see cref="InMemoryWebhookDeduplicationStore"/>) with
    /// these settings. Optional: without it the defaults apply. Right for an app that runs on one instance.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPayWebhookDeduplication(this IServiceCollection services, Action<AlipayHkPayWebhookDeduplicationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<AlipayHkPayWebhookDeduplicationOptions> options = services.AddOptions<AlipayHkPayWebhookDeduplicationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

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
        services.AddAlipayHkPayWebhookDeduplication(configure);
        services.Replace(ServiceDescriptor.Singleton<IAlipayHkPayWebhookDeduplicationStore, DistributedCacheWebhookDeduplicationStore>());
        return services;
    }
}
