namespace AlipayHk.Pay.Pipeline;

/// <summary>
/// Whether a request may be sent again after a transient failure, declared by its operation
/// (<see cref="GatewayOperation{TApi, TRequest, TData, TResult}.Retry"/>) and carried with the request itself: every Refit
/// method of the SDK takes it as a <c>[Property(GatewayRetry.Key)]</c> parameter, so it lands in the request's options,
/// where the resilience pipeline reads it. A request that carries no declaration is never retried: safety never depends
/// on recognising a URL, and an operation added later is safe by default.
/// </summary>
internal sealed class GatewayRetry
{
    /// <summary>The request option that carries the declaration.</summary>
    internal const string Key = "AlipayHkPay.Retry";

    /// <summary>Never sent twice: a create (an interrupted one is recovered by query instead).</summary>
    internal static readonly GatewayRetry Never = new(false);

    /// <summary>Sent again after a transient failure: the token request and queries, which change nothing.</summary>
    internal static readonly GatewayRetry OnTransientFailure = new(true);

    private GatewayRetry(bool mayRetry) => MayRetry = mayRetry;

    internal bool MayRetry { get; }

    /// <summary>Whether <paramref name="request"/> declared itself retryable. No declaration means no.</summary>
    internal static bool Allows(HttpRequestMessage? request) => RequestOptions.Get<GatewayRetry>(request, Key) is { MayRetry: true };

    /// <inheritdoc />
    public override string ToString() => MayRetry ? "retry on transient failure" : "never retry";
}
