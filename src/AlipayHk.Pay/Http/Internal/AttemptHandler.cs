namespace AlipayHk.Pay.Http;

/// <summary>
/// The SDK's innermost handler, right above the primary handler, so that it sees every send to the network. It refuses
/// a send the SDK did not allow (<see cref="RequestState"/>): when a handler the app put on every client re-sends a
/// request within one attempt, that second send never leaves the process, so a create cannot go out twice whatever the
/// app configured around the SDK. The refusal fails the attempt like a connection error: a create is then recovered
/// by query, and a query goes on to the SDK's next attempt, if it has one.
/// </summary>
internal sealed class AttemptHandler(HandlerReport report, string clientName) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!RequestState.For(request).TryStartSend())
        {
            report.ResendRefused(clientName, request);
            return Task.FromException<HttpResponseMessage>(new ResendRefusedException(request));
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// A send the SDK refused because the request had already used its sends: something between the SDK's retry and the
/// network sent it again. Transient for the SDK (the attempt failed), so a create is then recovered by query.
/// </summary>
internal sealed class ResendRefusedException(HttpRequestMessage request)
    : HttpRequestException($"AlipayHk.Pay refused to send {request.Method} {request.RequestUri?.AbsolutePath} a second time within one attempt: a handler added to every HttpClient re-sent it. The SDK retries by itself, and never re-sends a create blindly.");
