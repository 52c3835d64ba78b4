using System.Collections.Concurrent;
using AlipayHk.Pay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PosTerminal.Hosting;

/// <summary>
/// Which orders a verified webhook reached the receiver for, whether or not it was the first news of the outcome. With
/// outcomes on, a webhook that comes after the terminal's wait already handled the payment is answered as a duplicate
/// (200, nothing to do) and announces nothing on <see cref="IAlipayHkPayCompletionSignals"/>; the receipt still says
/// that the callback path works. The SDK's endpoint answers 200 only to a callback whose signature it verified.
/// </summary>
internal sealed class WebhookWatch
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _seen = new(StringComparer.Ordinal);

    /// <summary>Completes once a verified webhook for <paramref name="orderId"/> has been answered 200.</summary>
    public Task SeenAsync(string orderId) => Entry(orderId).Task;

    /// <summary>
    /// Watches the webhook endpoint at <paramref name="path"/>: the body is kept, and after a 200 answer its order id is
    /// read with the SDK's verifier (the one the endpoint used, with the same signature header).
    /// </summary>
    public void Watch(WebApplication app, string path)
    {
        IAlipayHkPayWebhookVerifier verifier = app.Services.GetRequiredService<IAlipayHkPayWebhookVerifier>();
        IOptionsMonitor<AlipayHkPayOptions> options = app.Services.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>();
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(path, StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            context.Request.EnableBuffering();
            await next(context);
            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                return;
            }

            context.Request.Body.Position = 0;
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            string body = await reader.ReadToEndAsync(context.RequestAborted);
            try
            {
                string? signature = context.Request.Headers[options.Get(Options.DefaultName).WebhookSignatureHeader];
                if (verifier.Verify(body, signature).OrderId is { Length: > 0 } orderId)
                {
                    Entry(orderId).TrySetResult();
                }
            }
            catch (AlipayHkPayWebhookException)
            {
                // The key changed in between: this delivery proves nothing here.
            }
        });
    }

    private TaskCompletionSource Entry(string orderId) =>
        _seen.GetOrAdd(orderId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
