using System.Globalization;
using System.Net.Sockets;

namespace AlipayHk.Pay.Testing.Callbacks.Internal;

/// <summary>
/// Says, in words a test author can act on, why a callback was not accepted: the usual wiring mistakes of a test of an
/// app's own webhook endpoint (no in-memory delivery, a path that does not match, the app configured for another
/// gateway), and what the SDK's endpoint means by each status it answers.
/// </summary>
internal static class CallbackDiagnosis
{
    /// <summary>Why an attempt got no answer at all.</summary>
    public static string NoAnswer(Exception exception, Uri url, bool inMemory)
    {
        if (inMemory)
        {
            return exception is ObjectDisposedException
                ? $"the in-memory handler given to DeliverCallbacksTo was disposed (the app under test was stopped before the callback was sent): {exception.Message}"
                : $"the in-memory handler given to DeliverCallbacksTo failed: {exception.GetType().Name}: {exception.Message}";
        }

        string authority = url.GetLeftPart(UriPartial.Authority);
        const string TestServerHint = "In a .NET test whose app runs in a TestServer or a WebApplicationFactory, call "
            + "gateway.DeliverCallbacksTo(server.CreateHandler()) so that callbacks go into it.";
        return exception switch
        {
            HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } socket } =>
                $"connection refused: nothing listens at {authority}. The notify_url must be the app's real address: the scheme, host and "
                + $"port it listens on, as the gateway reaches it. {TestServerHint} ({socket.SocketErrorCode}: {exception.Message})",
            HttpRequestException { InnerException: SocketException socket } =>
                $"nothing accepted the connection to {authority}. The notify_url must be the app's real address. {TestServerHint} ({socket.SocketErrorCode}: {exception.Message})",
            HttpRequestException => $"nothing accepted the connection to {authority}. The notify_url must be the app's real address. {TestServerHint} ({exception.Message})",
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
    }

    /// <summary>Why an answered attempt was not accepted; <see langword="null"/> for HTTP 200. <paramref name="location"/>: a redirect's.</summary>
    public static string? Refused(int status, Uri url, Uri? location) => status switch
    {
        200 => null,
        >= 300 and < 400 => string.Create(CultureInfo.InvariantCulture, $"HTTP {status}, a redirect to {location?.AbsoluteUri ?? "(no Location header)"}: ")
            + "the gateway does not follow redirects, so this notification counts as not received. Give the create a notify_url the app "
            + "answers without redirecting" + (location is null ? string.Empty : $" (such as {location.AbsoluteUri})")
            + ", or keep the webhook path out of the redirect: an app with UseHttpsRedirection() redirects every http:// request to https://.",
        404 or 405 => $"HTTP {status}: the app has no POST endpoint at {url.AbsolutePath}. The payment's NotifyUrl path must be the one given to MapAlipayHkPayWebhook.",
        401 => $"HTTP 401: the app rejected the callback's signature. Configure the app's AlipayHkPay settings with gateway.ConfigureClient, so that its WebhookKey (or ClientSecret) and WebhookSignatureHeader are the simulator's.",
        502 => $"HTTP 502: the app could not confirm the payment with the gateway. Configure the app's AlipayHkPay settings with gateway.ConfigureClient, so that its BaseAddress is the simulator's.",
        503 => $"HTTP 503: the app did not confirm the payment as paid yet (the gateway still reported it pending), or its duplicate store failed: see the app's log.",
        500 => $"HTTP 500: the app's webhook handler threw: see the app's log.",
        400 => $"HTTP 400: the app found the body malformed.",
        409 => $"HTTP 409: the app was still handling an earlier delivery of the same outcome.",
        _ => string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: only HTTP 200 counts as received."),
    };
}
