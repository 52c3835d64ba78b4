namespace AlipayHk.Pay.Testing;

public sealed partial class AlipayHkGatewaySimulator
{
    /// <summary>
    /// Delivers callbacks into an in-memory app from now on, instead of over a socket: pass the handler of the app's
    /// ASP.NET Core <c>TestServer</c> (<c>app.GetTestServer().CreateHandler()</c>, or <c>factory.Server.CreateHandler()</c>
    /// for a <c>WebApplicationFactory</c>). Call it once the app is built: the app needs the simulator's address first
    /// (<see cref="ConfigureClient(AlipayHkPayOptions)"/>), and its test server exists only afterwards.
    /// </summary>
    /// <remarks>
    /// Each callback is posted to the payment's <c>notify_url</c> through the handler: the test server routes by the
    /// URL's path (its host does not matter), so give the create a <c>NotifyUrl</c> such as
    /// <c>http://localhost/payments/alipayhk/notify</c> whose path is the one mapped with <c>MapAlipayHkPayWebhook</c>.
    /// Retries still pending are sent through the new handler too. The simulator does not dispose it. When a callback is
    /// not accepted, <see cref="CallbackDelivery.EnsureAccepted"/> says why.
    /// </remarks>
    /// <param name="handler">The in-memory handler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The simulator was disposed.</exception>
    public void DeliverCallbacksTo(HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        _callbackTransport.Use(handler);
    }
}
