using System.Net;

namespace AlipayHk.Pay;

/// <summary>The gateway answered, and refused: its envelope's <c>code</c> was not 0.</summary>
/// <remarks>The gateway publishes no table of codes: <see cref="GatewayMessage"/> says why.</remarks>
public class AlipayHkPayApiException : AlipayHkPayException
{
    /// <summary>Creates an exception for a refusal by the gateway.</summary>
    /// <param name="code">The envelope's <c>code</c>.</param>
    /// <param name="gatewayMessage">The envelope's <c>message</c>.</param>
    /// <param name="requestId">The envelope's <c>rid</c>.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    public AlipayHkPayApiException(int code, string? gatewayMessage, string? requestId, HttpStatusCode? statusCode)
        : base(BuildMessage(code, gatewayMessage, requestId), requestId, statusCode)
    {
        Code = code;
        GatewayMessage = gatewayMessage;
    }

    /// <summary>The envelope's <c>code</c>: never 0.</summary>
    public int Code { get; }

    /// <summary>The envelope's <c>message</c>: the gateway's reason, or <see langword="null"/> when it gave none.</summary>
    public string? GatewayMessage { get; }

    private static string BuildMessage(int code, string? gatewayMessage, string? requestId) =>
        $"The gateway refused the request with code {code}: {(string.IsNullOrEmpty(gatewayMessage) ? "(no message)" : gatewayMessage)} (rid {requestId ?? "none"}).";
}
