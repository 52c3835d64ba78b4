using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AlipayHk.Pay.Http;

/// <summary>
/// The resilience pipeline of every gateway client, built with Microsoft.Extensions.Http.Resilience
/// (<c>AddResilienceHandler</c>, with Polly's telemetry): a total timeout, a retry, and an attempt timeout.
/// <list type="bullet">
/// <item>Only requests that declare themselves retryable (<see cref="GatewayRetry"/>: the token request and queries) are
/// retried, after a transient failure (connection error, timeout, HTTP 408, 429, 5xx): exponential backoff with jitter,
/// <c>Retry-After</c> honoured, every wait capped at <see cref="AlipayHkPayOptions.MaxRetryDelay"/> and at the time left
/// of the total timeout. A <c>Retry-After</c> longer than the time left ends the call at once with the gateway's answer.</item>
/// <item>A create declares <see cref="GatewayRetry.Never"/> and goes out once; <see cref="Payments.CreateRecovery"/>
/// recovers an interrupted one by querying first.</item>
/// <item>The attempt timeout covers reading the whole body too (<see cref="AttemptHandler"/> reads it inside the attempt).</item>
/// </list>
/// </summary>
internal static class GatewayResilience
{
    internal const string PipelineName = "AlipayHkPay";

    internal static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, AlipayHkPayOptions settings, TimeProvider timeProvider, ILogger logger)
    {
        TimeSpan total = settings.TotalTimeout;
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "TotalTimeout", Timeout = total });
        if (settings.MaxRetryAttempts > 0)
        {
            var rules = new RetryRules(settings, timeProvider);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Retry",
                MaxRetryAttempts = settings.MaxRetryAttempts,
                ShouldHandle = args => new ValueTask<bool>(rules.ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(rules.Delay(args.AttemptNumber, args.Outcome.Result, args.Context)),
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

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = settings.AttemptTimeout });
    }

    /// <summary>Whether an attempt's outcome is worth another attempt, for a request that may be retried.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && GatewayResponse.IsTransientStatus(response.StatusCode));

    /// <summary>The retry's decisions, from the options of one merchant.</summary>
    internal sealed class RetryRules(AlipayHkPayOptions settings, TimeProvider timeProvider)
    {
        private readonly TimeSpan _total = settings.TotalTimeout;
        private readonly TimeSpan _baseDelay = settings.RetryBaseDelay;
        private readonly TimeSpan _maxDelay = settings.MaxRetryDelay;

        /// <summary>Retry only what declared itself retryable, only after a transient failure, and only when a retry fits in the time left.</summary>
        internal bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
        {
            if (context.CancellationToken.IsCancellationRequested || !IsTransient(outcome))
            {
                return false;
            }

            HttpRequestMessage? request = context.GetRequestMessage();
            return GatewayRetry.Allows(request) && FitsInTimeLeft(outcome.Result, TimeLeft(request));
        }

        /// <summary>
        /// The wait before retry <paramref name="attempt"/> + 1: the response's <c>Retry-After</c> when it has one, else
        /// exponential from the base delay with jitter (between half and all of it); never above the maximum delay nor
        /// above the time left.
        /// </summary>
        internal TimeSpan Delay(int attempt, HttpResponseMessage? response, ResilienceContext context)
        {
            TimeSpan timeLeft = TimeLeft(context.GetRequestMessage());
            TimeSpan delay = RetryAfter(response) ?? Jittered(attempt);
            if (delay > _maxDelay)
            {
                delay = _maxDelay;
            }

            // Never negative: the time left can run out between the decision to retry and this.
            return delay < timeLeft ? delay : timeLeft > TimeSpan.Zero ? timeLeft : TimeSpan.Zero;
        }

        /// <summary>Some time is left, and the gateway's <c>Retry-After</c> (capped at the maximum delay) does not ask for longer than that.</summary>
        private bool FitsInTimeLeft(HttpResponseMessage? response, TimeSpan timeLeft)
        {
            TimeSpan? asked = RetryAfter(response);
            if (asked > _maxDelay)
            {
                asked = _maxDelay;
            }

            return timeLeft > TimeSpan.Zero && !(asked >= timeLeft);
        }

        private TimeSpan TimeLeft(HttpRequestMessage? request) =>
            RequestState.Of(request) is { } state ? _total - timeProvider.GetElapsedTime(state.Started) : _total;

        private TimeSpan? RetryAfter(HttpResponseMessage? response)
        {
            if (response?.Headers.RetryAfter is not { } retryAfter)
            {
                return null;
            }

            TimeSpan? delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - timeProvider.GetUtcNow() : null);
            return delay > TimeSpan.Zero ? delay : null;
        }

        private TimeSpan Jittered(int attempt)
        {
            double exponential = Math.Min(_baseDelay.Ticks * Math.Pow(2, attempt), _maxDelay.Ticks);
#pragma warning disable CA5394 // Jitter, not security.
            return TimeSpan.FromTicks((long)(exponential * (0.5 + (Random.Shared.NextDouble() * 0.5))));
#pragma warning restore CA5394
        }
    }
}
