namespace AlipayHk.Pay.Http;

/// <summary>
/// Whether a gateway request may be sent again after a transient failure. Every method of every Refit interface declares
/// it with a <c>[Property(GatewayRetry.Key)]</c> parameter, which Refit puts in <see cref="HttpRequestMessage.Options"/>;
/// the resilience pipeline and <see cref="AttemptHandler"/> read it from there. A request that declares nothing is
/// never retried: safety does not depend on recognising a URL, so an endpoint added later (a refund) is safe by default.
/// </summary>
internal sealed class GatewayRetry
{
    /// <summary>The Refit property key, and the <see cref="HttpRequestOptions"/> key.</summary>
    internal const string Key = "AlipayHkPay.Retry";

    /// <summary>Idempotent: the token request and queries. Retried up to <see cref="AlipayHkPayOptions.MaxRetryAttempts"/> times.</summary>
    internal static readonly GatewayRetry Retryable = new(true, "retryable");

    /// <summary>Not idempotent: a create. Sent once per call; an interrupted one is recovered by query, never re-sent blindly.</summary>
    internal static readonly GatewayRetry Never = new(false, "never");

    internal static readonly HttpRequestOptionsKey<GatewayRetry> OptionsKey = new(Key);

    private readonly string _name;

    private GatewayRetry(bool mayRetry, string name)
    {
        MayRetry = mayRetry;
        _name = name;
    }

    internal bool MayRetry { get; }

    /// <summary>Whether <paramref name="request"/> declared itself retryable. No declaration means no.</summary>
    internal static bool Allows(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(OptionsKey, out GatewayRetry? declared) && declared.MayRetry;

    public override string ToString() => _name;
}
