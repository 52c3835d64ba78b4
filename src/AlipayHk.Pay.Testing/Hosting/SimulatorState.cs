using AlipayHk.Pay.Testing.Faults;
using AlipayHk.Pay.Testing.Journal;
using AlipayHk.Pay.Testing.State;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.Hosting;

/// <summary>Everything the endpoints read and change, in one place.</summary>
internal sealed class SimulatorState
{
    public required string Uid { get; init; }

    public required string ClientSecret { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    public required TimeSpan TimeoutFaultDelay { get; init; }

    public required PaymentStore Payments { get; init; }

    public required TokenStore Tokens { get; init; }

    public required FaultPlan Faults { get; init; }

    public required RequestJournal Journal { get; init; }

    public required CancellationToken Stopping { get; init; }

    public required ILogger Logger { get; init; }
}
