using System.Globalization;
using AlipayHk.Pay.Testing.Hosting.Internal;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Simulator.ControlApi;

/// <summary>
/// <c>GET /simulator/api/events</c>: server-sent events, one <c>change</c> event whenever anything changes (a payment,
/// a callback attempt, the journal, the faults), so that the dashboard fetches again only then.
/// </summary>
internal static class ChangeStream
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task WriteAsync(HttpContext context, ChangeFeed changes, CancellationToken stopping)
    {
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // A reverse proxy in front must not hold the events back.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        CancellationToken token = ended.Token;
        long seen = changes.Version;
        try
        {
            await WriteEventAsync(response, seen, token); // At once: the page loads its first state on it.
            while (!token.IsCancellationRequested)
            {
                using var round = CancellationTokenSource.CreateLinkedTokenSource(token);
                Task<long> changed = changes.WaitAsync(seen, round.Token);
                Task quiet = Task.Delay(KeepAlive, round.Token);
                Task first = await Task.WhenAny(changed, quiet);
                await round.CancelAsync(); // Ends the other wait, and its timer.
                if (first != changed)
                {
                    await response.WriteAsync(": keep-alive\n\n", token);
                    await response.Body.FlushAsync(token);
                    continue;
                }

                seen = await changed;
                await WriteEventAsync(response, seen, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page went away, or the server is stopping.
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, long version, CancellationToken cancellationToken)
    {
        await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"event: change\ndata: {version}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
