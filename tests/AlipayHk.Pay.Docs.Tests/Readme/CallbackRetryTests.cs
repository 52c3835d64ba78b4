using System.Net;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

public class CallbackRetryTests
{
    [Fact]
    public async Task A_failed_callback_is_sent_again_15_seconds_later()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider();
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock }, ct);
        gateway.DeliverCallbacksTo(new FailsOnceEndpoint()); // your endpoint: here one that answers 500 the first time
        await using var services = new ServiceCollection().AddLogging().AddAlipayHkPay(gateway.ConfigureClient).BuildServiceProvider();
        await services.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = 12.50m, MerchantOrderId = "ORDER-1", Description = "Two coffees",
            Wallet = AlipayHkWallet.AlipayHk, NotifyUrl = new Uri("http://localhost/webhooks/alipayhk"),
        }, ct);

        await gateway.CompletePaymentAsync("ORDER-1", ct);
        CallbackDelivery first = gateway.CallbackDeliveries.Single(); // StatusCode 500, NextAttemptAt = now + 15 s
        clock.Advance(TimeSpan.FromSeconds(15));
        CallbackDelivery second = await gateway.WaitForCallbackAsync("ORDER-1", attempt: 2, ct);
        CallbackDelivery last = await gateway.WaitForCallbacksSettledAsync("ORDER-1", ct); // accepted, or the tenth

        Assert.Equal(500, first.StatusCode);
        Assert.True(second.Accepted);
        Assert.Same(second, last);
    }

    private sealed class FailsOnceEndpoint : HttpMessageHandler
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(Interlocked.Increment(ref _calls) == 1 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK));
    }
}
