using AlipayHk.Pay;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Alipay HK client: one default merchant, and any number of named ones.</summary>
public static class AlipayHkPayServiceCollectionExtensions
{
    /// <summary>The subsection of <c>AlipayHkPay</c> that lists named merchants: <c>AlipayHkPay:Merchants:{name}:Uid</c>, and so on.</summary>
    public const string MerchantsSectionName = "Merchants";

    private const string DefaultKey = "";

    /// <summary>
    /// Registers <see cref="IAlipayHkPayClient"/>, the webhook verifier and processor and everything they need for the
    /// default merchant, with options set in code. The options are validated when the app starts; a bad setting fails
    /// it with a message that names the setting.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: at least <c>BaseAddress</c>, <c>Uid</c> and <c>ClientSecret</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPay(this IServiceCollection services, Action<AlipayHkPayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AlipayHkPayOptions>(DefaultKey).Configure(configure);
        return MerchantRegistration.Add(services, DefaultKey);
    }

    /// <summary>
    /// Registers <see cref="IAlipayHkPayClient"/>, the webhook verifier and processor and everything they need for the
    /// default merchant, with options bound from the <c>AlipayHkPay</c> section of <paramref name="configuration"/> (or
    /// from <paramref name="configuration"/> itself when it is that section). The options are validated when the app starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The app's configuration, or its <c>AlipayHkPay</c> section.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPay(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AlipayHkPayOptions>(DefaultKey).Bind(RootSection(configuration));
        return MerchantRegistration.Add(services, DefaultKey);
    }

    /// <summary>
    /// Registers a named merchant account, with options set in code. Resolve its services as keyed services of
    /// <paramref name="name"/>: <c>[FromKeyedServices("shop-b")] IAlipayHkPayClient</c>,
    /// <c>sp.GetRequiredKeyedService&lt;IAlipayHkPayClient&gt;("shop-b")</c>, and likewise
    /// <see cref="IAlipayHkPayWebhookProcessor"/> and <see cref="IAlipayHkPayWebhookVerifier"/>. Each merchant has its own
    /// options (validated at start-up, with messages naming the merchant), token cache, HTTP clients
    /// (<see cref="AlipayHkPayClientNames.PaymentsFor"/>), webhook key and telemetry tag <c>alipayhk.merchant</c>.
    /// A custom token source for it is a keyed <see cref="IAlipayHkPayTokenSource"/> of the same name.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The merchant's name, for example <c>shop-b</c>: not blank.</param>
    /// <param name="configure">Sets the merchant's options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPay(this IServiceCollection services, string name, Action<AlipayHkPayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AlipayHkPayOptions>(name).Configure(configure);
        return MerchantRegistration.Add(services, name);
    }

    /// <summary>
    /// Registers a named merchant account with options bound from <paramref name="section"/>, the merchant's own section
    /// (for example <c>configuration.GetSection("AlipayHkPay:Merchants:shop-b")</c>). Resolve its services as keyed
    /// services of <paramref name="name"/>; see <see cref="AddAlipayHkPay(IServiceCollection, string, Action{AlipayHkPayOptions})"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The merchant's name: not blank.</param>
    /// <param name="section">The merchant's configuration section.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPay(this IServiceCollection services, string name, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<AlipayHkPayOptions>(name).Bind(section);
        return MerchantRegistration.Add(services, name);
    }

    /// <summary>
    /// Registers every merchant listed under <c>AlipayHkPay:Merchants</c>, each under its key as its name. A merchant's
    /// settings start from those set directly in <c>AlipayHkPay</c> (a shared <c>BaseAddress</c> or timeouts, for
    /// example) and its own section overrides them. The default merchant is registered too when <c>AlipayHkPay:Uid</c>
    /// is set.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The app's configuration, or its <c>AlipayHkPay</c> section.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPayMerchants(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfiguration root = RootSection(configuration);
        foreach (IConfigurationSection merchant in root.GetSection(MerchantsSectionName).GetChildren())
        {
            services.AddOptions<AlipayHkPayOptions>(merchant.Key).Bind(root).Bind(merchant);
            MerchantRegistration.Add(services, merchant.Key);
        }

        if (!string.IsNullOrEmpty(root[nameof(AlipayHkPayOptions.Uid)]))
        {
            services.AddAlipayHkPay(root);
        }

        return services;
    }

    private static IConfiguration RootSection(IConfiguration configuration) =>
        configuration is IConfigurationSection { Key: AlipayHkPayOptions.SectionName }
            ? configuration
            : configuration.GetSection(AlipayHkPayOptions.SectionName);
}
