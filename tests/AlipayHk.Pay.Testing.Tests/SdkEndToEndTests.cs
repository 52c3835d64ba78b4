using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Testing.Tests;

/// <summary>The real SDK against the simulator, wired with one line: <c>services.AddAlipayHkPay(simulator.ConfigureClient)</c>.</summary>
public sealed class SdkEndToEndTests
{
    [Fact]
    public async Task Create_pay_and_look_up_a_payment()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();

        PaymentIntent created = await client.CreatePaymentAsync(Sdk.Request("E2E-1", receiver.NotifyUrl), TestContext.Current.CancellationToken);
        await simulator.CompletePaymentAsync(created.OrderId, TestContext.Current.CancellationToken);
        PaymentIntent paid = await client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("E2E-1"), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Pending, created.Status);
        Assert.Equal("render_qrcode", created.NextAction!.Type);
        Assert.Equal(simulator.GetPayment("E2E-1")!.QrCodeUrl, created.NextAction.Url);
        Assert.Equal(12.50m, created.Amount);
        Assert.Equal(simulator.GetPayment("E2E-1")!.CreateTime, created.CreateTime); // Nine fractional digits parsed back.
        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.Equal(created.OrderId, paid.OrderId);
        Assert.NotNull(paid.PayTime);
        Assert.Matches("^[0-9a-f]{32}$", paid.RequestId);
        ReceivedCallback callback = Assert.Single(receiver.Received);
        Assert.Equal(WebhookSigning.Sign(callback.Body, simulator.WebhookKey), callback.Headers["Signature"]);
    }

    [Fact]
    public async Task WaitForCompletion_sees_the_shopper_pay_on_their_own()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { AutoPayAfter = TimeSpan.FromMilliseconds(200) }, TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        PaymentIntent created = await client.CreatePaymentAsync(Sdk.Request("E2E-AUTO"), TestContext.Current.CancellationToken);

        PaymentIntent final = await client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Succeeded, final.Status);
        Assert.True(simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Query) >= 1);
    }

    [Fact]
    public async Task WaitForCompletion_reports_a_cancelled_payment()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        await client.CreatePaymentAsync(Sdk.Request("E2E-CANCEL"), TestContext.Current.CancellationToken);
        simulator.TimeOutPayment("E2E-CANCEL");

        PaymentIntent final = await client.WaitForCompletionAsync(PaymentReference.ByMerchantOrderId("E2E-CANCEL"), TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Cancelled, final.Status);
    }

    [Fact]
    public async Task Sdk_retries_a_query_that_hit_a_server_error()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        await client.CreatePaymentAsync(Sdk.Request("E2E-503"), TestContext.Current.CancellationToken);
        simulator.FailNext(1, SimulatedFault.ServerError, SimulatedEndpoint.Query);

        PaymentIntent found = await client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("E2E-503"), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Pending, found.Status);
        Assert.Equal([503, 200], simulator.Journal.Where(e => e.Endpoint == SimulatedEndpoint.Query).Select(e => e.StatusCode ?? 0));
    }

    [Fact]
    public async Task Sdk_surfaces_a_refused_create_as_an_api_error()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        await client.CreatePaymentAsync(Sdk.Request("E2E-DUP"), TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => client.CreatePaymentAsync(Sdk.Request("E2E-DUP"), TestContext.Current.CancellationToken));
        var unknown = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => client.GetPaymentAsync(PaymentReference.ByOrderId("C0"), TestContext.Current.CancellationToken));

        Assert.Equal(40002, refused.Code);
        Assert.Equal(40004, unknown.Code);
    }

    [Fact]
    public async Task A_create_whose_connection_was_reset_is_resent_once_after_the_sdk_asks_first()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        simulator.FailNext(1, SimulatedFault.ConnectionReset, SimulatedEndpoint.Create);

        PaymentIntent created = await client.CreatePaymentAsync(Sdk.Request("E2E-RST"), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Pending, created.Status);
        Assert.Equal(created.OrderId, Assert.Single(simulator.Payments).OrderId);
        Assert.Equal(
            [SimulatedEndpoint.Create, SimulatedEndpoint.Query, SimulatedEndpoint.Create],
            simulator.Journal.Where(e => e.Endpoint != SimulatedEndpoint.Auth).Select(e => e.Endpoint));
    }

    [Fact]
    public async Task A_create_that_timed_out_after_landing_is_recovered_by_query_without_a_second_order()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator, o => o.AttemptTimeout = TimeSpan.FromMilliseconds(500));
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        simulator.FailNext(1, SimulatedFault.Timeout, SimulatedEndpoint.Create);

        PaymentIntent created = await client.CreatePaymentAsync(Sdk.Request("E2E-TO"), TestContext.Current.CancellationToken);

        Assert.Equal(created.OrderId, Assert.Single(simulator.Payments).OrderId);
        Assert.Single(simulator.Journal, e => e.Endpoint == SimulatedEndpoint.Create);
    }

    [Fact]
    public async Task A_create_answered_with_a_malformed_body_is_recovered_by_query()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        simulator.FailNext(1, SimulatedFault.MalformedBody, SimulatedEndpoint.Create);

        PaymentIntent created = await client.CreatePaymentAsync(Sdk.Request("E2E-BAD"), TestContext.Current.CancellationToken);

        Assert.Equal(created.OrderId, Assert.Single(simulator.Payments).OrderId);
    }

    [Fact]
    public async Task Sdk_fetches_a_new_token_when_the_gateway_stops_accepting_the_old_one()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator);
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();
        await client.CreatePaymentAsync(Sdk.Request("E2E-TOKEN"), TestContext.Current.CancellationToken);

        simulator.ExpireTokens();
        PaymentIntent found = await client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("E2E-TOKEN"), TestContext.Current.CancellationToken);

        Assert.Equal("E2E-TOKEN", found.MerchantOrderId);
        Assert.Equal(2, simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Auth));
        Assert.Equal([401, 200], simulator.Journal.Where(e => e.Endpoint == SimulatedEndpoint.Query).Select(e => e.StatusCode ?? 0));
    }

    [Fact]
    public async Task Sdk_reports_bad_credentials_as_an_authentication_error()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using ServiceProvider services = Sdk.For(simulator, o => o.ClientSecret = "wrong");
        IAlipayHkPayClient client = services.GetRequiredService<IAlipayHkPayClient>();

        var error = await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("wrong", error.ToString(), StringComparison.Ordinal);
    }
}
