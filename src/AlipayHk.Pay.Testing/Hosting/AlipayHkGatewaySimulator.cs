using System.Net;
using AlipayHk.Pay.Testing.Callbacks;
using AlipayHk.Pay.Testing.Endpoints;
using AlipayHk.Pay.Testing.Faults;
using AlipayHk.Pay.Testing.Hosting;
using AlipayHk.Pay.Testing.Journal;
using AlipayHk.Pay.Testing.Logging;
using AlipayHk.Pay.Testing.Merchants.Internal;
using AlipayHk.Pay.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly AlipayHkGatewaySimulatorOptions _options;
    private readonly BackgroundWork _background = new();
    private readonly ChangeFeed _changes = new();
    private readonly MerchantDirectory _merchants;
    private readonly SimulatorState _state;
    private readonly GatewayEndpoints _endpoints;
    private readonly CallbackDispatcher _callbacks;
    private readonly CallbackTransport _callbackTransport;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private Uri? _baseAddress;
    private int _disposed;

    private AlipayHkGatewaySimulator(AlipayHkGatewaySimulatorOptions options)
    {
        Validate(options);
        _options = options;
        _merchants = new MerchantDirectory(options);
        SignatureHeader = options.SignatureHeader;
        TimeProvider time = options.TimeProvider;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AlipayHkGatewaySimulator>();
        _state = new SimulatorState
        {
            Merchants = _merchants,
            TimeProvider = time,
            TimeoutFaultDelay = options.TimeoutFaultDelay,
            Payments = new PaymentStore(time, _logger, _changes),
            Tokens = new TokenStore(time, options.TokenLifetime, _changes),
            Faults = new FaultPlan(_changes),
            Journal = new RequestJournal(_changes),
            Background = _background,
            Logger = _logger,
        };
        _endpoints = new GatewayEndpoints(_state, QrCodeUrl, OnCreated, PayFromPage);
        _callbackTransport = new CallbackTransport(options.CallbackHandler, options.CallbackTimeout);
        _callbacks = new CallbackDispatcher(
            _callbackTransport,
            _background,
            time,
            SignatureHeader,
            [.. options.CallbackRetryDelays],
            options.CallbackTimeScale,
            options.CallbackTimeout,
            _logger,
            _changes);
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

    /// <summary>Every payment created so far, oldest first: a snapshot.</summary>
    public IReadOnlyList<SimulatedPayment> Payments => _state.Payments.Snapshot();

    /// <summary>Every callback attempt so far, oldest first: a snapshot.</summary>
    public IReadOnlyList<CallbackDelivery> CallbackDeliveries => _callbacks.Snapshot();

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
            await simulator.StartCoreAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Finds a payment by its order id or its merchant order id.</summary>
    /// <param name="orderIdOrMerchantOrderId">
    /// Either id. Wherever a method takes this, a merchant order id that several merchants use is refused with an
    /// <see cref="InvalidOperationException"/>: name such a payment by its order id.
    /// </param>
    /// <returns>A snapshot of the payment, or <see langword="null"/> when there is none.</returns>
    public SimulatedPayment? GetPayment(string orderIdOrMerchantOrderId)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _state.Payments.Find(orderIdOrMerchantOrderId);
    }

    /// <summary>
    /// The shopper pays: the payment becomes <c>SUCCEEDED</c> with <c>pay_time</c> now, and, when the create named a
    /// <c>notify_url</c>, a signed <c>payment_success</c> callback is sent. Returns once that first notification was
    /// answered (or failed); retries, if needed, go on in the background.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="cancellationToken">Stops waiting for the first notification; the payment stays paid.</param>
    /// <returns>The paid payment.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c> (already paid, or cancelled).</exception>
    public async Task<SimulatedPayment> CompletePaymentAsync(string orderIdOrMerchantOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        ThrowIfDisposed();
        (PaymentRecord record, SimulatedPayment paid) = _state.Payments.Transition(orderIdOrMerchantOrderId, PaymentStatus.Succeeded);
        if (record.NotifyUrl is { } notifyUrl)
        {
            _callbacks.Start(record.OrderId, record.MerchantOrderId, notifyUrl, record.Merchant.WebhookKey);
            await WaitForCallbackAsync(record.OrderId, 1, cancellationToken).ConfigureAwait(false);
        }

        return paid;
    }

    /// <summary>
    /// Sends a paid payment's callback now, and returns once that notification was answered (or failed). A retry still
    /// waiting for its time goes at once, and the schedule goes on from it; once the schedule is over (a notification
    /// was accepted, or the last one failed), one more notification is sent, with no retry of its own: as when a
    /// merchant asks the gateway to notify again.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer; the notification is still sent.</param>
    /// <returns>The notification sent.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>SUCCEEDED</c>, or its create named no <c>notify_url</c>.</exception>
    public async Task<CallbackDelivery> RedeliverCallbackAsync(string orderIdOrMerchantOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        ThrowIfDisposed();
        (PaymentRecord record, _) = _state.Payments.Get(orderIdOrMerchantOrderId);
        if (record.Status != PaymentStatus.Succeeded || record.NotifyUrl is null)
        {
            throw new InvalidOperationException(record.NotifyUrl is null
                ? $"Payment {record.OrderId} (merchant order {record.MerchantOrderId}) has no notify_url: there is no callback to send."
                : $"Payment {record.OrderId} (merchant order {record.MerchantOrderId}) is {PaymentStore.Wire(record.Status)}: only a SUCCEEDED payment is notified.");
        }

        // Paid but not yet notified happens only for an instant (the first attempt starts with the payment); start it then.
        int attempt = await _callbacks.RedeliverAsync(record.OrderId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Payment {record.OrderId} has not been notified yet.");
        string orderId = record.OrderId;
        return await _callbacks.WaitAsync(
            deliveries => deliveries.FirstOrDefault(d => d.Attempt == attempt && d.OrderId == orderId),
            cancellationToken).ConfigureAwait(false);
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
        _background.Reset();
        _callbacks.Clear();
        _state.Payments.Clear();
        _state.Tokens.ExpireAll();
        _state.Faults.Clear();
        _state.Journal.Clear();
    }

    /// <summary>Closes a pending payment: it becomes <c>CANCELLED</c>, as when the shopper gives up. No callback is sent.</summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <returns>The cancelled payment.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c>.</exception>
    public SimulatedPayment CancelPayment(string orderIdOrMerchantOrderId)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _state.Payments.Transition(orderIdOrMerchantOrderId, PaymentStatus.Cancelled).Snapshot;
    }

    /// <summary>Lets a pending payment time out: it becomes <c>CANCELLED</c> (the gateway reports a timeout that way). No callback is sent.</summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <returns>The cancelled payment.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c>.</exception>
    public SimulatedPayment TimeOutPayment(string orderIdOrMerchantOrderId) => CancelPayment(orderIdOrMerchantOrderId);

    /// <summary>
    /// Makes the next <paramref name="count"/> requests to <paramref name="endpoint"/> fail with <paramref name="fault"/>.
    /// Calls add up, in order: <c>FailNext(1, ServerError)</c> then <c>FailNext(1, Timeout)</c> fails the next request
    /// with a 503 and the one after with a timeout.
    /// </summary>
    /// <param name="count">How many requests; at least 1.</param>
    /// <param name="fault">How they fail.</param>
    /// <param name="endpoint">Which endpoint; <see cref="SimulatedEndpoint.Any"/> (the default) for any of the three.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or an enum value is undefined.</exception>
    public void FailNext(int count, SimulatedFault fault, SimulatedEndpoint endpoint = SimulatedEndpoint.Any)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Enum.IsDefined(fault))
        {
            throw new ArgumentOutOfRangeException(nameof(fault), fault, "Unknown fault.");
        }

        if (!Enum.IsDefined(endpoint))
        {
            throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Unknown endpoint.");
        }

        _state.Faults.Add(count, fault, endpoint);
    }

    /// <summary>Drops every fault asked for with <see cref="FailNext"/> that has not happened yet.</summary>
    public void ClearFaults() => _state.Faults.Clear();

    /// <summary>Every access token issued so far stops being accepted (HTTP 401), as if it had expired. New tokens can be fetched.</summary>
    public void ExpireTokens() => _state.Tokens.ExpireAll();

    /// <summary>
    /// Waits until a payment has <paramref name="status"/>: handy with <see cref="AlipayHkGatewaySimulatorOptions.AutoPayAfter"/>
    /// and <see cref="AlipayHkGatewaySimulatorOptions.PaymentTimeout"/>, which change payments in the background.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id. It may not exist yet: the wait covers its creation.</param>
    /// <param name="status">The status to wait for.</param>
    /// <param name="cancellationToken">Stops the wait; pass a timeout so a test cannot hang.</param>
    /// <returns>The payment, once it has that status.</returns>
    /// <exception cref="ObjectDisposedException">The simulator was disposed first.</exception>
    public Task<SimulatedPayment> WaitForPaymentStatusAsync(string orderIdOrMerchantOrderId, PaymentStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _state.Payments.WaitAsync(orderIdOrMerchantOrderId, status, cancellationToken);
    }

    /// <summary>Waits until notification number <paramref name="attempt"/> for a payment has been sent and answered (or has failed).</summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="attempt">Which notification: 1 for the first.</param>
    /// <param name="cancellationToken">Stops the wait; pass a timeout so a test cannot hang.</param>
    /// <returns>That delivery.</returns>
    /// <exception cref="ObjectDisposedException">The simulator was disposed before it happened.</exception>
    public Task<CallbackDelivery> WaitForCallbackAsync(string orderIdOrMerchantOrderId, int attempt = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return _callbacks.WaitAsync(
            deliveries => deliveries.FirstOrDefault(d => d.Attempt == attempt && IsFor(d, orderIdOrMerchantOrderId)),
            cancellationToken);
    }

    /// <summary>
    /// Waits until a payment's callbacks are over: one was accepted (HTTP 200 in time), or the last of the schedule failed.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="cancellationToken">Stops the wait; pass a timeout so a test cannot hang.</param>
    /// <returns>The last delivery: check <see cref="CallbackDelivery.Accepted"/> and <see cref="CallbackDelivery.Attempt"/>.</returns>
    /// <exception cref="ObjectDisposedException">The simulator was disposed before it happened.</exception>
    public Task<CallbackDelivery> WaitForCallbacksSettledAsync(string orderIdOrMerchantOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _callbacks.WaitAsync(
            deliveries => deliveries.FirstOrDefault(d => d.NextAttemptAt is null && IsFor(d, orderIdOrMerchantOrderId)),
            cancellationToken);
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
        await _background.DisposeAsync().ConfigureAwait(false);
        if (_app is { } app)
        {
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _callbackTransport.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"AlipayHkGatewaySimulator at {_baseAddress?.ToString() ?? "(not started)"} for uid {Uid}";

    /// <summary>A simulator that serves no address of its own: a host (the standalone server) sends it requests through <see cref="HandleAsync"/>.</summary>
    internal static AlipayHkGatewaySimulator CreateHosted(AlipayHkGatewaySimulatorOptions options) => new(options);

    /// <summary>Goes up on every change: payments, callbacks, journal, faults, tokens.</summary>
    internal ChangeFeed Changes => _changes;

    /// <summary>The faults still due, in order.</summary>
    internal IReadOnlyList<(int Remaining, SimulatedFault Fault, SimulatedEndpoint Endpoint)> PendingFaults => _state.Faults.Snapshot();

    /// <summary>How many journal entries are kept (the oldest go first).</summary>
    internal int JournalCapacity
    {
        get => _state.Journal.Capacity;
        set => _state.Journal.Capacity = value;
    }

    /// <summary>
    /// For a host: the address clients reach it at (QR codes and the pay page use it), and the page the pay page links
    /// back to. Call it once the host listens, before the first request.
    /// </summary>
    internal void AttachToHost(Uri baseAddress, string? dashboardPath)
    {
        string text = baseAddress.AbsoluteUri;
        _baseAddress = new Uri(text.EndsWith('/') ? text : text + "/");
        _state.DashboardPath = dashboardPath;
        SimulatorLog.Started(_logger, _baseAddress, Uid);
    }

    /// <summary>The gateway's endpoints and the pay page, as a request delegate: journal, faults, bearer check, answer.</summary>
    internal Task HandleAsync(HttpContext context) => _endpoints.HandleAsync(context);

    private void Configure(MerchantAccount merchant, AlipayHkPayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BaseAddress = BaseAddress;
        options.Uid = merchant.Uid;
        options.ClientSecret = merchant.ClientSecret;
        options.WebhookKey = merchant.WebhookKey;
        options.WebhookSignatureHeader = SignatureHeader;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AlipayHkGatewaySimulator).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, _options.Port);
        });
        WebApplication app = builder.Build();
        app.Run(_endpoints.HandleAsync);
        _app = app;
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        SimulatorLog.Started(_logger, _baseAddress, Uid);
    }

    private Uri QrCodeUrl(string orderId)
    {
        Uri root = _options.QrCodeBaseUrl ?? new Uri(BaseAddress, GatewayEndpoints.PayPagePath);
        string text = root.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + orderId : text + "/" + orderId);
    }

    private void OnCreated(PaymentRecord record)
    {
        TimeProvider time = _options.TimeProvider;
        string orderId = record.OrderId;
        if (_options.AutoPayAfter is { } payAfter)
        {
            _background.After(payAfter, time, () =>
            {
                if (_state.Payments.TryTransition(orderId, PaymentStatus.Succeeded, out PaymentRecord? paid) && paid!.NotifyUrl is { } url)
                {
                    _callbacks.Start(paid.OrderId, paid.MerchantOrderId, url, paid.Merchant.WebhookKey);
                }
            });
        }

        if (_options.PaymentTimeout is { } timeout)
        {
            _background.After(timeout, time, () => _state.Payments.TryTransition(orderId, PaymentStatus.Cancelled, out _));
        }
    }

    private void PayFromPage(string orderId)
    {
        (PaymentRecord record, _) = _state.Payments.Transition(orderId, PaymentStatus.Succeeded);
        if (record.NotifyUrl is { } url)
        {
            _callbacks.Start(record.OrderId, record.MerchantOrderId, url, record.Merchant.WebhookKey);
        }
    }

    private static bool IsFor(CallbackDelivery delivery, string id) =>
        string.Equals(delivery.OrderId, id, StringComparison.Ordinal) || string.Equals(delivery.MerchantOrderId, id, StringComparison.Ordinal);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static void Validate(AlipayHkGatewaySimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        ArgumentNullException.ThrowIfNull(options.CallbackRetryDelays, "options.CallbackRetryDelays");
        ArgumentNullException.ThrowIfNull(options.Merchants, "options.Merchants");
        if (string.IsNullOrWhiteSpace(options.SignatureHeader))
        {
            throw new ArgumentException("SignatureHeader must not be blank.", nameof(options));
        }

        if (options.TokenLifetime <= TimeSpan.Zero || options.CallbackTimeout <= TimeSpan.Zero || options.TimeoutFaultDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException("TokenLifetime, CallbackTimeout and TimeoutFaultDelay must be positive.", nameof(options));
        }

        if (!(options.CallbackTimeScale >= 0d) || double.IsInfinity(options.CallbackTimeScale))
        {
            throw new ArgumentException($"CallbackTimeScale must be 0 or more; got {options.CallbackTimeScale}.", nameof(options));
        }

        if (options.CallbackRetryDelays.Any(d => d < TimeSpan.Zero)
            || options.AutoPayAfter < TimeSpan.Zero
            || options.PaymentTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("CallbackRetryDelays and AutoPayAfter must not be negative, and PaymentTimeout must be positive.", nameof(options));
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Port must be between 0 and 65535; got {options.Port}.", nameof(options));
        }

        if (options.QrCodeBaseUrl is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("QrCodeBaseUrl must be an absolute URL.", nameof(options));
        }
    }
}
