using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace AlipayHk.Pay.Http;

/// <summary>
/// The pipeline around every gateway call, outermost first: a total timeout, retries of transient failures
/// (never for a create), and a timeout per attempt.
/// </summary>
internal static class GatewayResilience
{
    internal static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        AlipayHkPayOptions options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>().CurrentValue;
        ILogger logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("AlipayHk.Pay.Http");

        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => new ValueTask<bool>(
                    !GatewayRoutes.IsCreate(args.Context.GetRequestMessage())
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    HttpRequestMessage? request = args.Context.GetRequestMessage();
                    string outcome = args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int?)args.Outcome.Result?.StatusCode}";
                    Log.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, outcome, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        pipeline.AddTimeout(options.AttemptTimeout);
    }
}
