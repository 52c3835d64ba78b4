using System.Text.Json;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Testing.Tests;

/// <summary>Several merchants on one simulator: each its own credentials, tokens, payments and webhook key.</summary>
public sealed class MerchantTests
{
    [Fact]
    public async Task A_simulator_without_merchants_serves_one_named_default()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { Uid = "39172931", ClientSecret = "secret-1" }, TestContext.Current.CancellationToken);

        SimulatedMerchant merchant = Assert.Single(simulator.Merchants);
        Assert.Equal(("default", "39172931", "secret-1", "secret-1"), (merchant.Name, merchant.Uid, merchant.ClientSecret, merchant.WebhookKey));
        var named = new AlipayHkPayOptions();
        var plain = new AlipayHkPayOptions();
        simulator.ConfigureClient("DEFAULT", named);
        simulator.ConfigureClient(plain);
        Assert.Equal((plain.Uid, plain.ClientSecret, plain.WebhookKey, plain.BaseAddress), (named.Uid, named.ClientSecret, named.WebhookKey, named.BaseAddress));
    }

    [Fact]
    public async Task Each_merchant_gets_its_values_given_or_generated()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(
            Options(new SimulatedMerchant { Name = "shop-b", Uid = "20000002", ClientSecret = "secret-b", WebhookKey = "key-b" }, new SimulatedMerchant { Name = "shop-c" }),
            TestContext.Current.CancellationToken);

        Assert.Equal(["default", "shop-b", "shop-c"], simulator.Merchants.Select(m => m.Name));
        SimulatedMerchant b = simulator.Merchants[1];
        SimulatedMerchant c = simulator.Merchants[2];
        Assert.Equal(("20000002", "secret-b", "key-b"), (b.Uid, b.ClientSecret, b.WebhookKey));
        Assert.Matches("^[0-9]{8}$", c.Uid);
        Assert.Matches("^[0-9a-f]{32}$", c.ClientSecret);
        Assert.Matches("^[0-9a-f]{32}$", c.WebhookKey);
        Assert.NotEqual(c.ClientSecret, c.WebhookKey); // A separate key, so the SDK's own fallback is not what is tested.
        Assert.Equal(3, simulator.Merchants.Select(m => m.Uid).Distinct().Count());

        var options = new AlipayHkPayOptions();
        simulator.ConfigureClient("Shop-C", options);
        Assert.Equal((simulator.BaseAddress, c.Uid, c.ClientSecret, c.WebhookKey, "Signature"), (options.BaseAddress, options.Uid, options.ClientSecret, options.WebhookKey, options.WebhookSignatureHeader));

        simulator.Merchants[1].ClientSecret = "changed"; // A copy: the simulator still wants the real one.
        using var client = new GatewayClient(simulator, merchant: new SimulatedMerchant { Uid = "20000002", ClientSecret = "secret-b" });
        Assert.NotEmpty(await client.GetTokenAsync());
    }

    [Fact]
    public async Task An_unknown_merchant_name_is_refused_with_the_names_there_are()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(Options(new SimulatedMerchant { Name = "shop-b" }), TestContext.Current.CancellationToken);

        var error = Assert.Throws<ArgumentException>(() => simulator.ConfigureClient("shop-x", new AlipayHkPayOptions()));

        Assert.Equal("merchantName", error.ParamName);
        Assert.Contains("no merchant named 'shop-x'. Its merchants: default, shop-b.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "Merchants[0].Name is required")]
    [InlineData("default", null, "Merchants[0].Name 'default' is taken")]
    [InlineData("shop-b", "10000001", "Merchants[1].Uid '10000001' is used by another merchant")]
    public async Task Bad_merchants_are_refused_at_start_naming_the_setting(string? name, string? uid, string message)
    {
        AlipayHkGatewaySimulatorOptions options = name == "shop-b"
            ? Options(new SimulatedMerchant { Name = "shop-a" }, new SimulatedMerchant { Name = name, Uid = uid })
            : Options(new SimulatedMerchant { Name = name, Uid = uid });
        options.Uid = "10000001";

        var error = await Assert.ThrowsAsync<ArgumentException>(() => AlipayHkGatewaySimulator.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_are_per_uid_and_a_merchant_cannot_see_another_merchants_payment()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(Options(new SimulatedMerchant { Name = "shop-b" }), TestContext.Current.CancellationToken);
        using var a = new GatewayClient(simulator);
        using var b = new GatewayClient(simulator, merchant: simulator.Merchants[1]);
        using HttpResponseMessage mixed = await a.AuthAsync(uid: simulator.Merchants[1].Uid, secret: simulator.ClientSecret);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, mixed.StatusCode);

        string orderId = (await b.CreateAsync("SHARED-1")).GetProperty("data").GetProperty("order_id").GetString()!;

        JsonElement byOrderId = await a.QueryAsync(orderId: orderId);
        JsonElement byMerchantOrderId = await a.QueryAsync(merchantOrderId: "SHARED-1");
        JsonElement own = await b.QueryAsync(orderId: orderId);
        Assert.Equal(40004, byOrderId.GetProperty("code").GetInt32()); // As for any order the simulator does not know.
        Assert.Equal("order not found", byOrderId.GetProperty("message").GetString());
        Assert.Equal(40004, byMerchantOrderId.GetProperty("code").GetInt32());
        Assert.Equal(0, own.GetProperty("code").GetInt32());
        Assert.Equal("shop-b", simulator.GetPayment(orderId)!.MerchantName);
    }

    [Fact]
    public async Task Merchant_order_ids_are_unique_per_merchant_and_an_ambiguous_one_is_refused_by_the_controls()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(Options(new SimulatedMerchant { Name = "shop-b" }), TestContext.Current.CancellationToken);
        using var a = new GatewayClient(simulator);
        using var b = new GatewayClient(simulator, merchant: simulator.Merchants[1]);

        JsonElement first = await a.CreateAsync("ORDER-1");
        JsonElement other = await b.CreateAsync("ORDER-1");
        JsonElement again = await b.CreateAsync("ORDER-1");

        Assert.Equal(0, first.GetProperty("code").GetInt32());
        Assert.Equal(0, other.GetProperty("code").GetInt32());
        Assert.Equal(40002, again.GetProperty("code").GetInt32());
        var error = Assert.Throws<InvalidOperationException>(() => simulator.GetPayment("ORDER-1"));
        Assert.Contains("used by merchants 'default' and 'shop-b'", error.Message, StringComparison.Ordinal);
        string orderB = other.GetProperty("data").GetProperty("order_id").GetString()!;
        Assert.Equal("shop-b", simulator.CancelPayment(orderB).MerchantName);
    }

    [Fact]
    public async Task A_merchants_callbacks_are_signed_with_its_own_key_and_its_sdk_verifies_them()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(Options(new SimulatedMerchant { Name = "shop-b" }), TestContext.Current.CancellationToken);
        SimulatedMerchant b = simulator.Merchants[1];
        await using ServiceProvider sdk = Sdk.For(simulator, options => simulator.ConfigureClient("shop-b", options));
        var client = sdk.GetRequiredService<IAlipayHkPayClient>();
        PaymentIntent created = await client.CreatePaymentAsync(Sdk.Request("MB-1", receiver.NotifyUrl), TestContext.Current.CancellationToken);

        await simulator.CompletePaymentAsync(created.OrderId, TestContext.Current.CancellationToken);

        ReceivedCallback callback = Assert.Single(receiver.Received);
        Assert.Equal(WebhookSigning.Sign(callback.Body, b.WebhookKey!), callback.Headers["Signature"]);
        Assert.NotEqual(WebhookSigning.Sign(callback.Body, simulator.WebhookKey), callback.Headers["Signature"]);
        ConfirmedWebhook confirmed = await sdk.GetRequiredService<IAlipayHkPayWebhookProcessor>().ProcessAsync(
            callback.Body, callback.Headers["Signature"], TestContext.Current.CancellationToken);
        Assert.Equal(PaymentStatus.Succeeded, confirmed.Payment!.Status);
    }

    private static AlipayHkGatewaySimulatorOptions Options(params SimulatedMerchant[] merchants)
    {
        var options = new AlipayHkGatewaySimulatorOptions();
        foreach (SimulatedMerchant merchant in merchants)
        {
            options.Merchants.Add(merchant);
        }

        return options;
    }
}
