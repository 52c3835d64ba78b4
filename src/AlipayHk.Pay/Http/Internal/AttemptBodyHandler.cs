namespace AlipayHk.Pay.Http;

/// <summary>
/// Inside each attempt (under its timeout): sends the request and reads the whole answer into memory, so that a gateway
/// or proxy that stalls after the headers cannot hold the call past the attempt timeout (Refit and the SDK read the body
/// only after the handlers have returned). A read cut short by that timeout becomes a cancellation, which the timeout
/// strategy reports as a timeout; a body that breaks off is a transport failure. Also notes when the call's first
/// attempt started, for the time left (<see cref="GatewayResilience"/>).
/// </summary>
internal sealed class AttemptBodyHandler(TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>The largest gateway answer read (its answers are well under 1 KB); a larger one is a failed attempt.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.GetResilienceContext() is { } context && !context.Properties.TryGetValue(GatewayResilience.StartedKey, out _))
        {
            context.Properties.Set(GatewayResilience.StartedKey, timeProvider.GetTimestamp());
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
#if NETFRAMEWORK
        response.Content ??= new ByteArrayContent([]); // .NET gives every answer a body; on .NET Framework an app's handler may not
#endif
        try
        {
            await BufferAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or ObjectDisposedException)
        {
            response.Dispose();
            cancellationToken.ThrowIfCancellationRequested(); // the attempt's timeout (or the caller) ended the read
            throw ex as HttpRequestException ?? new HttpRequestException($"The answer's body broke off: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a body into memory, at most <see cref="MaxBodyBytes"/>, giving up when <paramref name="cancellationToken"/> fires.</summary>
    private static async Task BufferAsync(HttpContent content, CancellationToken cancellationToken)
    {
#if NET9_0_OR_GREATER
        await content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken).ConfigureAwait(false);
#else
        // No cancellable overload before .NET 9: disposing the content aborts the read.
        using (cancellationToken.Register(static c => ((HttpContent)c!).Dispose(), content))
        {
            await content.LoadIntoBufferAsync(MaxBodyBytes).ConfigureAwait(false);
        }
#endif
    }
}
