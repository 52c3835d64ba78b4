using Polly;
using Polly.Timeout;

namespace AlipayHk.Pay.Http;

/// <summary>
/// Sends each request with the <see cref="GatewayResilience"/> rules of its merchant. The first attempt goes out directly, under its
/// timeout, which covers reading the response's body too. Only when it fails transiently, and the request is not a
/// create, does the call enter the Polly retry pipeline, which is handed that first outcome as its own first attempt:
/// so backoff, <c>Retry-After</c>, attempt numbers and logs are exactly those of a pipeline that made every attempt,
/// while a call that succeeds at once (nearly all of them) pays nothing for the retry machinery.
/// </summary>
internal sealed class GatewayResilienceHandler(GatewayResilience resilience) : DelegatingHandler
{
    /// <summary>The largest gateway response read (its answers are well under 1 KB); a larger one is a failed attempt.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long started = resilience.TimeProvider.GetTimestamp();
        Outcome<HttpResponseMessage> first;
        try
        {
            HttpResponseMessage response = await SendAttemptAsync(request, started, cancellationToken).ConfigureAwait(false);
            if (!GatewayResponse.IsTransientStatus(response.StatusCode) || !resilience.MayRetry(request))
            {
                return response;
            }

            first = Outcome.FromResult(response);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && GatewayResilience.IsTransient(Outcome.FromException<HttpResponseMessage>(ex))
            && resilience.MayRetry(request))
        {
            first = Outcome.FromException<HttpResponseMessage>(ex);
        }

        return await RetryAsync(request, started, first, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> RetryAsync(HttpRequestMessage request, long started, Outcome<HttpResponseMessage> first, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(GatewayResilience.RequestKey, request);
        context.Properties.Set(GatewayResilience.StartedKey, started);
        try
        {
            var attempts = new Attempts(this, request, started, first);
            Outcome<HttpResponseMessage> outcome = await resilience.Retry.ExecuteOutcomeAsync(
                static (context, attempts) => attempts.NextAsync(context.CancellationToken),
                context,
                attempts).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One attempt: the request sent and the response's body read into memory, both under the attempt's timeout (so a
    /// gateway or proxy that stalls after the headers cannot hold the call). The timeout comes out as
    /// <see cref="TimeoutRejectedException"/>; a body that breaks off as <see cref="HttpRequestException"/> (transient).
    /// </summary>
    private async Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, long started, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TimeSpan timeout = resilience.AttemptTimeout(started);
        CancellationTokenSource attempt = AttemptTimer.Start(timeout, resilience.TimeProvider);
        CancellationTokenRegistration link = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), attempt);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
            await BufferAsync(response.Content, attempt.Token).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex) when (attempt.IsCancellationRequested && ex is OperationCanceledException or HttpRequestException or IOException or ObjectDisposedException)
        {
            response?.Dispose();
            cancellationToken.ThrowIfCancellationRequested(); // the caller's cancellation, not a timeout
            throw new TimeoutRejectedException($"The attempt did not complete within {timeout}.", timeout, ex);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
        finally
        {
            link.Dispose();
            AttemptTimer.Return(attempt, resilience.TimeProvider);
        }
    }

    /// <summary>Reads a body into memory, at most <see cref="MaxBodyBytes"/>, giving up when <paramref name="cancellationToken"/> fires.</summary>
    private static async Task BufferAsync(HttpContent content, CancellationToken cancellationToken)
    {
#if NET9_0_OR_GREATER
        await content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken).ConfigureAwait(false);
#else
        // No cancellable overload before .NET 9: disposing the content aborts the read.
        using (cancellationToken.UnsafeRegister(static c => ((HttpContent)c!).Dispose(), content))
        {
            await content.LoadIntoBufferAsync(MaxBodyBytes).ConfigureAwait(false);
        }
#endif
    }

    /// <summary>The attempts the retry pipeline makes: the first one's outcome as it was, then new ones.</summary>
    private sealed class Attempts(GatewayResilienceHandler handler, HttpRequestMessage request, long started, Outcome<HttpResponseMessage> first)
    {
        private bool _firstTaken;

        internal async ValueTask<Outcome<HttpResponseMessage>> NextAsync(CancellationToken cancellationToken)
        {
            if (!_firstTaken)
            {
                _firstTaken = true;
                return first;
            }

            try
            {
                return Outcome.FromResult(await handler.SendAttemptAsync(request, started, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                return Outcome.FromException<HttpResponseMessage>(ex);
            }
        }
    }
}
