using AlipayHk.Pay.Auth;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Http;
using AlipayHk.Pay.Outcomes;
using AlipayHk.Pay.Payments;
using AlipayHk.Pay.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace AlipayHk.Pay;

/// <summary>
/// Everything one merchant account needs, as keyed services of its key (<c>""</c> for the default merchant), and what
/// all merchants share. The one place that wires a merchant: its options, token source and cache, HTTP clients,
/// pipeline, client, webhook verifier, processor and receiver. The default merchant's public services are also
/// registered without a key.
/// </summary>
internal static class MerchantRegistration
{
    /// <summary>The default token source's factory, by which <see cref="UsesGatewayTokenSource"/> knows the app did not replace it.</summary>
    private static readonly Func<IServiceProvider, object?, IAlipayHkPayTokenSource> GatewayTokens = static (sp, key) => new GatewayTokenSource(
        sp.GetRequiredKeyedService<IAlipayHkAuthApi>(key),
        sp.GetRequiredKeyedService<Merchant>(key),
        sp.GetRequiredService<TimeProvider>());

    private static readonly Func<IServiceProvider, IAlipayHkPayTokenSource> DefaultGatewayTokens = static sp => GatewayTokens(sp, string.Empty);

    internal static IServiceCollection Add(IServiceCollection services, string key)
    {
        ClientRegistry clients = AddShared(services);
        services.AddOptions<AlipayHkPayOptions>(key).ValidateOnStart();
        if (clients.SdkHandlerCount(Merchant.PaymentsClient(key)) is not null)
        {
            return services; // registered already: the options above add to it
        }

        services.AddKeyedSingleton(key, static (sp, key) => new Merchant((string)key!, sp.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>()));
        if (key.Length == 0)
        {
            services.TryAddSingleton(DefaultGatewayTokens);
        }
        else
        {
            services.TryAddKeyedSingleton(key, GatewayTokens);
        }

        services.AddKeyedSingleton(key, static (sp, key) => new AccessTokenCache(
            TokenSource(sp, (string)key!),
            sp.GetRequiredKeyedService<Merchant>(key),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AccessTokenCache>>(),
            sp.GetRequiredService<AlipayHkPayInstruments>()));
        services.AddKeyedTransient(key, static (sp, key) => RestService.ForGenerated<IAlipayHkAuthApi>(
            Http(sp, Merchant.AuthClient((string)key!)), AuthJsonContext.Default, new RefitSettings()));
        services.AddKeyedTransient(key, static (sp, key) => new GatewayPipeline(
            sp.GetRequiredKeyedService<Merchant>(key),
            Http(sp, Merchant.PaymentsClient((string)key!)),
            sp.GetRequiredService<ILogger<IAlipayHkPayClient>>(),
            sp.GetRequiredService<AlipayHkPayInstruments>(),
            sp.GetRequiredService<TimeProvider>()));

        services.AddKeyedSingleton(key, static (sp, key) => new MerchantWebhookVerifier(sp.GetRequiredKeyedService<Merchant>(key)));
        services.AddKeyedSingleton(key, static (sp, _) => new WebhookLog(sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddKeyedTransient(key, static (sp, key) => new AlipayHkPayClient(
            sp.GetRequiredKeyedService<GatewayPipeline>(key),
            sp.GetRequiredService<IAlipayHkPayCompletionSignals>(),
            sp.GetService<OutcomeTracker>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddKeyedTransient<IAlipayHkPayClient>(key, static (sp, key) => sp.GetRequiredKeyedService<AlipayHkPayClient>(key));
        services.AddKeyedSingleton<IAlipayHkPayWebhookVerifier>(key, static (sp, key) => sp.GetRequiredKeyedService<MerchantWebhookVerifier>(key));
        services.AddKeyedTransient(key, static (sp, key) => new AlipayHkPayWebhookProcessor(
            sp.GetRequiredKeyedService<MerchantWebhookVerifier>(key),
            sp.GetRequiredKeyedService<AlipayHkPayClient>(key),
            sp.GetRequiredKeyedService<WebhookLog>(key),
            sp.GetRequiredService<AlipayHkPayInstruments>(),
            sp.GetRequiredService<IAlipayHkPayCompletionSignals>(),
            ((string)key!).Length == 0 ? null : (string)key!));
        services.AddKeyedTransient<IAlipayHkPayWebhookProcessor>(key, static (sp, key) => sp.GetRequiredKeyedService<AlipayHkPayWebhookProcessor>(key));
        services.AddKeyedTransient<IAlipayHkPayWebhookReceiver>(key, static (sp, key) => new WebhookReceiver(
            sp.GetRequiredKeyedService<AlipayHkPayWebhookProcessor>(key),
            sp.GetRequiredService<IAlipayHkPayWebhookDeduplicationStore>(),
            sp.GetRequiredKeyedService<WebhookLog>(key),
            sp.GetService<OutcomeTracker>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AlipayHkPayInstruments>()));
        if (key.Length == 0)
        {
            services.TryAddTransient(static sp => sp.GetRequiredKeyedService<IAlipayHkPayClient>(string.Empty));
            services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<IAlipayHkPayWebhookVerifier>(string.Empty));
            services.TryAddTransient(static sp => sp.GetRequiredKeyedService<IAlipayHkPayWebhookProcessor>(string.Empty));
            services.TryAddTransient(static sp => sp.GetRequiredKeyedService<IAlipayHkPayWebhookReceiver>(string.Empty));
        }

        AddGatewayClient(services, clients, Merchant.AuthClient(key), key, bearer: false);
        AddGatewayClient(services, clients, Merchant.PaymentsClient(key), key, bearer: true);
        return services;
    }

    /// <summary>What every merchant shares: the clock, the instruments, the validator, the default stores, the handler chain and its start-up check.</summary>
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
        services.TryAddSingleton<IAlipayHkPayWebhookDeduplicationStore, InMemoryWebhookDeduplicationStore>();

        // First of the filters, so the outermost: it runs after every other filter and configuration has added its handlers.
        services.Insert(0, ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, HandlerChain>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HandlerChainCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlipayHkPayOptions>>(
            new AlipayHkPayOptionsValidator(key => UsesGatewayTokenSource(services, key))));
        return clients;
    }

    /// <summary>
    /// One of the SDK's HTTP clients: the app's defaults and any configuration of <paramref name="client"/> apply, then
    /// <see cref="HandlerChain"/> puts the SDK's handlers in front and takes retrying handlers off:
    /// [bearer token] → [resilience: total timeout, retry, attempt timeout] → [the answer read within the attempt].
    /// </summary>
    private static void AddGatewayClient(IServiceCollection services, ClientRegistry clients, string client, string key, bool bearer)
    {
        IHttpClientBuilder http = services.AddHttpClient(client)
            .ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredKeyedService<Merchant>(key).Options.BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan; // The resilience pipeline owns every timeout.
                http.DefaultRequestHeaders.ExpectContinue = false; // .NET Framework would hold each POST's body for a 100 Continue.
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

        http.AddResilienceHandler(client, (builder, context) => GatewayResilience.Configure(builder, context, key));
        http.AddHttpMessageHandler(sp => new AttemptBodyHandler(sp.GetRequiredService<TimeProvider>()));
        clients.Add(client, bearer ? 3 : 2);
    }

    private static IAlipayHkPayTokenSource TokenSource(IServiceProvider sp, string key)
    {
        IAlipayHkPayTokenSource source = key.Length == 0 ? sp.GetRequiredService<IAlipayHkPayTokenSource>() : sp.GetRequiredKeyedService<IAlipayHkPayTokenSource>(key);
        return sp.GetService<IAlipayHkPayTokenSourceDecorator>() is { } decorator
            ? decorator.Decorate(key.Length == 0 ? null : key, source, source is GatewayTokenSource)
            : source;
    }

    private static HttpClient Http(IServiceProvider sp, string client) => sp.GetRequiredService<IHttpClientFactory>().CreateClient(client);

    /// <summary>Whether the merchant's token source is the SDK's own (which needs the client secret), not one the app registered.</summary>
    private static bool UsesGatewayTokenSource(IServiceCollection services, string key)
    {
        ServiceDescriptor? registration = key.Length == 0
            ? services.LastOrDefault(d => d.ServiceType == typeof(IAlipayHkPayTokenSource) && !d.IsKeyedService)
            : services.LastOrDefault(d => d.ServiceType == typeof(IAlipayHkPayTokenSource) && d.IsKeyedService && Equals(d.ServiceKey, key));
        return registration is null
            || (key.Length == 0 ? ReferenceEquals(registration.ImplementationFactory, DefaultGatewayTokens) : ReferenceEquals(registration.KeyedImplementationFactory, GatewayTokens));
    }
}
