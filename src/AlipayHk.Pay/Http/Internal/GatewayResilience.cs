using AlipayHk.Pay.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace AlipayHk.Pay.Http;

/// <summary>
/// The timeouts and retries of one merchant's HTTP client, on Microsoft.Extensions.Http.Resilience
/// (<c>AddResilienceHandler</c>), rebuilt when the merchant's options are reloaded:
/// <list type="bullet">
/// <item>a total timeout (<see cref="AlipayHkPayOptions.TotalTimeout"/>) around everything, waits included;</item>
/// <item>a retry for the requests whose operation declared them retryable (<see cref="GatewayRetry"/>: the token request
/// and queries), after what <see cref="GatewayResponse"/> classifies as transient: exponential backoff with jitter, a
/// <c>Retry-After</c> honoured up to <see cref="AlipayHkPayOptions.MaxRetryDelay"/>, and no retry when the gateway asks
/// for a wait longer than the time left (the call fails at once with the gateway's answer). Polly's telemetry is on;</item>
/// <item>an attempt timeout (<see cref="AlipayHkPayOptions.AttemptTimeout"/>), within which <see cref="AttemptBodyHandler"/>
/// reads the whole answer.</item>
/// </list>
/// A create declares itself not retryable and goes out once: its recovery queries instead. A request that declares
/// nothing is never retried.
/// </summary>
internal static class GatewayResilience
{
    /// <summary>When the call's first attempt started (a <see cref="TimeProvider"/> timestamp), for the time left.</summary>
    internal static readonly ResiliencePropertyKey<long> StartedKey = new("AlipayHkPay.Started");

    internal static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context, string merchantKey)
    {
        context.EnableReloads<AlipayHkPayOptions>(merchantKey);
        AlipayHkPayOptions options = context.GetOptions<AlipayHkPayOptions>(merchantKey);
        TimeProvider time = context.ServiceProvider.GetRequiredService<TimeProvider>();
        ILogger logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("AlipayHk.Pay.Http");
        builder.TimeProvider = time;
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "Total", Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldRetryAfterHeader = false, // read below, capped at MaxRetryDelay and the time left
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, options, time)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, options, time)),
                OnRetry = args =>
                {
                    HttpRequestMessage? request = args.Context.GetRequestMessage();
                    RequestState.Of(request)?.AllowAnotherSend();
                    string outcome = args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int?)args.Outcome.Result?.StatusCode}";
                    Log.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, outcome, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "Attempt", Timeout = options.AttemptTimeout });
    }

    /// <summary>
    /// Whether to send the request again: it declared so, the outcome is transient, the caller has not given up, and the
    /// wait the gateway asks for (when it does) fits in what is left of the total timeout.
    /// </summary>
    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, AlipayHkPayOptions options, TimeProvider time)
    {
        if (context.CancellationToken.IsCancellationRequested || !GatewayRetry.Allows(context.GetRequestMessage()) || !GatewayResponse.IsTransient(outcome))
        {
            return false;
        }

        TimeSpan left = context.Properties.TryGetValue(StartedKey, out long started) ? options.TotalTimeout - time.GetElapsedTime(started) : options.TotalTimeout;
        return left > TimeSpan.Zero && !(RetryAfter(outcome.Result, options, time) >= left);
    }

    /// <summary>The wait the gateway asks for in <c>Retry-After</c>, at most <see cref="AlipayHkPayOptions.MaxRetryDelay"/>; <see langword="null"/> when it asks none.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, AlipayHkPayOptions options, TimeProvider time)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        TimeSpan? delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : null);
        return delay <= TimeSpan.Zero ? null : delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }
}
