using System.Globalization;
using AlipayHk.Pay.Testing.Auth.Internal;
using AlipayHk.Pay.Testing.Faults.Internal;
using AlipayHk.Pay.Testing.Hosting.Internal;
using AlipayHk.Pay.Testing.Journal.Internal;
using AlipayHk.Pay.Testing.Logging.Internal;
using AlipayHk.Pay.Testing.PayPage.Internal;
using AlipayHk.Pay.Testing.Payments.Internal;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.Gateway.Internal;

/// <summary>
/// The simulator's one request delegate: journal, fault, then the endpoint the path names (token, create, query, or
/// the pay page). Errors are answered as the gateway does: an envelope with a non-zero <c>code</c>, HTTP 200; a bad
/// token or bad credentials, HTTP 401.
/// </summary>
internal sealed class GatewayRequestHandler(SimulatorState state, PaymentEndpoints payments, PayPageEndpoint payPage)
{
    private const int MaxBodyBytes = 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        DateTimeOffset arrived = state.TimeProvider.GetUtcNow();
        CancellationToken stopping = state.Background.Stopping; // The state this request belongs to: a reset ends a held-back answer.
        SimulatedEndpoint endpoint = GatewayPaths.Classify(request.Path);
        byte[] body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        SimulatedFault? fault = endpoint == SimulatedEndpoint.Any ? null : state.Faults.Take(endpoint);
        JournalEntry entry = JournalEntries.Arrived(request, arrived, endpoint, body, fault);

        // Journaled on arrival, in order, so that a request still being held back (a Timeout fault) is already visible.
        RequestJournal.Slot place = state.Journal.Add(entry);
        Reply? reply = null;
        try
        {
            reply = await FaultInjector.ServeAsync(fault, context, () => Serve(endpoint, request, body), state.TimeoutFaultDelay, state.TimeProvider, stopping)
                .ConfigureAwait(false);
            if (reply is not null)
            {
                await reply.WriteAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            reply = null; // The client left, or the simulator is stopping: no response.
            context.Abort();
        }
        finally
        {
            state.Journal.Complete(place, JournalEntries.Completed(entry, reply));
            SimulatorLog.Served(
                state.Logger,
                entry.Method,
                entry.Path,
                reply is { } served ? served.Status.ToString(CultureInfo.InvariantCulture) : "no response",
                fault is { } injected ? $" (fault: {injected})" : string.Empty);
        }
    }

    private Reply Serve(SimulatedEndpoint endpoint, HttpRequest request, byte[] body) => endpoint switch
    {
        SimulatedEndpoint.Auth => AuthEndpoint.Token(request, state.Merchants, state.Tokens),
        SimulatedEndpoint.Create => payments.Create(request, body),
        SimulatedEndpoint.Query => payments.Query(request, body),
        _ => payPage.Handle(request),
    };

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                break; // No gateway request is that large; the rest is not kept.
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
