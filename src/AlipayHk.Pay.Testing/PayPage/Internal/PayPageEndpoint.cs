using System.Globalization;
using System.Net;
using AlipayHk.Pay.Testing.Gateway.Internal;
using AlipayHk.Pay.Testing.Hosting.Internal;
using AlipayHk.Pay.Testing.Payments.Internal;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.PayPage.Internal;

/// <summary>
/// <c>GET /simulator/pay/{order_id}</c> shows the order, with a button; <c>POST</c> pays it, as a shopper who scanned
/// the QR code would. Not part of the gateway: it lets a person play the shopper in a demo. Any other path is a 404.
/// </summary>
internal sealed class PayPageEndpoint(SimulatorState state, PaymentLifecycle lifecycle)
{
    /// <summary>
    /// What a payment's QR code holds: its pay page under <paramref name="baseAddress"/>, or the order id appended to
    /// <paramref name="qrCodeBaseUrl"/> when one is set.
    /// </summary>
    public static Uri UrlFor(Uri? qrCodeBaseUrl, Uri baseAddress, string orderId)
    {
        string text = (qrCodeBaseUrl ?? new Uri(baseAddress, GatewayPaths.PayPage)).AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + orderId : text + "/" + orderId);
    }

    public Reply Handle(HttpRequest request)
    {
        string path = request.Path.Value ?? string.Empty;
        if (!path.StartsWith(GatewayPaths.PayPage, StringComparison.Ordinal))
        {
            return Reply.Text(StatusCodes.Status404NotFound, "Not found: the simulator serves the CBTIS gateway's paths only.");
        }

        string orderId = path[GatewayPaths.PayPage.Length..];
        string message = string.Empty;
        if (HttpMethods.IsPost(request.Method))
        {
            try
            {
                lifecycle.Pay(orderId);
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
            return Reply.MethodNotAllowed("GET, POST");
        }

        SimulatedPayment? payment;
        try
        {
            payment = state.Payments.Find(orderId);
        }
        catch (InvalidOperationException ex)
        {
            return Reply.Text(StatusCodes.Status409Conflict, ex.Message); // A merchant order id of several merchants.
        }

        return payment is null
            ? Reply.Text(StatusCodes.Status404NotFound, "No such order.")
            : Reply.Html(StatusCodes.Status200OK, Page(payment, message, state.DashboardPath));
    }

    private static string Page(SimulatedPayment payment, string message, string? dashboardPath) => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Alipay HK simulator</title></head>
        <body style="font-family:sans-serif">
        <h1>Alipay HK gateway simulator</h1>
        <p>Order {WebUtility.HtmlEncode(payment.OrderId)} (merchant order {WebUtility.HtmlEncode(payment.MerchantOrderId)}): HKD {payment.Amount:0.00}, {WebUtility.HtmlEncode(payment.Description)}</p>
        <p>Status: <strong>{PaymentStore.Wire(payment.Status)}</strong></p>
        <p>{WebUtility.HtmlEncode(message)}</p>
        {(payment.Status == PaymentStatus.Pending ? "<form method=\"post\"><button type=\"submit\">Pay as the shopper</button></form>" : string.Empty)}
        {(dashboardPath is { } dashboard ? $"<p><a href=\"{WebUtility.HtmlEncode(dashboard)}\">Back to the dashboard</a></p>" : string.Empty)}
        </body></html>
        """);
}
