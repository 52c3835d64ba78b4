using AlipayHk.Pay.Testing.Hosting.Internal;

namespace AlipayHk.Pay.Testing.Faults.Internal;

/// <summary>The faults still to inject, in the order they were asked for.</summary>
internal sealed class FaultPlan(ChangeFeed changes)
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];

    public void Add(int count, SimulatedFault fault, SimulatedEndpoint endpoint)
    {
        lock (_gate)
        {
            _rules.Add(new Rule { Remaining = count, Fault = fault, Endpoint = endpoint });
        }

        changes.Notify();
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }

        changes.Notify();
    }

    /// <summary>The faults still due, in order: how many requests, which fault, which endpoint.</summary>
    public IReadOnlyList<(int Remaining, SimulatedFault Fault, SimulatedEndpoint Endpoint)> Snapshot()
    {
        lock (_gate)
        {
            return _rules.Select(rule => (rule.Remaining, rule.Fault, rule.Endpoint)).ToArray();
        }
    }

    /// <summary>The fault for the next request to <paramref name="endpoint"/>, if one is due; uses it up.</summary>
    public SimulatedFault? Take(SimulatedEndpoint endpoint)
    {
        SimulatedFault? taken = null;
        lock (_gate)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                Rule rule = _rules[i];
                if (rule.Endpoint != SimulatedEndpoint.Any && rule.Endpoint != endpoint)
                {
                    continue;
                }

                if (--rule.Remaining == 0)
                {
                    _rules.RemoveAt(i);
                }

                taken = rule.Fault;
                break;
            }
        }

        if (taken is not null)
        {
            changes.Notify();
        }

        return taken;
    }

    private sealed class Rule
    {
        public int Remaining { get; set; }

        public SimulatedFault Fault { get; init; }

        public SimulatedEndpoint Endpoint { get; init; }
    }
}
