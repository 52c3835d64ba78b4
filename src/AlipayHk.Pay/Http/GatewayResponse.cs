using System.Net;
using System.Text.Json;
using Refit;

namespace AlipayHk.Pay.Http;

/// <summary>
/// Turns what Refit returns into the envelope's <c>data</c>, or into a typed exception that carries the HTTP
/// status and the <c>rid</c>. Never lets a raw <see cref="JsonException"/> or a Refit exception out: Refit's
/// exceptions hold the live request, with its bearer token.
/// </summary>
internal static class GatewayResponse
{
    internal static T Unwrap<T>(IApiResponse<GatewayEnvelope<T>> response, string operation)
        where T : class
    {
        if (response.HasRequestError(out ApiRequestException? requestError))
        {
            throw Transport(requestError.InnerException ?? requestError, operation);
        }

        HttpStatusCode status = response.StatusCode ?? default;
        if (response.Error is { } error)
        {
            if (!response.IsSuccessStatusCode)
            {
                // A refusal may still carry an envelope (for example a 400 with code and message).
                GatewayEnvelope<T>? envelope = TryReadEnvelope<T>((error as ApiException)?.Content);
                if (envelope is { Code: not 0 })
                {
                    throw new AlipayHkPayApiException(envelope.Code, envelope.Message, envelope.Rid, status)
                    {
                        IsTransient = IsTransientStatus(status),
                    };
                }

                throw new AlipayHkPayException(
                    $"The gateway answered {operation} with HTTP {(int)status} ({status}){Describe(error as ApiException)}.",
                    envelope?.Rid,
                    status)
                {
                    IsTransient = IsTransientStatus(status),
                };
            }

            // A 2xx whose body did not parse: for a create, the order may exist.
            throw new AlipayHkPayException(
                $"The gateway answered {operation} with HTTP {(int)status}, but the body is not JSON{Describe(error as ApiException)}.",
                requestId: null,
                status,
                error.InnerException as JsonException)
            {
                IsTransient = true,
            };
        }

        GatewayEnvelope<T>? body = response.Content;
        if (body is null)
        {
            throw new AlipayHkPayException($"The gateway answered {operation} with HTTP {(int)status} and an empty body.", null, status)
            {
                IsTransient = true,
            };
        }

        if (body.Code != 0)
        {
            throw new AlipayHkPayApiException(body.Code, body.Message, body.Rid, status);
        }

        return body.Data
            ?? throw new AlipayHkPayException($"The gateway answered {operation} with code 0 but no data (rid {body.Rid ?? "none"}).", body.Rid, status)
            {
                IsTransient = true,
            };
    }

    /// <summary>
    /// The exception for a call that got no response: a connection failure or a timeout. The inner exception is
    /// the transport's own, never Refit's wrapper (which holds the request and its credentials).
    /// </summary>
    internal static AlipayHkPayException Transport(Exception cause, string operation)
    {
        Exception inner = cause is ApiExceptionBase { InnerException: { } transport } ? transport : cause;
        if (inner is AlipayHkPayException ours)
        {
            return ours; // Raised below Refit, for example by the token handler: already typed.
        }

        if (inner is ApiExceptionBase)
        {
            inner = new HttpRequestException(inner.Message);
        }

        string what = inner is Polly.Timeout.TimeoutRejectedException or TimeoutException or TaskCanceledException
            ? "timed out"
            : "got no response";
        return new AlipayHkPayException($"{operation} {what}: {inner.Message}", null, null, inner) { IsTransient = true };
    }

    internal static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static GatewayEnvelope<T>? TryReadEnvelope<T>(string? content)
        where T : class
    {
        if (string.IsNullOrEmpty(content) || content[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(content, GatewayJsonContext.Default.GetTypeInfo(typeof(GatewayEnvelope<T>))!) as GatewayEnvelope<T>;
        }
        catch (JsonException)
        {
            return null; // Not an envelope: the caller reports the status and the content type instead.
        }
    }

    private static string Describe(ApiException? error)
    {
        if (error is null)
        {
            return string.Empty;
        }

        string? mediaType = error.ContentHeaders?.ContentType?.MediaType;
        int length = error.Content?.Length ?? 0;
        return length == 0 ? "; the body was empty" : $"; the body ({mediaType ?? "no content type"}, {length} characters) is not a gateway envelope";
    }
}
