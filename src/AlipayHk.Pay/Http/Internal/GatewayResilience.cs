using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AlipayHk.Pay.Http;

/// <summary>
/// The timeouts and retries around every gateway call of one merchant, built once from its options.
/// <list type="bullet">
/// <item>Every attempt runs under one timer: the attempt timeout, or what is left of the total timeout when that is
/// shorter. So a call never outlives <see cref="AlipayHkPayOptions.TotalTimeout"/>, and no second timer is armed for
/// it: timers are most of what resilience costs per call (docs/benchmarks.md).</item>
/// <item>Only requests that declare themselves retryable (<see cref="GatewayRetry"/>: the token request and queries)
/// are retried, by a Polly retry strategy, after a transient failure (connection error, timeout, HTTP 408, 429, 5xx):
/// exponential backoff with jitter, <c>Retry-After</c> honoured, every wait capped at
/// <see cref="AlipayHkPayOptions.MaxRetryDelay"/> and at the time left of the total timeout. Polly's telemetry is on.</item>
/// <item>A create declares <see cref="GatewayRetry.Never"/> and goes out once: <see cref="Payments.CreateRecovery"/>
/// recovers an interrupted one by querying first. A request that declares nothing is never retried.</item>
/// </list>
/// Microsoft.Extensions.Http.Resilience's <c>AddResilienceHandler</c> was measured for this and costs 1.8× the time of a
/// hand-written call in memory, against the 1.35× budget (docs/benchmarks.md): this handler keeps one timer per attempt.
/// </summary>
internal sealed class GatewayResilience
{
    /// <summary>The request being sent, for the retry log line and the send allowance.</summary>
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("AlipayHkPay.Request");

    /// <summary>When the call started (a <see cref="TimeProvider"/> timestamp), for the total timeout.</summary>
    internal static readonly ResiliencePropertyKey<long> StartedKey = new("AlipayHkPay.Started");

    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _totalTimeout;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly bool _retries;

    public GatewayResilience(AlipayHkPayOptions settings, ILoggerFactory loggers, TimeProvider timeProvider, string pipelineName)
    {
        ILogger logger = loggers.CreateLogger("AlipayHk.Pay.Http");
        TimeProvider = timeProvider;
        _attemptTimeout = settings.AttemptTimeout;
        _totalTimeout = settings.TotalTimeout;
        _baseDelay = settings.RetryBaseDelay;
        _maxDelay = settings.MaxRetryDelay;
        _retries = settings.MaxRetryAttempts > 0;

        Retry = settings.MaxRetryAttempts == 0
            ? ResiliencePipeline<HttpResponseMessage>.Empty
            : new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider, Name = pipelineName }
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    Name = "Retry",
                    MaxRetryAttempts = settings.MaxRetryAttempts,
                    ShouldHandle = args => new ValueTask<bool>(
                        !args.Context.CancellationToken.IsCancellationRequested
                        && IsTransient(args.Outcome)
                        && FitsInTimeLeft(args.Outcome.Result, TimeLeft(args.Context))),
                    DelayGenerator = args => new ValueTask<TimeSpan?>(RetryDelay(args.AttemptNumber, args.Outcome.Result, TimeLeft(args.Context))),
                    OnRetry = args =>
                    {
                        args.Context.Properties.TryGetValue(RequestKey, out HttpRequestMessage? request);
                        RequestState.Of(request)?.AllowAnotherSend();
                        string outcome = args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int?)args.Outcome.Result?.StatusCode}";
                        Log.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, outcome, args.RetryDelay.TotalMilliseconds);
                        return default;
                    },
                })
                .ConfigureTelemetry(loggers) // Polly's own events and metrics (resilience.polly.*), on the retry path
                .Build();
    }

    /// <summary>The clock of every timeout and wait.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>The retry pipeline for requests that declared themselves retryable (empty when retries are off).</summary>
    internal ResiliencePipeline<HttpResponseMessage> Retry { get; }

    /// <summary>Whether <paramref name="request"/> may be sent again after a transient failure: it declared so, and retries are on.</summary>
    internal bool MayRetry(HttpRequestMessage request) => _retries && GatewayRetry.Allows(request);

    /// <summary>
    /// How long the next attempt of a call that started at <paramref name="started"/> may take: the attempt timeout, or
    /// what is left of the total timeout. Throws <see cref="TimeoutRejectedException"/> when nothing is left.
    /// </summary>
    internal TimeSpan AttemptTimeout(long started)
    {
        TimeSpan left = _totalTimeout - TimeProvider.GetElapsedTime(started);
        if (left <= TimeSpan.Zero)
        {
            throw new TimeoutRejectedException($"The call did not complete within the total timeout of {_totalTimeout}.", _totalTimeout);
        }

        return left < _attemptTimeout ? left : _attemptTimeout;
    }

    /// <summary>
    /// Whether an attempt's outcome is worth another attempt. A send refused as a re-send (<see cref="ResendRefusedException"/>)
    /// is: the SDK's next attempt is allowed its own send.
    /// </summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && GatewayResponse.IsTransientStatus(response.StatusCode));

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> + 1: the response's <c>Retry-After</c> when it has one, else
    /// exponential from the base delay with jitter (between half and all of it); never above the maximum delay nor
    /// above <paramref name="timeLeft"/>.
    /// </summary>
    internal TimeSpan RetryDelay(int attempt, HttpResponseMessage? response, TimeSpan timeLeft)
    {
        TimeSpan delay = RetryAfter(response) ?? Jittered(attempt);
        if (delay > _maxDelay)
        {
            delay = _maxDelay;
        }

        // Never negative: the time left can run out between the decision to retry and this.
        return delay < timeLeft ? delay : timeLeft > TimeSpan.Zero ? timeLeft : TimeSpan.Zero;
    }

    /// <summary>
    /// Whether a retry can still happen in <paramref name="timeLeft"/>: some time is left, and the gateway's
    /// <c>Retry-After</c> (when it sent one) does not ask for longer than that. Otherwise the call fails at once with
    /// the gateway's answer rather than waiting for a timeout.
    /// </summary>
    private bool FitsInTimeLeft(HttpResponseMessage? response, TimeSpan timeLeft) =>
        timeLeft > TimeSpan.Zero && !(Min(RetryAfter(response), _maxDelay) >= timeLeft);

    private static TimeSpan? Min(TimeSpan? delay, TimeSpan max) => delay > max ? max : delay;

    private TimeSpan TimeLeft(ResilienceContext context) =>
        context.Properties.TryGetValue(StartedKey, out long started)
            ? _totalTimeout - TimeProvider.GetElapsedTime(started)
            : _totalTimeout;

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        TimeSpan? delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - TimeProvider.GetUtcNow() : null);
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
