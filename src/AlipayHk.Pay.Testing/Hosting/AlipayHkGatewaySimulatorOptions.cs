using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing;

/// <summary>
/// Settings for <see cref="AlipayHkGatewaySimulator"/>. Every setting has a default: a simulator started with
/// <c>new AlipayHkGatewaySimulatorOptions()</c> (or none) is ready to use.
/// </summary>
/// <remarks>
/// Settings are read when the simulator starts, except <see cref="AutoPayAfter"/>, <see cref="PaymentTimeout"/> and
/// <see cref="QrCodeBaseUrl"/>, which are read at each create: a test may change them between two creates.
/// </remarks>
public sealed class AlipayHkGatewaySimulatorOptions
{
    /// <summary>The gateway's retry schedule for callbacks: the waits before the 2nd to the 10th notification.</summary>
    public static readonly IReadOnlyList<TimeSpan> GatewayCallbackRetryDelays =
    [
        TimeSpan.FromSeconds(15),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(300),
        TimeSpan.FromSeconds(600),
        TimeSpan.FromSeconds(1800),
        TimeSpan.FromSeconds(3600),
        TimeSpan.FromSeconds(7200),
        TimeSpan.FromSeconds(14400),
    ];

    /// <summary>
    /// The port to listen on, on <c>127.0.0.1</c>. Default 0: a free port, chosen when the simulator starts (read it
    /// from <see cref="AlipayHkGatewaySimulator.BaseAddress"/>). Set one when an app's configuration must name the address.
    /// </summary>
    public int Port { get; set; }

    /// <summary>The merchant number the simulator accepts. Default: a generated one, such as <c>39172931</c>.</summary>
    public string? Uid { get; set; }

    /// <summary>The client secret the simulator accepts. Default: 32 random hex characters.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The key callbacks are signed with. Default: <see cref="ClientSecret"/>, which is also the SDK's fallback
    /// when its own <c>WebhookKey</c> is not set. Set it to test a separate notify key.
    /// </summary>
    public string? WebhookKey { get; set; }

    /// <summary>
    /// More merchants to serve besides the default one (<see cref="Uid"/>, <see cref="ClientSecret"/>, <see cref="WebhookKey"/>,
    /// named <c>default</c>), each with its own uid, client secret and webhook key. Empty by default. Point the SDK at
    /// one with <see cref="AlipayHkGatewaySimulator.ConfigureClient(string, AlipayHk.Pay.AlipayHkPayOptions)"/>.
    /// </summary>
    public IList<SimulatedMerchant> Merchants { get; } = [];

    /// <summary>The HTTP header that carries a callback's signature. Default <c>Signature</c>.</summary>
    public string SignatureHeader { get; set; } = "Signature";

    /// <summary>How long an access token is accepted after it is issued. Default 3600 seconds, like the gateway.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(3600);

    /// <summary>
    /// The clock for token expiry, create and pay times, automatic payments and timeouts, the
    /// <see cref="SimulatedFault.Timeout"/> delay, and the callback schedule and timeout. Default <see cref="TimeProvider.System"/>;
    /// a <c>FakeTimeProvider</c> makes all of them deterministic.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Multiplies every wait of the callback retry schedule. Default 1 (the gateway's real schedule:
    /// 15 s, 30 s, … 14400 s). <c>0.001</c> turns 15 s into 15 ms. Must be 0 or more.
    /// </summary>
    public double CallbackTimeScale { get; set; } = 1d;

    /// <summary>
    /// The waits before the 2nd to the last notification, before <see cref="CallbackTimeScale"/> is applied.
    /// Default <see cref="GatewayCallbackRetryDelays"/>: ten notifications in all.
    /// </summary>
    public IReadOnlyList<TimeSpan> CallbackRetryDelays { get; set; } = GatewayCallbackRetryDelays;

    /// <summary>
    /// How long a receiver has to answer one notification; a later answer counts as a failure, as on the gateway.
    /// Default 5 seconds. Not scaled by <see cref="CallbackTimeScale"/>: a few milliseconds would be too short for
    /// a real HTTP round trip on a busy test machine.
    /// </summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends callbacks through this handler instead of a new <see cref="SocketsHttpHandler"/>, for example the
    /// handler of an ASP.NET Core <c>TestServer</c>. The simulator does not dispose it. An app's test server usually
    /// exists only after the simulator started: then call <see cref="AlipayHkGatewaySimulator.DeliverCallbacksTo"/> instead.
    /// </summary>
    public HttpMessageHandler? CallbackHandler { get; set; }

    /// <summary>
    /// The start of every <c>render_qrcode</c> URL; the order id is appended. Default: the simulator's own
    /// <c>/simulator/pay/</c> page, where opening the URL in a browser lets a person play the shopper.
    /// </summary>
    public Uri? QrCodeBaseUrl { get; set; }

    /// <summary>
    /// When set, the simulated shopper pays every new payment this long after it is created (as
    /// <see cref="AlipayHkGatewaySimulator.CompletePaymentAsync"/> would). Default: never; tests complete payments themselves.
    /// </summary>
    public TimeSpan? AutoPayAfter { get; set; }

    /// <summary>When set, a payment still pending this long after it is created is cancelled, as the gateway closes unpaid orders. Default: never.</summary>
    public TimeSpan? PaymentTimeout { get; set; }

    /// <summary>
    /// Where the simulator logs what it does: each request and its answer (paths only, never a query string or a
    /// secret), each payment's change of status and each callback attempt. Default: no logging.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// How long a <see cref="SimulatedFault.Timeout"/> holds the response back: longer than the client's attempt timeout.
    /// Default 100 seconds. The wait ends early when the client disconnects or the simulator is disposed.
    /// </summary>
    public TimeSpan TimeoutFaultDelay { get; set; } = TimeSpan.FromSeconds(100);
}
