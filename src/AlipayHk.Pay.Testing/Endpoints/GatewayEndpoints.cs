using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AlipayHk.Pay.Testing.Hosting;
using AlipayHk.Pay.Testing.Journal;
using AlipayHk.Pay.Testing.Logging;
using AlipayHk.Pay.Testing.State;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.Endpoints;

/// <summary>
/// The simulator's one request delegate: journal, faults, bearer check, then the gateway's endpoints. Errors are
/// answered as the gateway does: an envelope with a non-zero <c>code</c>, HTTP 200; a bad token or bad
/// credentials, HTTP 401.
/// </summary>
internal sealed class GatewayEndpoints(
    SimulatorState state,
    Func<string, Uri> qrCodeUrl,
    Action<PaymentRecord> onCreated,
    Action<string> payFromPage)
{
    /// <summary>The simulator's code for a payment it does not know.</summary>
    internal const int OrderNotFoundCode = 40004;

    /// <summary>The simulator's code for a merchant order id that is already taken.</summary>
    internal const int DuplicateOrderCode = 40002;

    /// <summary>The simulator's code for a missing, unknown or expired bearer token.</summary>
    internal const int InvalidTokenCode = 40100;

    /// <summary>The simulator's code for a wrong uid or client secret.</summary>
    internal const int InvalidCredentialsCode = 40101;

    internal const string AuthPath = "/mch-api/v1/auth";
    internal const string CreatePath = "/mch-api/v1/pa/payment_intents/create";
    internal const string QueryPath = "/mch-api/v1/pa/payment_intents/query";
    internal const string PayPagePath = "/simulator/pay/";

    private const int MaxBodyBytes = 1024 * 1024;
    private static readonly string[] JournaledHeaders = ["Authorization", "Content-Type", "User-Agent"];

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        DateTimeOffset arrived = state.TimeProvider.GetUtcNow();
        SimulatedEndpoint endpoint = Classify(request.Path);
        byte[] body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        SimulatedFault? fault = endpoint == SimulatedEndpoint.Any ? null : state.Faults.Take(endpoint);
        var entry = new JournalEntry
        {
            Timestamp = arrived,
            Method = request.Method,
            Path = request.Path.Value ?? string.Empty,
            Query = RequestJournal.RedactQuery(request.QueryString.Value),
            Endpoint = endpoint,
            Headers = JournalHeaders(request),
            Body = Encoding.UTF8.GetString(body),
            ResponseBody = string.Empty,
            Fault = fault,
        };

        // Journaled on arrival, in order, so that a request still being held back (a Timeout fault) is already visible.
        int place = state.Journal.Add(entry);
        Reply? reply = null;
        try
        {
            reply = await ServeAsync(context, endpoint, body, fault).ConfigureAwait(false);
            if (reply is { } answer)
            {
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = answer.ContentType;
                foreach ((string name, string value) in answer.Headers ?? [])
                {
                    context.Response.Headers[name] = value;
                }

                await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || state.Stopping.IsCancellationRequested)
        {
            reply = null; // The client left, or the simulator is stopping: no response.
            context.Abort();
        }
        finally
        {
            state.Journal.Complete(place, new JournalEntry
            {
                Timestamp = entry.Timestamp,
                Method = entry.Method,
                Path = entry.Path,
                Query = entry.Query,
                Endpoint = entry.Endpoint,
                Headers = entry.Headers,
                Body = entry.Body,
                StatusCode = reply?.Status,
                ResponseBody = reply is { } r ? Encoding.UTF8.GetString(r.Body) : string.Empty,
                Fault = entry.Fault,
            });
            SimulatorLog.Served(
                state.Logger,
                entry.Method,
                entry.Path,
                reply is { } served ? served.Status.ToString(CultureInfo.InvariantCulture) : "no response",
                fault is { } injected ? $" (fault: {injected})" : string.Empty);
        }
    }

    private async Task<Reply?> ServeAsync(HttpContext context, SimulatedEndpoint endpoint, byte[] body, SimulatedFault? fault)
    {
        switch (fault)
        {
            case SimulatedFault.ServerError:
                return new Reply(
                    StatusCodes.Status503ServiceUnavailable,
                    "text/html; charset=utf-8",
                    "<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>"u8.ToArray());
            case SimulatedFault.ConnectionReset:
                context.Abort();
                return null;
            case SimulatedFault.Unauthorized:
                return Unauthorized(InvalidTokenCode, "invalid or expired access token");
        }

        Reply served = endpoint switch
        {
            SimulatedEndpoint.Auth => Auth(context.Request),
            SimulatedEndpoint.Create => Create(context.Request, body),
            SimulatedEndpoint.Query => Query(context.Request, body),
            _ => PayPage(context.Request),
        };

        switch (fault)
        {
            case SimulatedFault.Timeout:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping))
                {
                    await Task.Delay(state.TimeoutFaultDelay, state.TimeProvider, linked.Token).ConfigureAwait(false);
                }

                return served;
            case SimulatedFault.MalformedBody:
                return new Reply(StatusCodes.Status200OK, "application/json", "{\"code\":0,\"data\":{\"order_id\":"u8.ToArray());
            case SimulatedFault.BadGatewayAfterProcessing:
                return new Reply(
                    StatusCodes.Status502BadGateway,
                    "text/html; charset=utf-8",
                    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"u8.ToArray());
            default:
                return served;
        }
    }

    private Reply Auth(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method))
        {
            return MethodNotAllowed("GET");
        }

        string rid = GatewayJson.NewRequestId();
        if (request.Query["grant_type"] != "client_credentials")
        {
            return Json(StatusCodes.Status400BadRequest, GatewayJson.Envelope(CreateRequest.InvalidParameterCode, "grant_type must be client_credentials", rid));
        }

        if (request.Query["uid"] != state.Uid || request.Query["client_secret"] != state.ClientSecret)
        {
            return Unauthorized(InvalidCredentialsCode, "invalid uid or client_secret");
        }

        string token = state.Tokens.Issue();
        return Json(StatusCodes.Status200OK, GatewayJson.Token(token, (long)state.Tokens.Lifetime.TotalSeconds));
    }

    private Reply Create(HttpRequest request, byte[] body)
    {
        if (Refuse(request) is { } refused)
        {
            return refused;
        }

        string rid = GatewayJson.NewRequestId();
        CreateRequest? create = CreateRequest.TryParse(body, out string? error);
        if (create is null)
        {
            return Json(StatusCodes.Status200OK, GatewayJson.Envelope(CreateRequest.InvalidParameterCode, error!, rid));
        }

        PaymentRecord? record = state.Payments.TryCreate(
            create.MerchantOrderId, create.AmountText, create.Amount, create.Wallet, create.Description, create.NotifyUrl, qrCodeUrl);
        if (record is null)
        {
            return Json(
                StatusCodes.Status200OK,
                GatewayJson.Envelope(DuplicateOrderCode, $"merchant_order_id '{create.MerchantOrderId}' already exists", rid));
        }

        state.Payments.TryFind(record.OrderId, null, out _, out SimulatedPayment? payment);
        onCreated(record);
        return Json(StatusCodes.Status200OK, GatewayJson.Envelope(0, "ok", rid, GatewayJson.CreatedData(record, payment!)));
    }

    private Reply Query(HttpRequest request, byte[] body)
    {
        if (Refuse(request) is { } refused)
        {
            return refused;
        }

        string rid = GatewayJson.NewRequestId();
        string? orderId;
        string? merchantOrderId;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Json(StatusCodes.Status200OK, GatewayJson.Envelope(CreateRequest.InvalidParameterCode, "invalid request body: expected a JSON object", rid));
            }

            orderId = StringOrNull(document.RootElement, "order_id");
            merchantOrderId = StringOrNull(document.RootElement, "merchant_order_id");
        }
        catch (JsonException)
        {
            return Json(StatusCodes.Status200OK, GatewayJson.Envelope(CreateRequest.InvalidParameterCode, "invalid request body: not JSON", rid));
        }

        if (string.IsNullOrEmpty(orderId) && string.IsNullOrEmpty(merchantOrderId))
        {
            return Json(StatusCodes.Status200OK, GatewayJson.Envelope(CreateRequest.InvalidParameterCode, "order_id or merchant_order_id is required", rid));
        }

        if (!state.Payments.TryFind(orderId, merchantOrderId, out PaymentRecord? record, out SimulatedPayment? payment))
        {
            return Json(StatusCodes.Status200OK, GatewayJson.Envelope(OrderNotFoundCode, "order not found", rid));
        }

        return Json(StatusCodes.Status200OK, GatewayJson.Envelope(0, "ok", rid, GatewayJson.QueriedData(record!, payment!)));
    }

    /// <summary>
    /// <c>GET /simulator/pay/{order_id}</c> shows the order, with a button; <c>POST</c> pays it, as a shopper
    /// who scanned the QR code would. Not part of the gateway: it lets a person play the shopper in a demo.
    /// </summary>
    private Reply PayPage(HttpRequest request)
    {
        string path = request.Path.Value ?? string.Empty;
        if (!path.StartsWith(PayPagePath, StringComparison.Ordinal))
        {
            return new Reply(StatusCodes.Status404NotFound, "text/plain; charset=utf-8", "Not found: the simulator serves the CBTIS gateway's paths only."u8.ToArray());
        }

        string orderId = path[PayPagePath.Length..];
        string message = string.Empty;
        if (HttpMethods.IsPost(request.Method))
        {
            try
            {
                payFromPage(orderId);
                message = "Paid. The merchant is being notified.";
            }
            catch (InvalidOperationException ex)
            {
                message = ex.Message;
            }
            catch (KeyNotFoundException)
            {
                // Answered below as not found.
            }
        }
        else if (!HttpMethods.IsGet(request.Method))
        {
            return MethodNotAllowed("GET, POST");
        }

        SimulatedPayment? payment = state.Payments.Find(orderId);
        if (payment is null)
        {
            return new Reply(StatusCodes.Status404NotFound, "text/plain; charset=utf-8", "No such order."u8.ToArray());
        }

        string html = string.Create(
            CultureInfo.InvariantCulture,
            $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Alipay HK simulator</title></head>
            <body style="font-family:sans-serif">
            <h1>Alipay HK gateway simulator</h1>
            <p>Order {WebUtility.HtmlEncode(payment.OrderId)} (merchant order {WebUtility.HtmlEncode(payment.MerchantOrderId)}): HKD {payment.Amount:0.00}, {WebUtility.HtmlEncode(payment.Description)}</p>
            <p>Status: <strong>{PaymentStore.Wire(payment.Status)}</strong></p>
            <p>{WebUtility.HtmlEncode(message)}</p>
            {(payment.Status == PaymentStatus.Pending ? "<form method=\"post\"><button type=\"submit\">Pay as the shopper</button></form>" : string.Empty)}
            </body></html>
            """);
        return new Reply(StatusCodes.Status200OK, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));
    }

    /// <summary>The bearer check, and the method check; <see langword="null"/> when the request may go on.</summary>
    private Reply? Refuse(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return MethodNotAllowed("POST");
        }

        string authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            || !state.Tokens.IsValid(authorization[Bearer.Length..].Trim()))
        {
            return Unauthorized(InvalidTokenCode, "invalid or expired access token");
        }

        return null;
    }

    private static SimulatedEndpoint Classify(PathString path) => path.Value switch
    {
        AuthPath => SimulatedEndpoint.Auth,
        CreatePath => SimulatedEndpoint.Create,
        QueryPath => SimulatedEndpoint.Query,
        _ => SimulatedEndpoint.Any,
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

    private static Dictionary<string, string> JournalHeaders(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in JournaledHeaders)
        {
            if (request.Headers.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues value))
            {
                headers[name] = value.ToString();
            }
        }

        return headers;
    }

    private static string? StringOrNull(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Reply Unauthorized(int code, string message) => new(
        StatusCodes.Status401Unauthorized,
        "application/json",
        GatewayJson.Envelope(code, message, GatewayJson.NewRequestId()),
        [new("WWW-Authenticate", "Bearer error=\"invalid_token\"")]);

    private static Reply MethodNotAllowed(string allow) => new(
        StatusCodes.Status405MethodNotAllowed,
        "text/plain; charset=utf-8",
        "Method not allowed."u8.ToArray(),
        [new("Allow", allow)]);

    private static Reply Json(int status, byte[] body) => new(status, "application/json", body);

    /// <summary>A response, built before it is written, so a fault can hold it back or replace it.</summary>
    private sealed record Reply(int Status, string ContentType, byte[] Body, KeyValuePair<string, string>[]? Headers = null);
}
