using AlipayHk.Pay.Testing.Auth.Internal;
using AlipayHk.Pay.Testing.Callbacks.Internal;
using AlipayHk.Pay.Testing.Faults.Internal;
using AlipayHk.Pay.Testing.Gateway.Internal;
using AlipayHk.Pay.Testing.Hosting.Internal;
using AlipayHk.Pay.Testing.Journal.Internal;
using AlipayHk.Pay.Testing.Merchants.Internal;
using AlipayHk.Pay.Testing.PayPage.Internal;
using AlipayHk.Pay.Testing.Payments.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlipayHk.Pay.Testing;

/// <summary>
/// A stateful fake of the CBTIS gateway for Alipay HK, served over real HTTP on <c>127.0.0.1</c>: it issues
/// tokens, creates and queries payments, sends signed callbacks with the gateway's retries, injects faults on
/// demand and keeps a journal of every request. Point the SDK, or your own HTTP code, at <see cref="BaseAddress"/>.
/// </summary>
/// <example>
/// <code>
/// await using var gateway = await AlipayHkGatewaySimulator.StartAsync();
/// var services = new ServiceCollection().AddAlipayHkPay(gateway.ConfigureClient);
/// </code>
/// </example>
/// <remarks>
/// Its error answers follow the gateway's style: an envelope with a non-zero <c>code</c> and HTTP 200 for a
/// request the gateway refuses (codes 40001 invalid parameter, 40002 duplicate <c>merchant_order_id</c>, 40004
/// order not found: the simulator's own, as the gateway publishes no table), and HTTP 401 for a wrong uid or
/// client secret and for a missing, unknown or expired bearer token. All members are safe to call from many threads.
/// <para>
/// It serves one merchant, <c>default</c> (<see cref="Uid"/>, <see cref="ClientSecret"/>, <see cref="WebhookKey"/>), and
/// any others named in <see cref="AlipayHkGatewaySimulatorOptions.Merchants"/>: see <see cref="Merchants"/>.
/// </para>
/// </remarks>
public sealed partial class AlipayHkGatewaySimulator : IAsyncDisposable
{
    // The facade: this file starts, configures and stops it; the other parts of the class, one per concern folder
    // (Payments/, Callbacks/, Faults/, Auth/, Hosting/), forward to the internal types of that folder.
    private readonly AlipayHkGatewaySimulatorOptions _options;
    private readonly MerchantDirectory _merchants;
    private readonly SimulatorState _state;
    private readonly CallbackDispatcher _callbacks;
    private readonly CallbackTransport _callbackTransport;
    private readonly PaymentLifecycle _lifecycle;
    private readonly GatewayRequestHandler _gateway;
    private readonly ILogger _logger;
    private LoopbackServer? _server;
    private Uri? _baseAddress;
    private int _disposed;

    private AlipayHkGatewaySimulator(AlipayHkGatewaySimulatorOptions options)
    {
        OptionsValidator.Validate(options);
        _options = options;
        _merchants = new MerchantDirectory(options);
        SignatureHeader = options.SignatureHeader;
        TimeProvider time = options.TimeProvider;
        var changes = new ChangeFeed();
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AlipayHkGatewaySimulator>();
        _state = new SimulatorState
        {
            Merchants = _merchants,
            TimeProvider = time,
            TimeoutFaultDelay = options.TimeoutFaultDelay,
            Payments = new PaymentStore(time, _logger, changes),
            Tokens = new TokenStore(time, options.TokenLifetime, changes),
            Faults = new FaultPlan(changes),
            Journal = new RequestJournal(changes),
            Background = new BackgroundWork(),
            Changes = changes,
            Logger = _logger,
        };
        _callbackTransport = new CallbackTransport(options.CallbackHandler, options.CallbackTimeout);
        _callbacks = new CallbackDispatcher(
            _callbackTransport,
            _state.Background,
            time,
            SignatureHeader,
            [.. options.CallbackRetryDelays],
            options.CallbackTimeScale,
            options.CallbackTimeout,
            _logger,
            changes);
        _lifecycle = new PaymentLifecycle(_state, _callbacks, options);
        _gateway = new GatewayRequestHandler(
            _state,
            new PaymentEndpoints(_state, _lifecycle, orderId => PayPageEndpoint.UrlFor(_options.QrCodeBaseUrl, BaseAddress, orderId)),
            new PayPageEndpoint(_state, _lifecycle));
    }

    /// <summary>Where the simulator listens, such as <c>http://127.0.0.1:54321/</c>; the SDK's <c>BaseAddress</c>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The simulator has not started.");

    /// <summary>The merchant number of the <c>default</c> merchant.</summary>
    public string Uid => _merchants.Default.Uid;

    /// <summary>The client secret of the <c>default</c> merchant. Not a real secret: safe to put in test code.</summary>
    public string ClientSecret => _merchants.Default.ClientSecret;

    /// <summary>
    /// The key the <c>default</c> merchant's callbacks are signed with: <see cref="AlipayHkGatewaySimulatorOptions.WebhookKey"/>,
    /// or else <see cref="ClientSecret"/>.
    /// </summary>
    public string WebhookKey => _merchants.Default.WebhookKey;

    /// <summary>
    /// Every merchant the simulator serves, with every value filled in: <c>default</c> first (<see cref="Uid"/>,
    /// <see cref="ClientSecret"/>, <see cref="WebhookKey"/>), then those of <see cref="AlipayHkGatewaySimulatorOptions.Merchants"/>,
    /// in order. Copies: changing one changes nothing in the simulator.
    /// </summary>
    public IReadOnlyList<SimulatedMerchant> Merchants => _merchants.Public;

    /// <summary>The header that carries a callback's signature.</summary>
    public string SignatureHeader { get; }

    /// <summary>Every request received so far, oldest first: a snapshot. The <c>client_secret</c> is redacted.</summary>
    public IReadOnlyList<JournalEntry> Journal => _state.Journal.Snapshot();

    /// <summary>Starts a simulator on <c>127.0.0.1</c>, on a free port unless <see cref="AlipayHkGatewaySimulatorOptions.Port"/> names one.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running simulator. Dispose it to stop it and its background work.</returns>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public static async Task<AlipayHkGatewaySimulator> StartAsync(AlipayHkGatewaySimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var simulator = new AlipayHkGatewaySimulator(options ?? new AlipayHkGatewaySimulatorOptions());
        try
        {
            simulator._server = await LoopbackServer.StartAsync(simulator._options.Port, simulator._gateway.HandleAsync, cancellationToken).ConfigureAwait(false);
            simulator.Listening(simulator._server.BaseAddress);
            return simulator;
        }
        catch
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Points the SDK at the simulator: sets <c>BaseAddress</c>, <c>Uid</c>, <c>ClientSecret</c>, <c>WebhookKey</c> and
    /// <c>WebhookSignatureHeader</c>. Use it as <c>services.AddAlipayHkPay(simulator.ConfigureClient)</c>.
    /// </summary>
    /// <param name="options">The SDK's options.</param>
    public void ConfigureClient(AlipayHkPayOptions options) => Configure(_merchants.Default, options);

    /// <summary>
    /// Points the SDK at the simulator as the merchant named <paramref name="merchantName"/>: its <c>Uid</c>,
    /// <c>ClientSecret</c> and <c>WebhookKey</c>, and the simulator's <c>BaseAddress</c> and <c>WebhookSignatureHeader</c>.
    /// Use it as <c>services.AddAlipayHkPay(options =&gt; simulator.ConfigureClient("shop-b", options))</c>.
    /// </summary>
    /// <param name="merchantName">A name from <see cref="Merchants"/>, ignoring case; <c>default</c> for the default merchant.</param>
    /// <param name="options">The SDK's options.</param>
    /// <exception cref="ArgumentException">The simulator has no merchant of that name; the message lists those it has.</exception>
    public void ConfigureClient(string merchantName, AlipayHkPayOptions options)
    {
        ArgumentNullException.ThrowIfNull(merchantName);
        Configure(_merchants.ByName(merchantName, nameof(merchantName)), options);
    }

    /// <summary>
    /// Forgets every payment, callback delivery, access token, pending fault and journal entry, and stops the retries,
    /// automatic payments and timeouts still pending, so that the next test starts from a clean gateway. The merchants,
    /// the settings and the address stay. A wait still on for something of before the reset fails with an
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public void Reset()
    {
        ThrowIfDisposed();
        _state.Background.Reset();
        _callbacks.Clear();
        _state.Payments.Clear();
        _state.Tokens.ExpireAll();
        _state.Faults.Clear();
        _state.Journal.Clear();
    }

    /// <summary>Stops the server and all background work (callbacks, automatic payments, held-back responses).</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _callbacks.Stop();
        _state.Payments.Stop();
        await _state.Background.DisposeAsync().ConfigureAwait(false);
        if (_server is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _callbackTransport.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"AlipayHkGatewaySimulator at {_baseAddress?.ToString() ?? "(not started)"} for uid {Uid}";

    private void Configure(MerchantAccount merchant, AlipayHkPayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BaseAddress = BaseAddress;
        options.Uid = merchant.Uid;
        options.ClientSecret = merchant.ClientSecret;
        options.WebhookKey = merchant.WebhookKey;
        options.WebhookSignatureHeader = SignatureHeader;
    }

    /// <summary>The address clients reach the simulator at, from now on: QR codes and the pay page use it.</summary>
    private void Listening(Uri baseAddress)
    {
        string text = baseAddress.AbsoluteUri;
        _baseAddress = new Uri(text.EndsWith('/') ? text : text + "/");
        Logging.Internal.SimulatorLog.Started(_logger, _baseAddress, Uid);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
