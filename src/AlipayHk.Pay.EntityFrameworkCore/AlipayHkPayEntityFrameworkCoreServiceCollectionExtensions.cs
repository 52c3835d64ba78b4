using AlipayHk.Pay;
using AlipayHk.Pay.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the payments AlipayHk.Pay tracks in the app's own database, through Entity Framework Core.</summary>
public static class AlipayHkPayEntityFrameworkCoreServiceCollectionExtensions
{
    /// <summary>
    /// Makes the app's <typeparamref name="TContext"/> the payment store (<see cref="IAlipayHkPayPaymentStore"/>, scoped),
    /// in place of the in-memory one, before or after <c>AddAlipayHkPayOutcomes</c>. The store uses the scoped
    /// <typeparamref name="TContext"/> instance that the outcome handler gets in the same scope, and saves what the handler
    /// changed on it together with the payment's final state, in one transaction: both, or neither. A crash before the
    /// commit leaves both undone, and the outcome is offered again; after it, both are there.
    /// </summary>
    /// <remarks>
    /// <para>Register <typeparamref name="TContext"/> yourself (<c>AddDbContext</c>), call
    /// <c>modelBuilder.AddAlipayHkPayPayments()</c> in its <c>OnModelCreating</c>, and add a migration. Any relational
    /// provider works; its execution strategy (for example <c>EnableRetryOnFailure</c>) is respected.</para>
    /// <para>The handler must not begin a transaction of its own on the context; it may call <c>SaveChangesAsync</c>, or
    /// leave it to the store.</para>
    /// </remarks>
    /// <typeparam name="TContext">The app's <see cref="DbContext"/>, registered as a scoped service.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAlipayHkPayEntityFrameworkCore<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Replace(ServiceDescriptor.Scoped<IAlipayHkPayPaymentStore, EfCorePaymentStore<TContext>>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
