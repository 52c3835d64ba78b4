using AlipayHk.Pay;
using AlipayHk.Pay.Auth;
using AlipayHk.Pay.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Alipay HK health check: <c>services.AddHealthChecks().AddAlipayHkPay()</c>.</summary>
public static class AlipayHkPayHealthChecksBuilderExtensions
{
    /// <summary>The name the check is registered under when none is given: <c>alipayhk-pay</c> (or <c>alipayhk-pay:{merchant}</c>).</summary>
    public const string DefaultName = "alipayhk-pay";

    /// <summary>
    /// Adds a check that reports <see cref="HealthStatus.Healthy"/> when an access token can be had for the merchant (a
    /// cached one counts, so a probe normally costs no gateway call), and the registration's failure status otherwise,
    /// with the reason and never a secret. Use it in a readiness check, not a liveness one: a gateway outage must take
    /// the app out of the load balancer, not get it restarted.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="merchantName">The merchant registered with <c>AddAlipayHkPay(name, ...)</c>, or <see langword="null"/> for the default merchant.</param>
    /// <param name="name">The check's name; default <see cref="DefaultName"/>, with <c>:{merchantName}</c> for a named merchant.</param>
    /// <param name="failureStatus">The status when no token can be had; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to select the check by, for example <c>["ready"]</c>.</param>
    /// <param name="timeout">How long the check may take; default: the merchant's <c>TotalTimeout</c> bounds the token fetch.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddAlipayHkPay(
        this IHealthChecksBuilder builder,
        string? merchantName = null,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (merchantName is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(merchantName);
        }

        string key = merchantName ?? string.Empty;
        return builder.Add(new HealthCheckRegistration(
            name ?? (merchantName is null ? DefaultName : $"{DefaultName}:{merchantName}"),
            sp => new AlipayHkPayHealthCheck(
                sp.GetKeyedService<AccessTokenCache>(key),
                $"{Merchant.Describe(key)} is not registered: call services.AddAlipayHkPay({(merchantName is null ? string.Empty : $"\"{merchantName}\", ")}...) as well as AddHealthChecks().AddAlipayHkPay({(merchantName is null ? string.Empty : $"\"{merchantName}\"")})."),
            failureStatus,
            tags,
            timeout));
    }
}
