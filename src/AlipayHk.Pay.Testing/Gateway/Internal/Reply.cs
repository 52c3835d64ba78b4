using System.Text;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.Gateway.Internal;

/// <summary>
/// A response, built before it is written, so a fault can hold it back or replace it. <see cref="JournalBody"/>, when
/// set, is what the journal keeps instead of <see cref="Body"/> (a token response, without the token).
/// </summary>
internal sealed record Reply(int Status, string ContentType, byte[] Body, KeyValuePair<string, string>[]? Headers = null)
{
    public byte[]? JournalBody { get; init; }

    /// <summary>HTTP 200 with the gateway's envelope: <c>code</c> 0 and <paramref name="data"/>, or an error code.</summary>
    public static Reply Envelope(int code, string message, Action<System.Text.Json.Utf8JsonWriter>? data = null) =>
        Json(StatusCodes.Status200OK, GatewayJson.Envelope(code, message, GatewayJson.NewRequestId(), data));

    public static Reply Json(int status, byte[] body) => new(status, "application/json", body);

    public static Reply Text(int status, string text) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    public static Reply Html(int status, string html) => new(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    /// <summary>HTTP 401 in the envelope, as the gateway answers a bad token or bad credentials.</summary>
    public static Reply Unauthorized(int code, string message) => new(
        StatusCodes.Status401Unauthorized,
        "application/json",
        GatewayJson.Envelope(code, message, GatewayJson.NewRequestId()),
        [new("WWW-Authenticate", "Bearer error=\"invalid_token\"")]);

    public static Reply MethodNotAllowed(string allow) => Text(StatusCodes.Status405MethodNotAllowed, "Method not allowed.") with
    {
        Headers = [new("Allow", allow)],
    };

    /// <summary>What the journal keeps of the answer.</summary>
    public string JournalText => Encoding.UTF8.GetString(JournalBody ?? Body);

    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        response.ContentType = ContentType;
        foreach ((string name, string value) in Headers ?? [])
        {
            response.Headers[name] = value;
        }

        await response.Body.WriteAsync(Body, cancellationToken).ConfigureAwait(false);
    }
}
