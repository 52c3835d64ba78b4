using System.Globalization;
using System.Web;
using AlipayHk.Pay;

namespace MyShop;

/// <summary>
/// docs/netframework.md's ASP.NET (System.Web) recipe: the gateway's callbacks through the core's receiver, answered with the
/// receipt's status and text, as MapAlipayHkPayWebhook answers them in ASP.NET Core (WebhookEndpoint.cs).
/// </summary>
public sealed class AlipayHkWebhookHandler : HttpTaskAsyncHandler
{
    public override async Task ProcessRequestAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        if (request.HttpMethod != "POST")
        {
            response.StatusCode = 405;
            return;
        }

        // The raw body as it arrives (read it before anything reads Request.Form or Request.InputStream).
        WebhookReceipt receipt = await Payments.AlipayHk.Receiver.ReceiveAsync(
            request.GetBufferlessInputStream(),
            request.ContentLength > 0 ? request.ContentLength : null,
            name => request.Headers[name],
            HandleAsync,
            response.ClientDisconnectedToken);

        response.StatusCode = receipt.StatusCode;
        response.ContentType = "text/plain; charset=utf-8";
        response.Cache.SetNoStore();
        if (receipt.RetryAfter is { } retryAfter)
        {
            response.AppendHeader("Retry-After", ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        if (receipt.CloseConnection)
        {
            response.AppendHeader("Connection", "close"); // the body was not read to its end
        }

        response.Write(receipt.Text);
    }

    // Runs once per confirmed outcome; throw to have the gateway deliver it again.
    // It runs after the SDK's query to the gateway, on a pool thread: HttpContext.Current is null here.
    private static Task HandleAsync(ConfirmedWebhook webhook, CancellationToken cancellationToken)
    {
        if (webhook.Status == PaymentStatus.Succeeded)
        {
            // Mark webhook.Payment!.MerchantOrderId paid in your database (open your own connection or DbContext here).
        }

        return Task.CompletedTask;
    }
}
