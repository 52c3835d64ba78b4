using AlipayHk.Pay;
using AlipayHk.Pay.Auth;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Http;
using AlipayHk.Pay.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

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
        return AddMerchant(services, DefaultKey);
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
        return AddMerchant(services, DefaultKey);
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
        return AddMerchant(services, name);
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
        return AddMerchant(services, name);
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
            AddMerchant(services, merchant.Key);
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

    private static IServiceCollection AddMerchant(IServiceCollection services, string key)
    {
        ClientRegistry clients = AddShared(services);
        services.AddOptions<AlipayHkPayOptions>(key).ValidateOnStart();
        if (clients.SdkHandlerCount(Merchant.ClientNames.Payments(key)) is not null)
        {
            return services; // registered already: the options above add to it
        }

        services.AddKeyedSingleton(key, static (sp, key) => new Merchant((string)key!, sp.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>()));
        if (key.Length == 0)
        {
            services.TryAddSingleton(DefaultTokenSource);
        }
        else
        {
            services.TryAddKeyedSingleton(key, NamedTokenSource);
        }

        services.AddKeyedSingleton(key, static (sp, key) => new AccessTokenCache(
            TokenSource(sp, (string)key!),
            sp.GetRequiredKeyedService<Merchant>(key),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AccessTokenCache>>(),
            sp.GetRequiredService<AlipayHkPayInstruments>()));
        services.AddKeyedSingleton(key, static (sp, key) => new GatewayResilience(
            sp.GetRequiredKeyedService<Merchant>(key).Options,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            Merchant.Describe((string)key!)));
        services.AddKeyedTransient(key, static (sp, key) => RestService.ForGenerated<IAlipayHkAuthApi>(
            HttpClient(sp, Merchant.ClientNames.Auth((string)key!)), GatewayJsonContext.Default, RefitSettings));
        services.AddKeyedTransient(key, static (sp, key) => RestService.ForGenerated<IAlipayHkPaymentsApi>(
            HttpClient(sp, Merchant.ClientNames.Payments((string)key!)), GatewayJsonContext.Default, RefitSettings));

        if (key.Length == 0)
        {
            services.TryAddTransient<IAlipayHkPayClient>(static sp => Client(sp, DefaultKey));
            services.TryAddSingleton<IAlipayHkPayWebhookVerifier>(static sp => Verifier(sp, DefaultKey));
            services.TryAddTransient<IAlipayHkPayWebhookProcessor>(static sp => Processor(sp, DefaultKey, sp.GetRequiredService<IAlipayHkPayClient>()));
        }
        else
        {
            services.AddKeyedTransient<IAlipayHkPayClient>(key, static (sp, key) => Client(sp, (string)key!));
            services.AddKeyedSingleton<IAlipayHkPayWebhookVerifier>(key, static (sp, key) => Verifier(sp, (string)key!));
            services.AddKeyedTransient<IAlipayHkPayWebhookProcessor>(key, static (sp, key) =>
                Processor(sp, (string)key!, sp.GetRequiredKeyedService<IAlipayHkPayClient>(key)));
        }

        AddGatewayClient(services, clients, Merchant.ClientNames.Auth(key), key, bearer: false);
        AddGatewayClient(services, clients, Merchant.ClientNames.Payments(key), key, bearer: true);
        return services;
    }

    /// <summary>What every merchant shares: the clock, the instruments, the validator, the handler chain and its start-up check.</summary>
    private static ClientRegistry AddShared(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ClientRegistry))?.ImplementationInstance is ClientRegistry existing)
        {
            return existing;
        }

        var clients = new ClientRegistry();
        services.AddSingleton(clients);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AlipayHkPayInstruments>();
        services.TryAddSingleton<HandlerReport>();
        services.TryAddSingleton<IAlipayHkPayCompletionSignals, InProcessCompletionSignals>();
        // First of the filters, so the outermost: it runs after every other filter and configuration has added its handlers.
        services.Insert(0, ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, HandlerChain>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HandlerChainCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlipayHkPayOptions>>(
            new AlipayHkPayOptionsValidator(key => UsesGatewayTokenSource(services, key))));
        return clients;
    }

    /// <summary>
    /// One of the SDK's HTTP clients: the app's defaults and any configuration of <paramref name="client"/> apply, then
    /// <see cref="HandlerChain"/> puts the SDK's handlers in front and takes retrying handlers off.
    /// </summary>
    private static void AddGatewayClient(IServiceCollection services, ClientRegistry clients, string client, string key, bool bearer)
    {
        IHttpClientBuilder http = services.AddHttpClient(client)
            .ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredKeyedService<Merchant>(key).Options.BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan; // The resilience pipeline owns every timeout.
            })
            // The token URL carries the client secret and payment calls a bearer token: no request logging here. The
            // SDK writes its own line per call (operation, elapsed time, status, rid) and one per retry.
            .RemoveAllLoggers()
            .RedactLoggedHeaders(static _ => true)
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, _) => handlers.Add(new SdkHandlersStart()));
        if (bearer)
        {
            // Outside the resilience handler: waiting for a token is not part of an attempt (a slow token endpoint must
            // not make a create look interrupted), and a 401 replay is a new pass through the pipeline.
            http.AddHttpMessageHandler(sp => new BearerTokenHandler(sp.GetRequiredKeyedService<AccessTokenCache>(key)));
        }

        http.AddHttpMessageHandler(sp => new GatewayResilienceHandler(sp.GetRequiredKeyedService<GatewayResilience>(key)));
        clients.Add(client, bearer ? 2 : 1);
    }

    /// <summary>
    /// Request bodies are serialized synchronously into a byte array (the source-generated fast path) rather than
    /// streamed through <c>JsonContent</c>: the bodies are a few hundred bytes, it saves about 0.7 KB per call, and the
    /// content gets a Content-Length.
    /// </summary>
    private static readonly RefitSettings RefitSettings = new() { RequestBodySerialization = RequestBodySerializationMode.Buffered };

    private static readonly Func<IServiceProvider, IAlipayHkPayTokenSource> DefaultTokenSource = static sp => GatewayTokens(sp, DefaultKey);

    private static readonly Func<IServiceProvider, object?, IAlipayHkPayTokenSource> NamedTokenSource = static (sp, key) => GatewayTokens(sp, (string)key!);

    private static GatewayTokenSource GatewayTokens(IServiceProvider sp, string key) => new(
        sp.GetRequiredKeyedService<IAlipayHkAuthApi>(key),
        sp.GetRequiredKeyedService<Merchant>(key),
        sp.GetRequiredService<TimeProvider>());

    private static IAlipayHkPayTokenSource TokenSource(IServiceProvider sp, string key)
    {
        IAlipayHkPayTokenSource source = key.Length == 0 ? sp.GetRequiredService<IAlipayHkPayTokenSource>() : sp.GetRequiredKeyedService<IAlipayHkPayTokenSource>(key);
        return sp.GetService<ITokenSourceDecorator>() is { } decorator ? decorator.Decorate(key, source, source is GatewayTokenSource) : source;
    }

    private static HttpClient HttpClient(IServiceProvider sp, string client) => sp.GetRequiredService<IHttpClientFactory>().CreateClient(client);

    private static AlipayHkPayClient Client(IServiceProvider sp, string key) => new(
        sp.GetRequiredKeyedService<IAlipayHkPaymentsApi>(key),
        sp.GetRequiredKeyedService<Merchant>(key),
        sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILogger<AlipayHkPayClient>>(),
        sp.GetRequiredService<AlipayHkPayInstruments>(),
        sp.GetRequiredService<IAlipayHkPayCompletionSignals>());

    private static AlipayHkPayWebhookVerifier Verifier(IServiceProvider sp, string key) =>
        new(sp.GetRequiredKeyedService<Merchant>(key).Options);

    private static AlipayHkPayWebhookProcessor Processor(IServiceProvider sp, string key, IAlipayHkPayClient client) => new(
        key.Length == 0 ? sp.GetRequiredService<IAlipayHkPayWebhookVerifier>() : sp.GetRequiredKeyedService<IAlipayHkPayWebhookVerifier>(key),
        client,
        sp.GetRequiredService<ILogger<AlipayHkPayWebhookProcessor>>(),
        sp.GetRequiredService<AlipayHkPayInstruments>(),
        sp.GetRequiredService<IAlipayHkPayCompletionSignals>(),
        key.Length == 0 ? null : key);

    /// <summary>Whether the merchant's token source is the SDK's own (which needs the client secret), not one the app registered.</summary>
    private static bool UsesGatewayTokenSource(IServiceCollection services, string key)
    {
        ServiceDescriptor? registration = key.Length == 0
            ? services.LastOrDefault(d => d.ServiceType == typeof(IAlipayHkPayTokenSource) && !d.IsKeyedService)
            : services.LastOrDefault(d => d.ServiceType == typeof(IAlipayHkPayTokenSource) && d.IsKeyedService && Equals(d.ServiceKey, key));
        return registration is null
            || (key.Length == 0 ? ReferenceEquals(registration.ImplementationFactory, DefaultTokenSource) : ReferenceEquals(registration.KeyedImplementationFactory, NamedTokenSource));
    }
}
