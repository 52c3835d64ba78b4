using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Timeout;
using Refit;

namespace AlipayHk.Pay.Pipeline;

/// <summary>
/// The one classifier of the gateway's answers. It says what is transient (for the retry strategy, the create's
/// recovery and <see cref="AlipayHkPayException.IsTransient"/> alike), and turns every answer into the envelope's
/// <c>data</c> or a typed exception that carries the HTTP status and the <c>rid</c>. Never lets a raw
/// <see cref="JsonException"/>, a transport exception or a Refit exception out: Refit's exceptions hold the live
/// request, with its bearer token.
/// </summary>
internal static class GatewayResponse
{
    /// <summary>Whether an HTTP status is worth another attempt: 408, 429 and every 5xx.</summary>
    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or (HttpStatusCode)429 || (int)status >= 500; // 429: TooManyRequests, not named on .NET Framework

    /// <summary>Whether an attempt's outcome is worth another attempt: no response, a timeout, or a transient status.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && IsTransient(response.StatusCode));

    /// <summary>
    /// Awaits <paramref name="call"/> and reads the envelope from its response: the envelope when its code is 0 and it
    /// has data; otherwise an <see cref="AlipayHkPayException"/>. <paramref name="operation"/> names the call in
    /// messages ("the create").
    /// </summary>
    internal static async Task<GatewayEnvelope<T>> ReceiveAsync<T>(
        Task<HttpResponseMessage> call, JsonTypeInfo<GatewayEnvelope<T>> envelopeType, string operation, CancellationToken cancellationToken)
        where T : class
    {
        HttpResponseMessage response;
        try
        {
            response = await call.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not AlipayHkPayException)
        {
            cancellationToken.ThrowIfCancellationRequested(); // the caller's cancellation stays a cancellation
            throw Transport(ex, operation);
        }

        using (response)
        {
            // The body was read into memory within the attempt's timeout (AttemptBodyHandler): what can fail here is
            // its content, not the connection.
            HttpStatusCode status = response.StatusCode;
            HttpContent content = response.Content;
            GatewayEnvelope<T>? body;
            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw Refused(status, await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), content, envelopeType, operation);
                }

                if (content.Headers.ContentLength == 0)
                {
                    throw EmptyBody(status, operation);
                }

                body = content.Headers.ContentType?.CharSet is null or "utf-8" or "UTF-8"
                    ? JsonSerializer.Deserialize(await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), envelopeType)
                    : await content.ReadFromJsonAsync(envelopeType, cancellationToken).ConfigureAwait(false); // transcodes other charsets
            }
            catch (JsonException notJson)
            {
                long length = (await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)).LongLength;
                if (length == 0)
                {
                    throw EmptyBody(status, operation);
                }

                // A 2xx whose body did not parse: for a create, the order may exist.
                throw Failure($"The gateway answered {operation} with HTTP {(int)status}, but the body is not JSON{NotAnEnvelope(content, $"{length} bytes")}.", status, notJson, transient: true);
            }
            catch (Exception ex) when (ex is not AlipayHkPayException)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // For example a charset the runtime cannot decode: the status is known, so it is kept.
                throw Failure($"The gateway answered {operation} with HTTP {(int)status}, but its body could not be read: {ex.Message}", status, ex, response.IsSuccessStatusCode || IsTransient(status));
            }

            if (body is null)
            {
                throw EmptyBody(status, operation); // The body was the JSON literal null.
            }

            if (body.Code != 0)
            {
                throw new AlipayHkPayApiException(body.Code, body.Message, body.Rid, status);
            }

            return body.Data is null
                ? throw new AlipayHkPayException($"The gateway answered {operation} with code 0 but no data (rid {body.Rid ?? "none"}).", body.Rid, status) { IsTransient = true }
                : body;
        }
    }

    /// <summary>
    /// The exception for a call that got no response: a connection failure or a timeout. The inner exception is the
    /// transport's own, never Refit's wrapper (which holds the request and its credentials).
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

        string what = inner is TimeoutRejectedException or TimeoutException or TaskCanceledException ? "timed out" : "got no response";
        return new AlipayHkPayException($"{Capitalized(operation)} {what}: {inner.Message}", null, null, inner) { IsTransient = true };
    }

    /// <summary>A refusal (not 2xx). It may still carry an envelope, for example a 400 with code and message.</summary>
    private static AlipayHkPayException Refused<T>(
        HttpStatusCode status, string text, HttpContent content, JsonTypeInfo<GatewayEnvelope<T>> envelopeType, string operation)
        where T : class
    {
        GatewayEnvelope<T>? envelope = TryRead(text, envelopeType);
        if (envelope is { Code: not 0 })
        {
            return new AlipayHkPayApiException(envelope.Code, envelope.Message, envelope.Rid, status) { IsTransient = IsTransient(status) };
        }

        string body = text.Length == 0 ? "; the body was empty" : NotAnEnvelope(content, $"{text.Length} characters");
        return new AlipayHkPayException($"The gateway answered {operation} with HTTP {(int)status} ({status}){body}.", envelope?.Rid, status) { IsTransient = IsTransient(status) };
    }

    private static AlipayHkPayException EmptyBody(HttpStatusCode status, string operation) =>
        Failure($"The gateway answered {operation} with HTTP {(int)status} and an empty body.", status, null, transient: true);

    private static AlipayHkPayException Failure(string message, HttpStatusCode status, Exception? inner, bool transient) =>
        new(message, null, status, inner) { IsTransient = transient };

    /// <summary>The body of a refusal as <typeparamref name="T"/>, or <see langword="null"/> when it is not a JSON object of that shape.</summary>
    internal static T? TryRead<T>(string? content, JsonTypeInfo<T> type)
        where T : class
    {
        if (string.IsNullOrEmpty(content) || content[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(content, type);
        }
        catch (JsonException)
        {
            return null; // Not JSON: the caller explains the refusal by its status (and the content type) instead.
        }
    }

    private static string NotAnEnvelope(HttpContent content, string size) =>
        $"; the body ({content.Headers.ContentType?.MediaType ?? "no content type"}, {size}) is not a gateway envelope";

    private static string Capitalized(string operation) => operation.Length == 0 ? operation : char.ToUpperInvariant(operation[0]) + operation[1..];
}
