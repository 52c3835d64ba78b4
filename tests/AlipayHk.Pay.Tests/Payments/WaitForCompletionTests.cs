using AlipayHk.Pay.Tests.Infrastructure;

namespace AlipayHk.Pay.Tests.Payments;

public sealed class WaitForCompletionTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static PaymentReference Order => PaymentReference.ByOrderId("C991289984923795789123");

    private static string Pending => GatewayStub.PublishedQueryResponse.Replace("SUCCEEDED", "PENDING", StringComparison.Ordinal).Replace("\"pay_time\": \"2023-08-31T04:44:05.928696203+08:00\"", "\"pay_time\": \"\"", StringComparison.Ordinal);

    [Fact]
    public async Task Polls_with_growing_pauses_until_the_payment_succeeds()
    {
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => GatewayStub.Json(r, Pending),
            r => GatewayStub.Json(r, Pending),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(2), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
        sdk.Time.Advance(TimeSpan.FromSeconds(1));
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2)); // the pause doubles
        Assert.Equal(2, _gateway.Requests(GatewayStub.QueryPath).Count);
        sdk.Time.Advance(TimeSpan.FromSeconds(2));

        PaymentIntent intent = await wait;
        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal(3, _gateway.Requests(GatewayStub.QueryPath).Count);
    }

    [Fact]
    public async Task Returns_at_once_when_the_payment_is_already_cancelled()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse.Replace("SUCCEEDED", "CANCELLED", StringComparison.Ordinal));
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(2), Ct);

        Assert.Equal(PaymentStatus.Cancelled, intent.Status);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task On_timeout_returns_the_last_intent_seen()
    {
        _gateway.Given(GatewayStub.QueryPath, Pending);
        await using var sdk = new SdkHarness(_gateway);

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromSeconds(3), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        sdk.Time.Advance(TimeSpan.FromSeconds(1));
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2)); // capped by the time left: 2 s
        sdk.Time.Advance(TimeSpan.FromSeconds(2));

        PaymentIntent last = await wait;
        Assert.Equal(PaymentStatus.Pending, last.Status);
        Assert.False(last.IsFinal);
    }

    [Fact]
    public async Task A_transient_failure_while_polling_does_not_end_the_wait()
    {
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => r.WithStatusCode(503),
            r => r.WithStatusCode(503),
            r => r.WithStatusCode(503), // the first query gives up after its retries
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(1), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        sdk.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PaymentStatus.Succeeded, (await wait).Status);
        Assert.Contains(sdk.Logs.GetSnapshot(), r => r.Message.Contains("failed while waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_order_ends_the_wait_with_the_gateways_refusal()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(1), Ct));

        Assert.Equal(40004, ex.Code);
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_during_a_pause()
    {
        _gateway.Given(GatewayStub.QueryPath, Pending);
        await using var sdk = new SdkHarness(_gateway);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(1), cts.Token);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
