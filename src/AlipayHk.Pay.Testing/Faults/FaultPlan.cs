namespace AlipayHk.Pay.Testing.Faults;

/// <summary>The faults still to inject, in the order they were asked for.</summary>
internal sealed class FaultPlan
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];

    public void Add(int count, SimulatedFault fault, SimulatedEndpoint endpoint)
    {
        lock (_gate)
        {
            _rules.Add(new Rule { Remaining = count, Fault = fault, Endpoint = endpoint });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The fault for the next request to <paramref name="endpoint"/>, if one is due; uses it up.</summary>
    public SimulatedFault? Take(SimulatedEndpoint endpoint)
    {
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

                return rule.Fault;
            }

            return null;
        }
    }

    private sealed class Rule
    {
        public int Remaining { get; set; }

        public SimulatedFault Fault { get; init; }

        public SimulatedEndpoint Endpoint { get; init; }
    }
}
