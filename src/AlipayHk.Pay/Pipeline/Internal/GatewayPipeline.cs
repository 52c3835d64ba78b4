using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Serialization;
using AlipayHk.Pay.Diagnostics;
using Microsoft.Extensions.Logging;
using Refit;

namespace AlipayHk.Pay.Pipeline;

/// <summary>
/// Runs every gateway operation of one merchant the same way (<see cref="RunAsync"/>): checks the request, opens the
/// operation's span and duration measurement, sends it through the merchant's HTTP client (bearer token, timeouts and
/// the retries its operation declared), turns the answer into the result or a typed exception with the <c>rid</c>,
/// calls the operation's recovery hook after a transient failure, and writes one log line. Nothing in it knows an
/// operation: adding one never touches it.
/// </summary>
internal sealed class GatewayPipeline(Merchant merchant, HttpClient http, ILogger logger, AlipayHkPayInstruments instruments, TimeProvider timeProvider)
{
    /// <summary>Request bodies serialized into a byte array (they are a few hundred bytes), with a Content-Length.</summary>
    private static readonly RefitSettings Settings = new() { RequestBodySerialization = RequestBodySerializationMode.Buffered };

    /// <summary>The Refit clients this pipeline made, per interface.</summary>
    private ConcurrentDictionary<Type, object>? _apis;

    internal Merchant Merchant => merchant;

    internal ILogger Logger => logger;

    internal AlipayHkPayInstruments Instruments => instruments;

    /// <summary>Runs one call of <paramref name="operation"/>, as described above.</summary>
    internal async Task<TResult> RunAsync<TApi, TRequest, TData, TResult>(
        GatewayOperation<TApi, TRequest, TData, TResult> operation, TRequest request, CancellationToken cancellationToken)
        where TApi : class
        where TData : class
    {
        operation.Validate(request);
        long started = timeProvider.GetTimestamp();
        OperationScope scope = OperationScope.Start(instruments, operation.Name, ActivityKind.Client, merchant.Name);
        if (scope.Activity is { } span)
        {
            operation.TagRequest(span, request);
        }

        try
        {
            TResult result;
            try
            {
                result = await SendAsync(operation, request, cancellationToken).ConfigureAwait(false);
            }
            catch (AlipayHkPayException interrupted) when (interrupted.IsTransient && operation.Recovers)
            {
                result = await operation.RecoverAsync(this, request, interrupted, scope.Activity, cancellationToken).ConfigureAwait(false);
            }

            if (scope.Activity is { } done)
            {
                operation.TagResult(done, result);
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                Log.CallSucceeded(logger, operation.Noun, operation.Describe(request), Elapsed(started), operation.Summarize(result));
            }

            return result;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            if (ex is AlipayHkPayException failure)
            {
                Log.CallFailed(logger, operation.Noun, operation.Describe(request), Elapsed(started), (int?)failure.StatusCode, failure.RequestId, failure.Message);
            }

            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }

    /// <summary>Sends one request of <paramref name="operation"/> and reads its answer, without a span or a log line of its own (for a recovery inside another operation's span).</summary>
    internal async Task<TResult> SendAsync<TApi, TRequest, TData, TResult>(
        GatewayOperation<TApi, TRequest, TData, TResult> operation, TRequest request, CancellationToken cancellationToken)
        where TApi : class
        where TData : class
    {
        Task<HttpResponseMessage> call = operation.SendAsync(Api<TApi>(operation.Json), request, operation.Retry, cancellationToken);
        GatewayEnvelope<TData> envelope = await GatewayResponse.ReceiveAsync(call, operation.Envelope, operation.Noun, cancellationToken).ConfigureAwait(false);
        return operation.Map(envelope.Data!, envelope.Rid, logger);
    }

    /// <summary>The generated Refit client of <typeparamref name="TApi"/> over the merchant's payments HTTP client.</summary>
    private TApi Api<TApi>(JsonSerializerContext json)
        where TApi : class
    {
        ConcurrentDictionary<Type, object> apis = LazyInitializer.EnsureInitialized(ref _apis);
        return (TApi)apis.GetOrAdd(typeof(TApi), static (_, state) => RestService.ForGenerated<TApi>(state.http, state.json, Settings), (http, json));
    }

    private double Elapsed(long started) => timeProvider.GetElapsedTime(started).TotalMilliseconds;
}
