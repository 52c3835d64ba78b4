using System.Diagnostics.CodeAnalysis;
using AlipayHk.Pay;
using AlipayHk.Pay.Auth;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Http;
using AlipayHk.Pay.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Alipay HK client.</summary>
public static class AlipayHkPayServiceCollectionExtensions
{
    /// <summary>The name of the HTTP client for the token endpoint.</summary>
    internal const string AuthClientName = "AlipayHkPay.Auth";

    /// <summary>The name of the HTTP client for the payment endpoints.</summary>
    internal const string PaymentsClientName = "AlipayHkPay.Payments";

    /// <summary>
    /// Registers <see cref="IAlipayHkPayClient"/>, the webhook verifier and everything they need, with options set in code.
    /// The options are validated when the app starts; a bad setting fails it with a message that names the setting.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: at least <c>BaseAddress</c>, <c>Uid</c> and <c>ClientSecret</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPay(this IServiceCollection services, Action<AlipayHkPayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AlipayHkPayOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="IAlipayHkPayClient"/>, the webhook verifier and everything they need, with options bound from
    /// the <c>AlipayHkPay</c> section of <paramref name="configuration"/> (or from <paramref name="configuration"/> itself
    /// when it is that section). The options are validated when the app starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The app's configuration, or its <c>AlipayHkPay</c> section.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPay(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfiguration section = configuration is IConfigurationSection { Key: AlipayHkPayOptions.SectionName }
            ? configuration
            : configuration.GetSection(AlipayHkPayOptions.SectionName);
        services.AddOptions<AlipayHkPayOptions>().Bind(section);
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.AddOptions<AlipayHkPayOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlipayHkPayOptions>>(
            new AlipayHkPayOptionsValidator(() => UsesGatewayTokenSource(services))));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AlipayHkPayInstruments>();
        services.TryAddSingleton<IAlipayHkPayTokenSource, GatewayTokenSource>();
        services.TryAddSingleton<AccessTokenCache>();
        services.TryAddTransient<BearerTokenHandler>();
        services.TryAddSingleton<GatewayResilience>();
        services.TryAddTransient<GatewayResilienceHandler>();
        services.TryAddTransient<IAlipayHkPayClient, AlipayHkPayClient>();
        services.TryAddSingleton<IAlipayHkPayWebhookVerifier>(static sp =>
            new AlipayHkPayWebhookVerifier(sp.GetRequiredService<IOptions<AlipayHkPayOptions>>().Value));
        services.TryAddTransient<IAlipayHkPayWebhookProcessor, AlipayHkPayWebhookProcessor>();

        if (!services.Any(d => d.ServiceType == typeof(IAlipayHkAuthApi)))
        {
            services.AddRefitGeneratedClient<IAlipayHkAuthApi>(GatewayJsonContext.Default, NewSettings, AuthClientName, false)
                .ConfigureHttpClient(ConfigureHttpClient)
                .RemoveAllLoggers() // The token URL carries the client secret: no request logging on this client.
                .AddHttpMessageHandler<GatewayResilienceHandler>();

            // No IHttpClientFactory request logging either: the SDK writes its own line per call (operation, elapsed
            // time, status, rid) and one per retry, and the factory's four disabled-by-default handlers cost about
            // 0.5 KB per call even with no logging provider. An app that wants them back calls
            // services.AddHttpClient("AlipayHkPay.Payments").AddDefaultLogger().
            services.AddRefitGeneratedClient<IAlipayHkPaymentsApi>(GatewayJsonContext.Default, NewSettings, PaymentsClientName, false)
                .ConfigureHttpClient(ConfigureHttpClient)
                .RemoveAllLoggers()
                // The bearer handler outside the resilience handler: waiting for a token is not part of an attempt
                // (a slow token endpoint must not make a create look interrupted), and a 401 replay is a new attempt.
                .AddHttpMessageHandler<BearerTokenHandler>()
                .AddHttpMessageHandler<GatewayResilienceHandler>();
        }

        return services;
    }

    /// <summary>
    /// Request bodies are serialized synchronously into a byte array (the source-generated fast path) rather than
    /// streamed through <c>JsonContent</c>: the bodies are a few hundred bytes, it saves about 0.7 KB per call, and the
    /// content gets a Content-Length.
    /// </summary>
    private static RefitSettings NewSettings(IServiceProvider services) => new() { RequestBodySerialization = RequestBodySerializationMode.Buffered };

    private static void ConfigureHttpClient(IServiceProvider services, HttpClient client)
    {
        AlipayHkPayOptions options = services.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>().CurrentValue;
        client.BaseAddress = options.BaseAddress;
        client.Timeout = Timeout.InfiniteTimeSpan; // The resilience pipeline owns every timeout.
    }

    private static bool UsesGatewayTokenSource(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(IAlipayHkPayTokenSource)) is not { } registration
        || registration.ImplementationType == typeof(GatewayTokenSource);
}
