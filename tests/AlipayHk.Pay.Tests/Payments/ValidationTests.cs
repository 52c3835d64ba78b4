using AlipayHk.Pay.Tests.Infrastructure;

namespace AlipayHk.Pay.Tests.Payments;

public sealed class ValidationTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    public static TheoryData<string, CreatePaymentRequest> InvalidRequests => new()
    {
        { "Amount", Requests.With(amount: 0m) },
        { "Amount", Requests.With(amount: -5m) },
        { "Amount", Requests.With(amount: 1.005m) },
        { "MerchantOrderId", Requests.With(merchantOrderId: "") },
        { "MerchantOrderId", Requests.With(merchantOrderId: new string('A', 33)) },
        { "MerchantOrderId", Requests.With(merchantOrderId: "订单-1") },
        { "MerchantOrderId", Requests.With(merchantOrderId: "A\tB") },
        { "Description", Requests.With(description: "") },
        { "Description", Requests.With(description: "   ") },
        { "NotifyUrl", Requests.With(notifyUrl: new Uri("/notify", UriKind.Relative)) },
        { "NotifyUrl", Requests.With(notifyUrl: new Uri("ftp://example.com/notify")) },
        { "Wallet", Requests.With(wallet: (AlipayHkWallet)7) },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task An_invalid_create_names_the_field_and_sends_nothing(string field, CreatePaymentRequest request)
    {
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => sdk.Client.CreatePaymentAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(field, ex.ParamName);
        Assert.StartsWith(field, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", ex.Message, StringComparison.Ordinal); // shown to a cashier as it is
        Assert.EndsWith(".", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_gateway.Server.LogEntries); // not even a token request
    }

    [Fact]
    public async Task A_null_request_is_rejected()
    {
        await using var sdk = new SdkHarness(_gateway);

        await Assert.ThrowsAsync<ArgumentNullException>(() => sdk.Client.CreatePaymentAsync(null!, TestContext.Current.CancellationToken));
        Assert.Empty(_gateway.Server.LogEntries);
    }

    [Theory]
    [InlineData("")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("C 1\n")]
    public void A_bad_reference_names_its_parameter(string id)
    {
        Assert.Equal("orderId", Assert.ThrowsAny<ArgumentException>(() => PaymentReference.ByOrderId(id)).ParamName);
        Assert.Equal("merchantOrderId", Assert.ThrowsAny<ArgumentException>(() => PaymentReference.ByMerchantOrderId(id)).ParamName);
    }

    [Fact]
    public void Thirty_two_printable_ascii_characters_are_a_valid_order_id()
    {
        string id = "AZaz09-_.:/ " + new string('x', 20);
        Assert.Equal(32, id.Length);
        Assert.Equal(id, PaymentReference.ByMerchantOrderId(id).MerchantOrderId);
    }

    [Fact]
    public async Task Wait_rejects_a_non_positive_timeout()
    {
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            sdk.Client.WaitForCompletionAsync(PaymentReference.ByOrderId("C1"), TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.Equal("timeout", ex.ParamName);
    }
}
