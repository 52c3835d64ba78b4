namespace AlipayHk.Pay;

/// <summary>
/// Settings for the Alipay HK client. Bind them from the <c>AlipayHkPay</c> configuration section or set
/// them in code; they are validated when the app starts.
/// </summary>
public sealed class AlipayHkPayOptions
{
    /// <summary>The configuration section the options bind from: <c>AlipayHkPay</c>.</summary>
    public const string SectionName = "AlipayHkPay";

    /// <summary>The default <see cref="WebhookSignatureHeader"/>: <c>Signature</c>.</summary>
    public const string DefaultWebhookSignatureHeader = "Signature";

    /// <summary>
    /// Required. The gateway's base address, as the gateway assigned it to you (for example
    /// <c>https://api.example-gateway.com/</c>). There is no default: the gateway names no public host.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Required. Your merchant number (<c>uid</c>).</summary>
    public string? Uid { get; set; }

    /// <summary>Required unless you register your own <see cref="IAlipayHkPayTokenSource"/>. The client secret issued with <see cref="Uid"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The key that signs webhook notifications. When not set, <see cref="ClientSecret"/> is used: the gateway
    /// does not say which of the two it signs with, so set this when it gave you a separate notify key.
    /// </summary>
    public string? WebhookKey { get; set; }

    /// <summary>The HTTP header that carries a webhook's signature. Default <c>Signature</c>.</summary>
    public string WebhookSignatureHeader { get; set; } = DefaultWebhookSignatureHeader;

    /// <summary>The largest webhook body accepted, in bytes. Default 64 KiB; callbacks are a few hundred bytes.</summary>
    public int MaxWebhookBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long one HTTP attempt may take. Default 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one exchange with the gateway may take, all retries and waits included (also the limit on fetching an
    /// access token). Default 30 seconds. A create whose answer was lost makes up to three more exchanges to find out
    /// what happened (a lookup, at most one re-send, one more lookup), each with this limit.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a query or token request is retried after a transient failure (connection error,
    /// timeout, HTTP 408, 429, 5xx). Default 2. Creates are never re-sent blindly; see the repository's docs/payments.md.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. Default 500 ms. A <c>Retry-After</c> header wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two retries, a <c>Retry-After</c> included. Default 10 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long before its expiry an access token is replaced. Default 60 seconds.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first wait between two queries in <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/>. Default 1 second.</summary>
    public TimeSpan PollInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two queries in <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/>. Default 5 seconds.</summary>
    public TimeSpan PollMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When set, <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/> counts on the webhook to end the wait (this app's
    /// <c>MapAlipayHkPayWebhook</c>, or another instance's through <c>AlipayHk.Pay.StackExchangeRedis</c>) and queries
    /// the gateway only as a backstop for a webhook that never comes: first when this much time has passed, then every
    /// time it passes again. A wait the webhook ends then costs no gateway query. Not set (the default), a wait queries
    /// at once and then every <see cref="PollInitialDelay"/>, growing to <see cref="PollMaxDelay"/>, and a webhook only
    /// ends it sooner. Set it only when this app receives the merchant's webhooks: it is how long a cashier waits
    /// longer when one is lost. For example 15 seconds.
    /// </summary>
    public TimeSpan? WebhookBackstopDelay { get; set; }

    /// <summary>Which setting supplies the webhook key: <c>WebhookKey</c>, or <c>ClientSecret</c> as the fallback.</summary>
    internal string WebhookKeySource => string.IsNullOrEmpty(WebhookKey) ? nameof(ClientSecret) : nameof(WebhookKey);

    /// <summary>The key webhooks are verified with.</summary>
    internal string? EffectiveWebhookKey => string.IsNullOrEmpty(WebhookKey) ? ClientSecret : WebhookKey;

    /// <summary>Describes the options without any secret.</summary>
    /// <returns>The base address, uid and which secrets are set.</returns>
    public override string ToString() =>
        $"AlipayHkPayOptions {{ BaseAddress = {BaseAddress}, Uid = {Uid}, ClientSecret = {(string.IsNullOrEmpty(ClientSecret) ? "(not set)" : "(set)")}, WebhookKey = {(string.IsNullOrEmpty(WebhookKey) ? "(not set)" : "(set)")} }}";
}
