namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>How <c>AddAlipayHkPayRedis</c> reaches Redis and names its keys.</summary>
public sealed class AlipayHkPayRedisOptions
{
    /// <summary>
    /// A StackExchange.Redis connection string, for example <c>redis.internal:6379,password=…,ssl=true</c>. Leave it
    /// <see langword="null"/> when the app registers an <c>IConnectionMultiplexer</c> of its own: that one is used.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// The prefix of every key and channel the package uses. Default <c>alipayhkpay:</c>. Give each app (or each
    /// environment sharing one Redis) its own.
    /// </summary>
    public string KeyPrefix { get; set; } = "alipayhkpay:";

    /// <summary>
    /// The longest any Redis call may take before the package treats Redis as down for that call. Default 500 ms: a
    /// webhook is then answered 503 well within a second (the gateway gives up after about 5 s and delivers it again),
    /// a token is fetched locally and a completion signal is left to polling.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Whether to share the tokens of a merchant whose token source is the app's own (a custom
    /// <c>IAlipayHkPayTokenSource</c>). Default <see langword="false"/>: such a source may already share its tokens, or
    /// hand out tokens that must not be stored. Merchants on the SDK's own token source always share.
    /// </summary>
    public bool ShareCustomTokenSources { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new ArgumentException($"{nameof(AlipayHkPayRedisOptions)}.{nameof(KeyPrefix)} must not be blank.", nameof(KeyPrefix));
        }

        if (OperationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, $"{nameof(AlipayHkPayRedisOptions)}.{nameof(OperationTimeout)} must be positive.");
        }
    }
}
