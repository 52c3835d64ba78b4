using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>The package's log lines, source-generated. None carries a token, a key's value or a connection string.</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Warning, "AlipayHkPay Redis is unavailable for {Use}: {ErrorType}. Logged once until Redis is back")]
    internal static partial void RedisDown(ILogger logger, string use, string errorType, Exception exception);

    [LoggerMessage(301, LogLevel.Information, "AlipayHkPay Redis is back for {Use}")]
    internal static partial void RedisBack(ILogger logger, string use);

    [LoggerMessage(302, LogLevel.Debug, "AlipayHkPay access token for {Merchant} taken from Redis; it expires at {ExpiresAt:O}")]
    internal static partial void SharedTokenUsed(ILogger logger, string merchant, DateTimeOffset expiresAt);

    [LoggerMessage(303, LogLevel.Information, "AlipayHkPay access token for {Merchant} fetched by this instance and shared through Redis; it expires at {ExpiresAt:O}")]
    internal static partial void SharedTokenFetched(ILogger logger, string merchant, DateTimeOffset expiresAt);

    [LoggerMessage(304, LogLevel.Warning, "AlipayHkPay completion signal from Redis ignored: {Reason}")]
    internal static partial void SignalIgnored(ILogger logger, string reason);
}
