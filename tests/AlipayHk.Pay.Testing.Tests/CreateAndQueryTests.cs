using System.Text.Json;
using AlipayHk.Pay.Testing.Tests.Support;

namespace AlipayHk.Pay.Testing.Tests;

public sealed class CreateAndQueryTests
{
    [Fact]
    public async Task Create_answers_pending_with_a_render_qrcode_url_in_the_gateways_shape()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { QrCodeBaseUrl = new Uri("https://qr.example.test/code/") }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        JsonElement envelope = await client.CreateAsync("P9297895081903");

        Assert.Equal(0, envelope.GetProperty("code").GetInt32());
        Assert.Equal("ok", envelope.GetProperty("message").GetString());
        Assert.Matches("^[0-9a-f]{32}$", envelope.GetProperty("rid").GetString());
        JsonElement data = envelope.GetProperty("data");
        string orderId = data.GetProperty("order_id").GetString()!;
        Assert.StartsWith("C", orderId, StringComparison.Ordinal);
        Assert.True(orderId.Length <= 32);
        Assert.Equal("P9297895081903", data.GetProperty("merchant_order_id").GetString());
        Assert.Equal("105.00", data.GetProperty("amount").GetString()); // Echoed as sent.
        Assert.Equal("HKD", data.GetProperty("currency").GetString());
        Assert.Equal("PENDING", data.GetProperty("status").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}\+08:00$", data.GetProperty("create_time").GetString());
        Assert.Equal("render_qrcode", data.GetProperty("next_action").GetProperty("type").GetString());
        Assert.Equal($"https://qr.example.test/code/{orderId}", data.GetProperty("next_action").GetProperty("url").GetString());

        SimulatedPayment payment = Assert.Single(simulator.Payments);
        Assert.Equal(orderId, payment.OrderId);
        Assert.Equal(105.00m, payment.Amount);
        Assert.Equal(AlipayHkWallet.AlipayHk, payment.Wallet);
        Assert.Equal(PaymentStatus.Pending, payment.Status);
    }

    [Theory]
    [InlineData("amount", "\"0\"")]
    [InlineData("amount", "\"-1\"")]
    [InlineData("amount", "\"1.234\"")]
    [InlineData("amount", "\"1.\"")]
    [InlineData("amount", "\"abc\"")]
    [InlineData("amount", "\"1e3\"")]
    [InlineData("amount", "1")]
    [InlineData("amount", "null")]
    [InlineData("currency", "\"USD\"")]
    [InlineData("currency", "null")]
    [InlineData("type", "\"wechat\"")]
    [InlineData("flow", "\"web_qrcode\"")]
    [InlineData("wallet", "\"ALIPAYXX\"")]
    [InlineData("wallet", "null")]
    [InlineData("description", "\"\"")]
    [InlineData("description", "null")]
    public async Task Create_refuses_what_the_gateway_would_with_an_error_envelope(string field, string value)
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        string body = field switch
        {
            "amount" => GatewayClient.CreateBody("M1", amount: value),
            "currency" => GatewayClient.CreateBody("M1", currency: value),
            "type" => GatewayClient.CreateBody("M1", type: value),
            "flow" => GatewayClient.CreateBody("M1", flow: value),
            "wallet" => GatewayClient.CreateBody("M1", wallet: value),
            _ => GatewayClient.CreateBody("M1", description: value),
        };

        JsonElement envelope = await client.PostEnvelopeAsync(GatewayClient.CreatePath, body); // HTTP 200, like the gateway.

        Assert.Equal(40001, envelope.GetProperty("code").GetInt32());
        Assert.Contains(field == "wallet" ? "payment_method" : field, envelope.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(envelope.TryGetProperty("data", out _));
        Assert.Empty(simulator.Payments);
    }

    [Theory]
    [InlineData("")]
    [InlineData("123456789012345678901234567890123")] // 33 characters.
    public async Task Create_refuses_a_missing_or_too_long_merchant_order_id(string merchantOrderId)
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        JsonElement envelope = await client.PostEnvelopeAsync(GatewayClient.CreatePath, GatewayClient.CreateBody(merchantOrderId));

        Assert.Equal(40001, envelope.GetProperty("code").GetInt32());
        Assert.Contains("merchant_order_id", envelope.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_accepts_both_wallets_and_amounts_with_up_to_two_decimals()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        JsonElement cn = await client.PostEnvelopeAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("A", amount: "\"1\"", wallet: "\"ALIPAYCN\""));
        JsonElement hk = await client.PostEnvelopeAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("B", amount: "\"0.5\"", wallet: "\"ALIPAYHK\""));

        Assert.Equal(0, cn.GetProperty("code").GetInt32());
        Assert.Equal(0, hk.GetProperty("code").GetInt32());
        Assert.Equal(AlipayHkWallet.AlipayCn, simulator.GetPayment("A")!.Wallet);
        Assert.Equal(0.5m, simulator.GetPayment("B")!.Amount);
    }

    [Fact]
    public async Task Create_refuses_a_duplicate_merchant_order_id_and_keeps_the_first_order()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        JsonElement first = await client.CreateAsync("DUP-1");

        JsonElement second = await client.CreateAsync("DUP-1");

        Assert.Equal(40002, second.GetProperty("code").GetInt32());
        Assert.Contains("DUP-1", second.GetProperty("message").GetString(), StringComparison.Ordinal);
        SimulatedPayment only = Assert.Single(simulator.Payments);
        Assert.Equal(first.GetProperty("data").GetProperty("order_id").GetString(), only.OrderId);
    }

    [Fact]
    public async Task Query_finds_a_payment_by_either_id_and_adds_pay_time_once_paid()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        string orderId = (await client.CreateAsync("Q-1")).GetProperty("data").GetProperty("order_id").GetString()!;

        JsonElement byOrder = (await client.QueryAsync(orderId: orderId)).GetProperty("data");
        JsonElement byMerchant = (await client.QueryAsync(merchantOrderId: "Q-1")).GetProperty("data");
        await simulator.CompletePaymentAsync(orderId, TestContext.Current.CancellationToken);
        JsonElement paid = (await client.QueryAsync(merchantOrderId: "Q-1")).GetProperty("data");

        Assert.Equal("PENDING", byOrder.GetProperty("status").GetString());
        Assert.Equal("Q-1", byOrder.GetProperty("merchant_order_id").GetString());
        Assert.Equal(orderId, byMerchant.GetProperty("order_id").GetString());
        Assert.False(byMerchant.TryGetProperty("pay_time", out _));
        Assert.Equal("SUCCEEDED", paid.GetProperty("status").GetString());
        Assert.Matches(@"\.\d{9}\+08:00$", paid.GetProperty("pay_time").GetString());
    }

    [Fact]
    public async Task Query_for_an_unknown_order_or_without_any_id_is_an_error_envelope()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        JsonElement unknown = await client.QueryAsync(orderId: "C000");
        JsonElement noId = await client.PostEnvelopeAsync(GatewayClient.QueryPath, "{}");

        Assert.Equal(40004, unknown.GetProperty("code").GetInt32());
        Assert.Equal("order not found", unknown.GetProperty("message").GetString());
        Assert.Equal(40001, noId.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Default_qr_url_is_the_simulators_pay_page_where_a_person_can_pay()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        string url = (await client.CreateAsync("PAGE-1")).GetProperty("data").GetProperty("next_action").GetProperty("url").GetString()!;

        string page = await client.Http.GetStringAsync(new Uri(url), TestContext.Current.CancellationToken);
        using HttpResponseMessage paid = await client.Http.PostAsync(new Uri(url), null, TestContext.Current.CancellationToken);

        Assert.StartsWith(simulator.BaseAddress.AbsoluteUri, url, StringComparison.Ordinal);
        Assert.Contains("PENDING", page, StringComparison.Ordinal);
        Assert.Contains("SUCCEEDED", await paid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(PaymentStatus.Succeeded, simulator.GetPayment("PAGE-1")!.Status);
    }
}
