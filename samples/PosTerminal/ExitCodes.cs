namespace PosTerminal;

/// <summary>What the process returns, so that a script or CI job can tell the outcomes apart.</summary>
internal static class ExitCodes
{
    /// <summary>Paid: the receipt was printed.</summary>
    public const int Paid = 0;

    /// <summary>The gateway failed or refused (the message carries its <c>rid</c>), or the terminal could not start.</summary>
    public const int GatewayError = 1;

    /// <summary>The payment was cancelled: the order was closed without payment.</summary>
    public const int Cancelled = 2;

    /// <summary>No payment before <c>--timeout</c>.</summary>
    public const int TimedOut = 3;

    /// <summary>Bad options or configuration (BSD <c>EX_USAGE</c>).</summary>
    public const int Usage = 64;

    /// <summary>Stopped with Ctrl+C or SIGTERM.</summary>
    public const int Interrupted = 130;
}
