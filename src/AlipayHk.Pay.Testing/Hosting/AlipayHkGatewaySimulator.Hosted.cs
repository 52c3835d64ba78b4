using AlipayHk.Pay.Testing.Hosting.Internal;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing;

// What a host that serves the simulator itself (the standalone server, AlipayHk.Pay.Simulator) needs: no Kestrel of
// the simulator's own, and a few views the control API shows.
public sealed partial class AlipayHkGatewaySimulator
{
    /// <summary>Goes up on every change: payments, callbacks, journal, faults, tokens.</summary>
    internal ChangeFeed Changes => _state.Changes;

    /// <summary>The faults still due, in order.</summary>
    internal IReadOnlyList<(int Remaining, SimulatedFault Fault, SimulatedEndpoint Endpoint)> PendingFaults => _state.Faults.Snapshot();

    /// <summary>How many journal entries are kept (the oldest go first).</summary>
    internal int JournalCapacity
    {
        get => _state.Journal.Capacity;
        set => _state.Journal.Capacity = value;
    }

    /// <summary>A simulator that serves no address of its own: a host (the standalone server) sends it requests through <see cref="HandleAsync"/>.</summary>
    internal static AlipayHkGatewaySimulator CreateHosted(AlipayHkGatewaySimulatorOptions options) => new(options);

    /// <summary>
    /// For a host: the address clients reach it at (QR codes and the pay page use it), and the page the pay page links
    /// back to. Call it once the host listens, before the first request.
    /// </summary>
    internal void AttachToHost(Uri baseAddress, string? dashboardPath)
    {
        _state.DashboardPath = dashboardPath;
        Listening(baseAddress);
    }

    /// <summary>The gateway's endpoints and the pay page, as a request delegate: journal, faults, bearer check, answer.</summary>
    internal Task HandleAsync(HttpContext context) => _gateway.HandleAsync(context);
}
