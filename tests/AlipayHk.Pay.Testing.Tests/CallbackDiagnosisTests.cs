using System.Net;
using System.Net.Sockets;
using AlipayHk.Pay.Testing.Tests.Support;

namespace AlipayHk.Pay.Testing.Tests;

/// <summary>
/// A callback that is not received says why, in words a developer can act on: a redirect (status, Location, and that
/// the gateway does not follow it), or nothing listening at the notify URL.
/// </summary>
public sealed class CallbackDiagnosisTests
{
    [Fact]
    public async Task A_redirect_from_an_app_with_UseHttpsRedirection_is_named_with_its_status_location_and_that_it_is_not_followed()
    {
        await using var app = await RedirectingApp.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("REDIRECT-1", app.NotifyUrl.AbsoluteUri);

        await simulator.CompletePaymentAsync("REDIRECT-1", Timeouts.Bounded());

        CallbackDelivery delivery = Assert.Single(simulator.CallbackDeliveries);
        Assert.False(delivery.Accepted);
        Assert.Equal(307, delivery.StatusCode);
        Assert.Equal(RedirectingApp.RedirectedTo, delivery.Location);
        Assert.StartsWith($"HTTP 307, a redirect to {RedirectingApp.RedirectedTo}: the gateway does not follow redirects", delivery.Diagnosis, StringComparison.Ordinal);
        Assert.Contains("UseHttpsRedirection()", delivery.Diagnosis, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidOperationException>(() => delivery.EnsureAccepted());
        Assert.EndsWith(delivery.Diagnosis!, ex.Message, StringComparison.Ordinal);
        Assert.NotNull(delivery.NextAttemptAt); // Retried like any failure, and redirected again.
        Assert.Equal(0, app.Handled); // The app's webhook never ran.
    }

    [Fact]
    public async Task A_notify_url_where_nothing_listens_is_named_a_refused_connection_to_that_address()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port; // Closed again at once: nothing listens there.
        }

        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("NOBODY-1", $"http://127.0.0.1:{port}/payments/alipayhk/notify");

        await simulator.CompletePaymentAsync("NOBODY-1", Timeouts.Bounded());

        CallbackDelivery delivery = Assert.Single(simulator.CallbackDeliveries);
        Assert.Null(delivery.StatusCode);
        Assert.Null(delivery.Location);
        Assert.StartsWith($"connection refused: nothing listens at http://127.0.0.1:{port}. The notify_url must be the app's real address", delivery.Diagnosis, StringComparison.Ordinal);
        Assert.Equal(delivery.Error, delivery.Diagnosis);
    }

    [Fact]
    public async Task An_accepted_callback_has_no_diagnosis()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("FINE-1", receiver.NotifyUrl.AbsoluteUri);

        await simulator.CompletePaymentAsync("FINE-1", Timeouts.Bounded());

        CallbackDelivery delivery = Assert.Single(simulator.CallbackDeliveries);
        Assert.True(delivery.Accepted);
        Assert.Null(delivery.Diagnosis);
        Assert.Null(delivery.Location);
    }
}
