using System.Diagnostics.CodeAnalysis;
using AlipayHk.Pay;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Outcomes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns on outcomes: every payment tracked, and one handler called once per final outcome.</summary>
public static class AlipayHkPayOutcomesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="THandler"/> (scoped) as the one <see cref="IAlipayHkPayOutcomeHandler"/>, tracks every
    /// payment the app creates in the payment store (in memory unless another <see cref="IAlipayHkPayPaymentStore"/> is
    /// registered, such as <c>AlipayHk.Pay.EntityFrameworkCore</c>'s), and starts the reconciler, which resolves the
    /// payments still open. The handler is then called once per final outcome of each payment, whichever way the SDK
    /// learned it (webhook, wait, query, reconciler). Options are validated at start-up.
    /// </summary>
    /// <typeparam name="THandler">The handler; it may take the app's scoped services (its <c>DbContext</c>).</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPayOutcomes<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IServiceCollection services, Action<AlipayHkPayOutcomeOptions>? configure = null)
        where THandler : class, IAlipayHkPayOutcomeHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<AlipayHkPayOutcomeOptions> options = services.AddOptions<AlipayHkPayOutcomeOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.Replace(ServiceDescriptor.Scoped<IAlipayHkPayOutcomeHandler, THandler>());
        services.TryAddSingleton<IAlipayHkPayPaymentStore, InMemoryPaymentStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AlipayHkPayInstruments>();
        services.TryAddSingleton<OutcomeTracker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlipayHkPayOutcomeOptions>, OutcomeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Reconciler>());
        return services;
    }
}
