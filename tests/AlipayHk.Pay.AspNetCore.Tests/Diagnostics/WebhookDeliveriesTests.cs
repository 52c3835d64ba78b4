using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AlipayHk.Pay.AspNetCore.Tests.Diagnostics;

/// <summary>
/// <c>alipayhk.webhook.deliveries</c>: every answer the endpoint gives is counted exactly once, with the outcome an
/// operator would alert on (and, for a rejection, why). Measured with a MeterListener on this app's own
/// <see cref="IMeterFactory"/>, so tests running at the same time do not mix.
/// </summary>
public sealed class WebhookDeliveriesTests : IAsyncDisposable
{
    private const string Instrument = "alipayhk.webhook.deliveries";
    private readonly GatewayStub _gateway = new();
    private WebhookApp? _app;
    private MetricCollector<long>? _deliveries;

    public async ValueTask DisposeAsync()
    {
        _deliveries?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _gateway.Dispose();
    }

    private async Task<WebhookApp> StartAsync(Func<ConfirmedWebhook, CancellationToken, Task>? handler = null, Action<IServiceCollection>? configure = null)
    {
        _app = await WebhookApp.StartAsync(_gateway, handler ?? ((_, _) => Task.CompletedTask), configure);
        _deliveries = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), AlipayHkPayTelemetry.MeterName, Instrument);
        return _app;
    }

    /// <summary>The outcomes (and reasons) counted so far, once <paramref name="count"/> deliveries have been counted.</summary>
    private async Task<string[]> CountedAsync(int count)
    {
        // The count is taken as the endpoint returns, which may be just after the client has the answer.
        await _deliveries!.WaitForMeasurementsAsync(count, TimeSpan.FromSeconds(10));
        return [.. _deliveries.GetMeasurementSnapshot().Select(m =>
        {
            Assert.Equal(1, m.Value);
            string outcome = (string)m.Tags["alipayhk.webhook.outcome"]!;
            return m.Tags.TryGetValue("alipayhk.webhook.reason", out object? reason) ? $"{outcome}:{reason}" : outcome;
        })];
    }

    [Fact]
    public async Task A_handled_callback_counts_accepted_and_its_redeliveries_count_duplicate()
    {
        _gateway.AnswerQueriesWith("C1", "M1", "SUCCEEDED");
        WebhookApp app = await StartAsync();
        string body = WebhookSigning.PaymentSuccess("C1", "M1");

        using HttpResponseMessage first = await app.PostSignedAsync(body);
        Assert.Equal(["accepted"], await CountedAsync(1));
        using HttpResponseMessage again = await app.PostSignedAsync(body);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["accepted", "duplicate"], await CountedAsync(2));
    }

    [Fact]
    public async Task A_delivery_while_the_same_callback_is_being_handled_counts_duplicate()
    {
        _gateway.AnswerQueriesWith("C2", "M2", "SUCCEEDED");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        WebhookApp app = await StartAsync(async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task;
        });
        string body = WebhookSigning.PaymentSuccess("C2", "M2");

        Task<HttpResponseMessage> first = app.PostSignedAsync(body);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        using HttpResponseMessage second = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(["duplicate"], await CountedAsync(1));
        release.SetResult();
        using HttpResponseMessage firstAnswer = await first;

        Assert.Equal(["duplicate", "accepted"], await CountedAsync(2));
    }

    [Fact]
    public async Task Each_rejection_counts_rejected_with_its_reason()
    {
        WebhookApp app = await StartAsync(configure: services => services.Configure<AlipayHkPayOptions>(o => o.MaxWebhookBodyBytes = 512));
        string body = WebhookSigning.PaymentSuccess("C3", "M3");
        string huge = body.Replace("}}", ",\"pad\":\"" + new string('x', 600) + "\"}}", StringComparison.Ordinal);

        (await app.PostAsync(body, signature: null)).Dispose();
        (await app.PostAsync(body, WebhookSigning.Sign(body, "not-the-key"))).Dispose();
        (await app.PostSignedAsync("not json")).Dispose();
        (await app.PostSignedAsync(huge)).Dispose(); // declares its length: refused before it is read
        using var chunked = new HttpRequestMessage(HttpMethod.Post, WebhookApp.Path) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))) };
        chunked.Headers.TransferEncodingChunked = true; // declares nothing: refused once read past the limit
        chunked.Headers.TryAddWithoutValidation("Signature", WebhookSigning.Sign(huge, WebhookApp.Key));
        using HttpResponseMessage streamed = await app.Client.SendAsync(chunked, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(
            ["rejected:missing_signature", "rejected:signature_mismatch", "rejected:malformed_payload", "rejected:too_large", "rejected:too_large"],
            await CountedAsync(5));
        Assert.Empty(_gateway.QueryBodies);
    }

    [Theory]
    [InlineData("SOMEONE-ELSE", "SUCCEEDED", HttpStatusCode.BadRequest, "rejected:malformed_payload")] // the gateway's order is another merchant order's
    [InlineData("M4", "PENDING", HttpStatusCode.ServiceUnavailable, "unconfirmed")] // a success the gateway does not confirm
    [InlineData(null, null, HttpStatusCode.BadGateway, "failed")] // the gateway cannot confirm: it answers 500
    public async Task What_the_gateway_says_of_the_payment_decides_the_outcome(string? gatewayMerchantOrder, string? gatewayStatus, HttpStatusCode answer, string counted)
    {
        if (gatewayMerchantOrder is null)
        {
            _gateway.AnswerQueriesWith(500, """{"code":500,"message":"internal","rid":"r"}""");
        }
        else
        {
            _gateway.AnswerQueriesWith("C4", gatewayMerchantOrder, gatewayStatus!);
        }

        WebhookApp app = await StartAsync();

        using HttpResponseMessage response = await app.PostSignedAsync(WebhookSigning.PaymentSuccess("C4", "M4"));

        Assert.Equal(answer, response.StatusCode);
        Assert.Equal([counted], await CountedAsync(1));
    }

    [Fact]
    public async Task A_handler_that_throws_counts_failed_and_its_successful_redelivery_accepted()
    {
        _gateway.AnswerQueriesWith("C7", "M7", "SUCCEEDED");
        int calls = 0;
        WebhookApp app = await StartAsync((_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("database is down") : Task.CompletedTask);
        string body = WebhookSigning.PaymentSuccess("C7", "M7");

        using HttpResponseMessage failed = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(["failed"], await CountedAsync(1));
        using HttpResponseMessage redelivered = await app.PostSignedAsync(body);

        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(["failed", "accepted"], await CountedAsync(2));
    }

    [Fact]
    public async Task A_duplicate_store_that_fails_to_claim_counts_failed_and_one_that_fails_to_record_still_accepted()
    {
        _gateway.AnswerQueriesWith("C8", "M8", "SUCCEEDED");
        var store = new FlakyStore();
        WebhookApp app = await StartAsync(configure: services => services.AddSingleton<IAlipayHkPayWebhookDeduplicationStore>(store));
        string body = WebhookSigning.PaymentSuccess("C8", "M8");

        store.FailClaim = true;
        using HttpResponseMessage unavailable = await app.PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(["failed"], await CountedAsync(1));
        store.FailClaim = false;
        using HttpResponseMessage handled = await app.PostSignedAsync(body); // the handler runs; recording it fails

        Assert.Equal(HttpStatusCode.OK, handled.StatusCode);
        Assert.Equal(["failed", "accepted"], await CountedAsync(2));
    }

    [Fact]
    public async Task Two_apps_in_one_process_count_only_their_own_deliveries()
    {
        _gateway.AnswerQueriesWith("C9", "M9", "SUCCEEDED");
        WebhookApp app = await StartAsync();
        await using WebhookApp other = await WebhookApp.StartAsync(_gateway, (_, _) => Task.CompletedTask);

        (await other.PostAsync("{}", signature: null)).Dispose();
        using HttpResponseMessage response = await app.PostSignedAsync(WebhookSigning.PaymentSuccess("C9", "M9"));

        Assert.Equal(["accepted"], await CountedAsync(1));
    }

    /// <summary>A duplicate store whose claim can be made to fail, and whose record always fails.</summary>
    private sealed class FlakyStore : IAlipayHkPayWebhookDeduplicationStore
    {
        public volatile bool FailClaim;

        public ValueTask<WebhookClaim> TryClaimAsync(string key, CancellationToken cancellationToken) =>
            FailClaim ? throw new TimeoutException("store unreachable") : ValueTask.FromResult(WebhookClaim.Claimed);

        public ValueTask MarkProcessedAsync(string key, CancellationToken cancellationToken) => throw new TimeoutException("store unreachable");

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
