using AlipayHk.Pay.Testing.Gateway.Internal;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.Faults.Internal;

/// <summary>
/// Serves a request with its fault, if one is due: some replace the answer before anything is done (503, connection
/// reset, 401), the others after the request was processed (an answer held back, a malformed body, a 502).
/// </summary>
internal static class FaultInjector
{
    /// <summary>The answer to send, or <see langword="null"/> for none (the connection was reset).</summary>
    /// <exception cref="OperationCanceledException">A held-back answer was given up: the client left, or the simulator is stopping.</exception>
    public static async Task<Reply?> ServeAsync(
        SimulatedFault? fault, HttpContext context, Func<Reply> serve, TimeSpan holdBack, TimeProvider time, CancellationToken stopping)
    {
        switch (fault)
        {
            case SimulatedFault.ServerError:
                return Reply.Html(
                    StatusCodes.Status503ServiceUnavailable,
                    "<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
            case SimulatedFault.ConnectionReset:
                context.Abort();
                return null;
            case SimulatedFault.Unauthorized:
                return Reply.Unauthorized(GatewayCodes.InvalidToken, "invalid or expired access token");
        }

        Reply served = serve();
        switch (fault)
        {
            case SimulatedFault.Timeout:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    await Task.Delay(holdBack, time, linked.Token).ConfigureAwait(false);
                }

                return served;
            case SimulatedFault.MalformedBody:
                return Reply.Json(StatusCodes.Status200OK, "{\"code\":0,\"data\":{\"order_id\":"u8.ToArray());
            case SimulatedFault.BadGatewayAfterProcessing:
                return Reply.Html(
                    StatusCodes.Status502BadGateway,
                    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
            default:
                return served;
        }
    }
}
