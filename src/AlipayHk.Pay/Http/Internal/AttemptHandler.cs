namespace AlipayHk.Pay.Http;

/// <summary>
/// The SDK's innermost handler, right above the primary handler, so that it sees every send to the network:
/// <list type="bullet">
/// <item>it refuses a send the SDK did not allow (<see cref="RequestState"/>): when a handler the app put on every
/// client re-sends a request within one attempt, that second send never leaves the process, so a create cannot go out
/// twice whatever the app configured around the SDK;</item>
/// <item>it reads the response's body into memory under the attempt's cancellation, so that the attempt timeout covers
/// the whole answer: a gateway or proxy that stalls after the headers cannot hold the call.</item>
/// </list>
/// </summary>
internal sealed class AttemptHandler(TimeProvider timeProvider, HandlerReport report, string clientName) : DelegatingHandler
{
    /// <summary>The largest gateway response read (its answers are well under 1 KB); a larger one is a failed attempt.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestState? state = RequestState.Of(request);
        if (state is null)
        {
            state = new RequestState(timeProvider.GetTimestamp());
            request.Options.Set(RequestState.Key, state);
        }

        if (!state.TryStartSend())
        {
            report.ResendRefused(clientName, request);
            throw new ResendRefusedException(request);
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await BufferAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // On .NET 8 the read is aborted by disposing the content: report it as the cancellation it is, so the
            // attempt timeout names it a timeout.
            response.Dispose();
            throw new OperationCanceledException("The response's body did not arrive within the attempt.", ex, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
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
}

/// <summary>
/// A send the SDK refused because the request had already used its sends: something between the SDK's retry and the
/// network sent it again. Transient for the SDK (the attempt failed), so a create is then recovered by query.
/// </summary>
internal sealed class ResendRefusedException(HttpRequestMessage request)
    : HttpRequestException($"AlipayHk.Pay refused to send {request.Method} {request.RequestUri?.AbsolutePath} a second time within one attempt: a handler added to every HttpClient re-sent it. The SDK retries by itself, and never re-sends a create blindly.");
