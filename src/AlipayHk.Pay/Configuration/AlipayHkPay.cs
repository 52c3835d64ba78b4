using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay;

/// <summary>
/// The SDK in one object, for an app without a dependency-injection container (a WinForms or WPF point of sale, a
/// console app, an ASP.NET app on .NET Framework): <c>using var pay = AlipayHkPay.Create(options);</c>, then
/// <see cref="Client"/> for payments and <see cref="Receiver"/> (or <see cref="Webhooks"/>) for callbacks. It is the
/// same pipeline <c>AddAlipayHkPay</c> registers (access tokens, timeouts and retries, create recovery, duplicate store,
/// telemetry), built in a container of its own. Works the same on every target framework.
/// </summary>
/// <remarks>
/// Create one per merchant account and keep it for as long as the app runs (a static field, or the main form's), as you
/// would an <see cref="HttpClient"/>: it holds the access token, the connections and the record of handled callbacks.
/// Dispose it when the app closes. It is safe to use from many threads.
/// </remarks>
public sealed class AlipayHkPay : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AlipayHkPay(ServiceProvider services) => _services = services;

    /// <summary>
    /// Creates the SDK for one merchant account, and validates the options as an app's start-up does: a bad setting
    /// throws an <see cref="OptionsValidationException"/> whose message names it (<c>AlipayHkPay:Uid is required…</c>).
    /// </summary>
    /// <param name="options">The settings: at least <c>BaseAddress</c>, <c>Uid</c> and <c>ClientSecret</c>. They are copied; later changes to this object are not seen.</param>
    /// <param name="loggerFactory">Where the SDK's log lines go; none when null. The app keeps ownership of it.</param>
    /// <returns>The SDK: keep it for the app's lifetime, and dispose it at the end.</returns>
    /// <exception cref="OptionsValidationException">A setting is missing or invalid.</exception>
    public static AlipayHkPay Create(AlipayHkPayOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = new AlipayHkPayOptions();
        CopyTo(options, snapshot); // now: later changes to the caller's object are not seen
        var services = new ServiceCollection();
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory); // an instance: the container does not dispose it
        }

        services.AddLogging();
        services.AddAlipayHkPay(copy => CopyTo(snapshot, copy));
        ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            // What a host does when it starts: every option registered with ValidateOnStart, validated now.
            provider.GetService<IStartupValidator>()?.Validate();
            _ = provider.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>().Get(string.Empty);
            return new AlipayHkPay(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates, confirms, queries and waits for payments. Each get returns a client over the current HTTP handlers (as
    /// the container's transient registration does, so DNS changes are seen); it is cheap, and so is keeping one for a while.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public IAlipayHkPayClient Client => _services.GetRequiredService<IAlipayHkPayClient>();

    /// <summary>
    /// Receives the gateway's callbacks on any web host: give it the raw request body, its length and the headers, and
    /// answer with the <see cref="WebhookReceipt"/> it returns (the ASP.NET Core endpoint is built on it; the README has
    /// an ASP.NET <c>IHttpHandler</c>).
    /// </summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public IAlipayHkPayWebhookReceiver Receiver => _services.GetRequiredService<IAlipayHkPayWebhookReceiver>();

    /// <summary>Verifies a callback and confirms it with the gateway, for an app that reads the body itself (see <see cref="Receiver"/>).</summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public IAlipayHkPayWebhookProcessor Webhooks => _services.GetRequiredService<IAlipayHkPayWebhookProcessor>();

    /// <summary>Checks a callback's signature and parses it, without asking the gateway.</summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public IAlipayHkPayWebhookVerifier Verifier => _services.GetRequiredService<IAlipayHkPayWebhookVerifier>();

    /// <summary>The container, for the SDK's own tests.</summary>
    internal IServiceProvider Services => _services;

    /// <summary>Releases the connections and timers. The logger factory passed to <see cref="Create"/> is the app's, and stays.</summary>
    public void Dispose() => _services.Dispose();

    /// <summary>Releases the connections and timers, asynchronously.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>Every setting of <see cref="AlipayHkPayOptions"/> (a test checks none is missed).</summary>
    private static void CopyTo(AlipayHkPayOptions from, AlipayHkPayOptions to)
    {
        to.BaseAddress = from.BaseAddress;
        to.Uid = from.Uid;
        to.ClientSecret = from.ClientSecret;
        to.WebhookKey = from.WebhookKey;
        to.WebhookSignatureHeader = from.WebhookSignatureHeader;
        to.MaxWebhookBodyBytes = from.MaxWebhookBodyBytes;
        to.AttemptTimeout = from.AttemptTimeout;
        to.TotalTimeout = from.TotalTimeout;
        to.MaxRetryAttempts = from.MaxRetryAttempts;
        to.RetryBaseDelay = from.RetryBaseDelay;
        to.MaxRetryDelay = from.MaxRetryDelay;
        to.TokenRefreshMargin = from.TokenRefreshMargin;
        to.PollInitialDelay = from.PollInitialDelay;
        to.PollMaxDelay = from.PollMaxDelay;
        to.WebhookBackstopDelay = from.WebhookBackstopDelay;
    }
}
