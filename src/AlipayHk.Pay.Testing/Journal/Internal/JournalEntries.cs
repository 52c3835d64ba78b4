using System.Text;
using AlipayHk.Pay.Testing.Gateway.Internal;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.Journal.Internal;

/// <summary>A request's journal entry: written on arrival, completed with the answer. Secrets and tokens read <c>REDACTED</c>.</summary>
internal static class JournalEntries
{
    private static readonly string[] JournaledHeaders = ["Authorization", "Content-Type", "User-Agent"];

    public static JournalEntry Arrived(HttpRequest request, DateTimeOffset timestamp, SimulatedEndpoint endpoint, byte[] body, SimulatedFault? fault) => new()
    {
        Timestamp = timestamp,
        Method = request.Method,
        Path = request.Path.Value ?? string.Empty,
        Query = RequestJournal.RedactQuery(request.QueryString.Value),
        Endpoint = endpoint,
        Headers = Headers(request),
        Body = Encoding.UTF8.GetString(body),
        ResponseBody = string.Empty,
        Fault = fault,
    };

    /// <summary>The entry with the answer: <paramref name="reply"/>, or <see langword="null"/> when none was sent.</summary>
    public static JournalEntry Completed(JournalEntry arrived, Reply? reply) => new()
    {
        Timestamp = arrived.Timestamp,
        Method = arrived.Method,
        Path = arrived.Path,
        Query = arrived.Query,
        Endpoint = arrived.Endpoint,
        Headers = arrived.Headers,
        Body = arrived.Body,
        StatusCode = reply?.Status,
        ResponseBody = reply?.JournalText ?? string.Empty,
        Fault = arrived.Fault,
    };

    private static Dictionary<string, string> Headers(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in JournaledHeaders)
        {
            if (request.Headers.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues value))
            {
                headers[name] = name == "Authorization" ? RequestJournal.RedactAuthorization(value.ToString()) : value.ToString();
            }
        }

        return headers;
    }
}
