using AlipayHk.Pay.Testing.Auth.Internal;
using AlipayHk.Pay.Testing.Faults.Internal;
using AlipayHk.Pay.Testing.Journal.Internal;
using AlipayHk.Pay.Testing.Merchants.Internal;
using AlipayHk.Pay.Testing.Payments.Internal;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.Hosting.Internal;

/// <summary>Everything the endpoints read and change, in one place.</summary>
internal sealed class SimulatorState
{
    public required MerchantDirectory Merchants { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    public required TimeSpan TimeoutFaultDelay { get; init; }

    public required PaymentStore Payments { get; init; }

    public required TokenStore Tokens { get; init; }

    public required FaultPlan Faults { get; init; }

    public required RequestJournal Journal { get; init; }

    /// <summary>The background work: its token is cancelled when the simulator is reset or disposed.</summary>
    public required BackgroundWork Background { get; init; }

    /// <summary>Goes up on every change, for a watcher such as the dashboard's live feed.</summary>
    public required ChangeFeed Changes { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>Where the pay page links back to (the standalone server's dashboard), or <see langword="null"/> for no link.</summary>
    public string? DashboardPath { get; set; }
}
