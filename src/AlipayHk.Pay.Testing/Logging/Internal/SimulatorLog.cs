using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.Logging.Internal;

/// <summary>The simulator's log lines, source-generated. None carries a query string, a secret or a token.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(1, LogLevel.Information, "Gateway simulator listening on {BaseAddress} for uid {Uid}")]
    internal static partial void Started(ILogger logger, Uri baseAddress, string uid);

    [LoggerMessage(2, LogLevel.Information, "Gateway simulator: {Method} {Path} -> {Status}{FaultNote}")]
    internal static partial void Served(ILogger logger, string method, string path, string status, string faultNote);

    [LoggerMessage(3, LogLevel.Information, "Gateway simulator: order {OrderId} (merchant order {MerchantOrderId}) is now {Status}")]
    internal static partial void PaymentChanged(ILogger logger, string orderId, string merchantOrderId, string status);

    [LoggerMessage(4, LogLevel.Information, "Gateway simulator: callback #{Attempt} for order {OrderId} to {Url}: {Outcome}")]
    internal static partial void CallbackSent(ILogger logger, int attempt, string orderId, Uri url, string outcome);
}
