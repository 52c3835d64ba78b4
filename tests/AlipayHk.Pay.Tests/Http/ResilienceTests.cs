using System.Net;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Tests.Http;

public sealed class ResilienceTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PaymentReference Order => PaymentReference.ByOrderId("C991289984923795789123");

    [Fact]
    public async Task A_query_retries_a_503_and_returns_the_answer_that_follows()
    {
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => r.WithStatusCode(503),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.GetPaymentAsync(Order, Ct);

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal(2, _gateway.Requests(GatewayStub.QueryPath).Count);
        Assert.Contains(sdk.Logs.GetSnapshot(), r => r.Message.Contains("attempt 1 failed (HTTP 503)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(504)]
    public async Task A_query_retries_each_transient_status_until_the_attempts_run_out(int status)
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: status);
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 3);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(4, _gateway.Requests(GatewayStub.QueryPath).Count);
    }

    [Fact]
    public async Task A_query_does_not_retry_a_definitive_refusal()
    {
        _gateway.Given(GatewayStub.QueryPath, "<html>not found</html>", status: 404, contentType: "text/html");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task A_retry_waits_exactly_as_long_as_retry_after_says()
    {
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => r.WithStatusCode(429).WithHeader("Retry-After", "7"),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        Task<PaymentIntent> call = sdk.Client.GetPaymentAsync(Order, Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(7));
        sdk.Time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath)); // still waiting
        Assert.False(call.IsCompleted);
        sdk.Time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(PaymentStatus.Succeeded, (await call).Status);
        Assert.Equal(2, _gateway.Requests(GatewayStub.QueryPath).Count);
    }

    [Fact]
    public async Task Retries_back_off_between_attempts_and_never_wait_longer_than_the_max_delay()
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 503);
        await using var sdk = new SdkHarness(_gateway, o =>
        {
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.MaxRetryDelay = TimeSpan.FromSeconds(3);
            o.MaxRetryAttempts = 3;
        });

        Task<PaymentIntent> call = sdk.Client.GetPaymentAsync(Order, Ct);
        for (int retry = 1; retry <= 3; retry++)
        {
            // The total (30 s) and attempt (10 s) timeouts are timers too; a backoff is the one at most 3 s.
            TimeSpan backoff = await sdk.Time.WaitForTimerAsync(due => due <= TimeSpan.FromSeconds(3));
            Assert.True(backoff > TimeSpan.Zero, $"retry {retry} did not wait");
            Assert.Equal(retry, _gateway.Requests(GatewayStub.QueryPath).Count); // nothing is re-sent before the wait ends
            sdk.Time.Advance(backoff);
        }

        await Assert.ThrowsAsync<AlipayHkPayException>(() => call);
        Assert.Equal(4, _gateway.Requests(GatewayStub.QueryPath).Count);
    }

    [Fact]
    public async Task A_query_that_exceeds_the_attempt_timeout_is_abandoned_and_retried()
    {
        using var firstAttempt = _gateway.GivenFirstCallHangs(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using var sdk = new SdkHarness(_gateway, o => o.AttemptTimeout = TimeSpan.FromSeconds(4));

        Task<PaymentIntent> call = sdk.Client.GetPaymentAsync(Order, Ct);
        // The attempt's timeout timer starts before its request goes out, so once the request has arrived it exists.
        await firstAttempt.Arrived;
        sdk.Time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(PaymentStatus.Succeeded, (await call).Status);
        Assert.Equal(2, firstAttempt.Calls);
    }

    [Fact]
    public async Task The_total_timeout_cuts_a_later_attempt_short()
    {
        // Total 6 s: the first attempt is refused at once and Retry-After asks for 5 s; the second attempt then has
        // 1 s left, not its own 4 s.
        using var hanging = _gateway.GivenAnswerThenHang(GatewayStub.QueryPath, r => r.WithStatusCode(503).WithHeader("Retry-After", "5"));
        await using var sdk = new SdkHarness(_gateway, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(4);
            o.TotalTimeout = TimeSpan.FromSeconds(6);
        });

        Task<PaymentIntent> call = sdk.Client.GetPaymentAsync(Order, Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        sdk.Time.Advance(TimeSpan.FromSeconds(5));
        await hanging.Arrived;
        sdk.Time.Advance(TimeSpan.FromSeconds(1)); // 6 s since the call began: the total timeout, 3 s before the attempt's own

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => call);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath)); // the 503 (the stub logs a call once it has answered)
        Assert.Equal(1, hanging.Calls); // and the attempt that was cut short
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_time_left_fails_at_once_with_the_gateways_answer()
    {
        _gateway.Given(GatewayStub.QueryPath, """{"code":50300,"message":"busy","rid":"rid-busy"}""", status: 503, headerName: "Retry-After", headerValue: "9");
        await using var sdk = new SdkHarness(_gateway, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(4);
            o.TotalTimeout = TimeSpan.FromSeconds(8);
        });

        // Waiting 9 s would outlive the 8 s total: no retry, and the caller learns why, with the gateway's rid.
        var ex = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal("rid-busy", ex.RequestId);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task A_create_answered_503_is_not_resent_by_the_retry_rules()
    {
        _gateway.Given(GatewayStub.CreatePath, string.Empty, status: 503);
        _gateway.Given(GatewayStub.QueryPath, """{"code":40004,"message":"order not found","rid":"rid-nf"}""", status: 200);
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 5);

        await Assert.ThrowsAnyAsync<AlipayHkPayException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(), Ct));

        // One create, the lookup, then the single re-send the recovery rules allow: never the 5 retries of a query.
        Assert.Equal(2, _gateway.Requests(GatewayStub.CreatePath).Count);
    }

    [Fact]
    public async Task A_body_that_stalls_after_the_headers_is_abandoned_at_the_attempt_timeout_and_the_query_retried()
    {
        var gateway = new BodyStallsOnceGateway();
        await using var sdk = new SdkHarness(
            _gateway,
            o => o.AttemptTimeout = TimeSpan.FromSeconds(4),
            services => services.AddHttpClient("AlipayHkPay.Payments").ConfigurePrimaryHttpMessageHandler(() => gateway));

        Task<PaymentIntent> call = sdk.Client.GetPaymentAsync(Order, Ct);
        await gateway.StalledBodyIsBeingRead; // headers in, body half sent
        sdk.Time.Advance(TimeSpan.FromSeconds(4));

        PaymentIntent intent = await call.WaitAsync(TimeSpan.FromSeconds(10), Ct); // a guard: without the fix the call never ends
        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal(2, gateway.Requests);
        Assert.Contains(sdk.Logs.GetSnapshot(), r => r.Message.Contains("TimeoutRejectedException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_wait_ends_the_call_at_once()
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 503, headerName: "Retry-After", headerValue: "7");
        await using var sdk = new SdkHarness(_gateway);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<PaymentIntent> call = sdk.Client.GetPaymentAsync(Order, cts.Token);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(7));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task Retrying_the_token_request_and_a_query_logs_no_secret_in_the_SDKs_or_Pollys_lines()
    {
        // The token request carries the client secret in its query string; Polly's telemetry logs every retry event.
        _gateway.GivenSequence(
            GatewayStub.TokenPath,
            r => r.WithStatusCode(503),
            r => GatewayStub.Json(r, $$"""{"access_token":"{{GatewayStub.AccessToken}}","expires_in":3600}"""));
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => r.WithStatusCode(503),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.GetPaymentAsync(Order, Ct);

        Assert.Equal(2, _gateway.Requests(GatewayStub.TokenPath).Count);
        var records = sdk.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Category?.StartsWith("Polly", StringComparison.Ordinal) == true); // Polly's telemetry is on
        foreach (var record in records)
        {
            string text = $"{record.Message} {string.Join(";", record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])} {record.Exception}";
            Assert.DoesNotContain(GatewayStub.ClientSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(GatewayStub.AccessToken, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        await using var sdk = new SdkHarness(_gateway);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sdk.Client.GetPaymentAsync(Order, new CancellationToken(canceled: true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(), new CancellationToken(canceled: true)));

        Assert.Empty(_gateway.Requests(GatewayStub.QueryPath));
        Assert.Empty(_gateway.Requests(GatewayStub.CreatePath));
    }

    /// <summary>A primary handler: the first answer's body stops after a few bytes until the read is abandoned; later answers are the published query response.</summary>
    private sealed class BodyStallsOnceGateway : HttpMessageHandler
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public Task StalledBodyIsBeingRead => _stalled.Task;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpContent content = Interlocked.Increment(ref _requests) == 1
                ? new StallingContent(_stalled)
                : new StringContent(GatewayStub.PublishedQueryResponse, System.Text.Encoding.UTF8, "application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    /// <summary>
    /// A body that stops after a few bytes. Like a socket's response content, its read ends when the token fires (the
    /// .NET 9+ path) or when the content is disposed (the net8.0 path, which has no cancellable buffering).
    /// </summary>
    private sealed class StallingContent(TaskCompletionSource stalled) : HttpContent
    {
        private readonly CancellationTokenSource _disposed = new();

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

#if NETFRAMEWORK
        private async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) // no such overload: the content's disposal ends it
#else
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
#endif
        {
            await stream.WriteAsync("{\"code\":0,"u8.ToArray(), cancellationToken);
            stalled.TrySetResult();
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(StallingContent));
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed.IsCancellationRequested)
            {
                _disposed.Cancel(); // Disposed twice (the abort, then the response): the source itself is left to the GC.
            }

            base.Dispose(disposing);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
