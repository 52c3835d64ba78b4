using AlipayHk.Pay.Tests.Infrastructure;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.AspNetCore.Tests;

public sealed class WebhookEndpointTests : IAsyncDisposable
{
    private readonly GatewayStub _gateway = new GatewayStub();
    private readonly ConcurrentQueue<ConfirmedWebhook> _handled = new();
    private WebhookApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _gateway.Dispose();
    }

    private async Task<WebhookApp> StartAsync(Func<ConfirmedWebhook, CancellationToken, Task>? handler = null, Action<IServiceCollection>? configure = null)
    {
        _app = await WebhookApp.StartAsync(_gateway, handler ?? Record, configure);
        return _app;
    }

    private Task Record(ConfirmedWebhook webhook, CancellationToken cancellationToken)
    {
        _handled.Enqueue(webhook);
        return Task.CompletedTask;
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_genuine_payment_callback_reaches_the_handler_confirmed_and_is_answered_200()
    {
        _gateway.AnswerQueriesWith("C1", "M1", "SUCCEEDED");
        WebhookApp app = await StartAsync();

        using HttpResponseMessage response = await app.PostSignedAsync(WebhookSigning.PaymentSuccess("C1", "M1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ConfirmedWebhook webhook = Assert.Single(_handled);
        Assert.Equal(PaymentStatus.Succeeded, webhook.Payment!.Status);
        Assert.Equal("M1", webhook.Payment.MerchantOrderId);
    }

    [Fact]
    public async Task A_duplicate_delivery_is_answered_200_without_running_the_handler_again()
    {
        _gateway.AnswerQueriesWith("C2", "M2", "SUCCEEDED");
        WebhookApp app = await StartAsync();
        string body = WebhookSigning.PaymentSuccess("C2", "M2");

        for (int delivery = 0; delivery < 3; delivery++)
        {
            using HttpResponseMessage response = await app.PostSignedAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(_handled);
    }

    [Fact]
    public async Task A_handler_that_throws_gets_a_500_without_details_and_the_redelivery_runs_it_again()
    {
        _gateway.AnswerQueriesWith("C3", "M3", "SUCCEEDED");
        int calls = 0;
        WebhookApp app = await StartAsync((webhook, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("database is down: secret connection string here");
            }

            _handled.Enqueue(webhook);
            return Task.CompletedTask;
        });
        string body = WebhookSigning.PaymentSuccess("C3", "M3");

        using HttpResponseMessage failed = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        string text = await ReadAsync(failed);
        Assert.DoesNotContain("database", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("C3", StringComparison.Ordinal) && r.Exception is InvalidOperationException);

        using HttpResponseMessage redelivered = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(2, calls);
        Assert.Single(_handled);
    }

    [Fact]
    public async Task A_forged_success_for_an_unpaid_order_never_reaches_the_handler_and_does_not_hide_the_real_one()
    {
        _gateway.AnswerQueriesWith("C4", "M4", "PENDING");
        WebhookApp app = await StartAsync();
        string body = WebhookSigning.PaymentSuccess("C4", "M4");

        using HttpResponseMessage forged = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, forged.StatusCode);
        Assert.NotNull(forged.Headers.RetryAfter);
        Assert.Empty(_handled);

        _gateway.AnswerQueriesWith("C4", "M4", "SUCCEEDED");
        using HttpResponseMessage real = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal(PaymentStatus.Succeeded, Assert.Single(_handled).Status);
    }

    [Fact]
    public async Task A_cancelled_order_reaches_the_handler_as_cancelled()
    {
        _gateway.AnswerQueriesWith("C5", "M5", "CANCELLED");
        WebhookApp app = await StartAsync();

        using HttpResponseMessage response = await app.PostSignedAsync(WebhookSigning.PaymentSuccess("C5", "M5"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PaymentStatus.Cancelled, Assert.Single(_handled).Status);
    }

    [Fact]
    public async Task A_missing_or_empty_signature_header_is_401()
    {
        _gateway.AnswerQueriesWith("C6", "M6", "SUCCEEDED");
        WebhookApp app = await StartAsync();
        string body = WebhookSigning.PaymentSuccess("C6", "M6");

        using HttpResponseMessage missing = await app.PostAsync(body, signature: null);
        using HttpResponseMessage empty = await app.PostAsync(body, signature: "");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, empty.StatusCode);
        Assert.Equal("Missing webhook signature.", await ReadAsync(missing));
        Assert.Empty(_handled);
        Assert.Empty(_gateway.QueryBodies);
    }

    [Fact]
    public async Task A_differently_cased_header_name_and_upper_case_hex_are_accepted()
    {
        _gateway.AnswerQueriesWith("C7", "M7", "SUCCEEDED");
        WebhookApp app = await StartAsync();
        string body = WebhookSigning.PaymentSuccess("C7", "M7");

        using HttpResponseMessage response = await app.PostAsync(body, WebhookSigning.Sign(body, WebhookApp.Key).ToUpperInvariant(), header: "SIGNATURE");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_handled);
    }

    [Fact]
    public async Task A_wrong_key_or_tampered_body_is_401_and_the_answer_echoes_no_secret()
    {
        _gateway.AnswerQueriesWith("C8", "M8", "SUCCEEDED");
        WebhookApp app = await StartAsync();
        string body = WebhookSigning.PaymentSuccess("C8", "M8");

        using HttpResponseMessage wrongKey = await app.PostAsync(body, WebhookSigning.Sign(body, "not-the-key"));
        using HttpResponseMessage tampered = await app.PostAsync(body.Replace("M8", "M9", StringComparison.Ordinal), WebhookSigning.Sign(body, WebhookApp.Key));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        string text = await ReadAsync(wrongKey);
        Assert.Equal("Webhook signature mismatch.", text);
        Assert.DoesNotContain(WebhookApp.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSigning.Sign(body, WebhookApp.Key)[..12], text, StringComparison.Ordinal);
        Assert.Empty(_handled);
        Assert.DoesNotContain(app.Logs.GetSnapshot(), r => r.Message.Contains(WebhookApp.Key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":""")]
    public async Task A_signed_body_that_is_not_a_callback_is_400(string body)
    {
        WebhookApp app = await StartAsync();

        using HttpResponseMessage response = await app.PostSignedAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Malformed webhook body.", await ReadAsync(response));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task An_oversized_body_is_413_whether_or_not_it_declares_its_length()
    {
        WebhookApp app = await StartAsync();
        string huge = "{\"notify_type\":\"payment_success\",\"data\":{\"order_id\":\"C1\",\"pad\":\"" + new string('x', 70 * 1024) + "\"}}";

        using HttpResponseMessage declared = await app.PostSignedAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, WebhookApp.Path)
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))), // no Content-Length: sent chunked
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.TryAddWithoutValidation("Signature", WebhookSigning.Sign(huge, WebhookApp.Key));
        using HttpResponseMessage streamed = await app.Client.SendAsync(chunked, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        Assert.Empty(_handled);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_sent_chunked_is_read_whole()
    {
        _gateway.AnswerQueriesWith("C10", "M10", "SUCCEEDED");
        WebhookApp app = await StartAsync();
        string body = "{\"notify_type\":\"payment_success\",\"data\":{\"order_id\":\"C10\",\"merchant_order_id\":\"M10\",\"pad\":\"" + new string('x', 60 * 1024) + "\"}}";

        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookApp.Path) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Signature", WebhookSigning.Sign(body, WebhookApp.Key));
        using HttpResponseMessage response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(60 * 1024, Assert.Single(_handled).Notification.Data.GetProperty("pad").GetString()!.Length);
    }

    [Fact]
    public async Task When_the_gateway_cannot_confirm_the_endpoint_answers_502_so_the_callback_is_delivered_again()
    {
        _gateway.AnswerQueriesWith(500, """{"code":500,"message":"internal","rid":"r"}""");
        WebhookApp app = await StartAsync();

        using HttpResponseMessage response = await app.PostSignedAsync(WebhookSigning.PaymentSuccess("C11", "M11"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task Concurrent_identical_deliveries_run_the_handler_once()
    {
        _gateway.AnswerQueriesWith("C12", "M12", "SUCCEEDED");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        WebhookApp app = await StartAsync(async (webhook, _) =>
        {
            Interlocked.Increment(ref calls);
            entered.TrySetResult();
            await release.Task;
        });
        string body = WebhookSigning.PaymentSuccess("C12", "M12");

        Task<HttpResponseMessage> first = app.PostSignedAsync(body);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        using HttpResponseMessage second = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode); // not 200: had the first failed, the callback would be lost

        release.SetResult();
        using HttpResponseMessage firstResponse = await first;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        using HttpResponseMessage third = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_refund_callback_reaches_the_handler_typed_and_is_deduplicated_by_refund_id()
    {
        WebhookApp app = await StartAsync();
        string body = """{"notify_type":"refund_success","data":{"uid":39172931,"refund_id":"R1","merchant_refund_id":"MR1","order_amount":"105.00"}}""";

        using HttpResponseMessage first = await app.PostSignedAsync(body);
        using HttpResponseMessage again = await app.PostSignedAsync(body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        ConfirmedWebhook webhook = Assert.Single(_handled);
        Assert.Null(webhook.Payment);
        Assert.Equal(105.00m, webhook.Notification.Refund!.OrderAmount);
        Assert.Empty(_gateway.QueryBodies);
    }

    [Fact]
    public async Task An_unknown_notify_type_is_accepted()
    {
        WebhookApp app = await StartAsync();

        using HttpResponseMessage response = await app.PostSignedAsync("""{"notify_type":"something_new","data":{"x":1}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("something_new", Assert.Single(_handled).Notification.NotifyType);
    }

    [Fact]
    public async Task The_signature_header_name_and_size_limit_come_from_the_options()
    {
        _gateway.AnswerQueriesWith("C13", "M13", "SUCCEEDED");
        WebhookApp app = await StartAsync(configure: services => services.Configure<AlipayHkPayOptions>(o =>
        {
            o.WebhookSignatureHeader = "X-Cbtis-Signature";
            o.MaxWebhookBodyBytes = 512;
        }));
        string body = WebhookSigning.PaymentSuccess("C13", "M13");
        string signature = WebhookSigning.Sign(body, WebhookApp.Key);

        using HttpResponseMessage wrongHeader = await app.PostAsync(body, signature, header: "Signature");
        using HttpResponseMessage rightHeader = await app.PostAsync(body, signature, header: "X-Cbtis-Signature");
        string big = body.Replace("}}", ",\"pad\":\"" + new string('x', 600) + "\"}}", StringComparison.Ordinal);
        using HttpResponseMessage tooBig = await app.PostAsync(big, WebhookSigning.Sign(big, WebhookApp.Key), header: "X-Cbtis-Signature");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightHeader.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
    }

    [Fact]
    public async Task The_HttpContext_overload_gives_the_handler_request_scoped_services()
    {
        _gateway.AnswerQueriesWith("C14", "M14", "SUCCEEDED");
        _app = await WebhookApp.StartAsync(
            _gateway,
            (ConfirmedWebhook webhook, HttpContext context, CancellationToken _) =>
            {
                context.RequestServices.GetRequiredService<ScopedLedger>().Add(webhook);
                _handled.Enqueue(webhook);
                return Task.CompletedTask;
            },
            services => services.AddScoped<ScopedLedger>());

        using HttpResponseMessage response = await _app.PostSignedAsync(WebhookSigning.PaymentSuccess("C14", "M14"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_handled);
    }

    [Fact]
    public async Task Only_POST_is_mapped()
    {
        WebhookApp app = await StartAsync();
        using HttpResponseMessage response = await app.Client.GetAsync(new Uri(WebhookApp.Path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private sealed class ScopedLedger
    {
        internal List<ConfirmedWebhook> Entries { get; } = [];

        internal void Add(ConfirmedWebhook webhook) => Entries.Add(webhook);
    }
}
