using AlipayHk.Pay;
using Xunit;

/// <summary>Stands in for the gateway in a unit test of code that takes an <c>IAlipayHkPayClient</c>.</summary>
public sealed class FakeAlipayClient : IAlipayHkPayClient
{
    public List<CreatePaymentRequest> Created { get; } = [];

    public PaymentStatus StatusToReport { get; set; } = PaymentStatus.Pending;

    public Task<PaymentIntent> CreatePaymentAsync(CreatePaymentRequest request, CancellationToken cancellationToken = default)
    {
        Created.Add(request);
        return Task.FromResult(AlipayHkPayModelFactory.PaymentIntent(
            $"C{Created.Count}", request.MerchantOrderId, request.Amount,
            nextAction: new PaymentNextAction { Type = "render_qrcode", Url = new Uri($"https://qr.example/{Created.Count}") }));
    }

    public Task<PaymentIntent> GetPaymentAsync(PaymentReference reference, CancellationToken cancellationToken = default) =>
        Task.FromResult(AlipayHkPayModelFactory.PaymentIntent(reference.OrderId ?? "C1", reference.MerchantOrderId ?? "SHOP-1", status: StatusToReport));

    public Task<PaymentIntent> WaitForCompletionAsync(PaymentReference reference, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        GetPaymentAsync(reference, cancellationToken);
}

public class FakeAlipayClientTests
{
    [Fact]
    public async Task Code_under_test_gets_the_qr_code_of_the_payment_it_created()
    {
        var alipay = new FakeAlipayClient();

        PaymentIntent payment = await alipay.CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = 38.00m, MerchantOrderId = "SHOP-1", Description = "Milk tea x2", Wallet = AlipayHkWallet.AlipayHk,
        }, TestContext.Current.CancellationToken);

        Assert.Equal("SHOP-1", Assert.Single(alipay.Created).MerchantOrderId);
        Assert.Equal(new Uri("https://qr.example/1"), payment.NextAction?.Url);
        Assert.Equal("PENDING", payment.RawStatus);
    }
}
