namespace AlipayHk.Pay.Testing;

// Faults on demand: failed requests, and tokens that stop being accepted.
public sealed partial class AlipayHkGatewaySimulator
{
    /// <summary>
    /// Makes the next <paramref name="count"/> requests to <paramref name="endpoint"/> fail with <paramref name="fault"/>.
    /// Calls add up, in order: <c>FailNext(1, ServerError)</c> then <c>FailNext(1, Timeout)</c> fails the next request
    /// with a 503 and the one after with a timeout.
    /// </summary>
    /// <param name="count">How many requests; at least 1.</param>
    /// <param name="fault">How they fail.</param>
    /// <param name="endpoint">Which endpoint; <see cref="SimulatedEndpoint.Any"/> (the default) for any of the three.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or an enum value is undefined.</exception>
    public void FailNext(int count, SimulatedFault fault, SimulatedEndpoint endpoint = SimulatedEndpoint.Any)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Enum.IsDefined(fault))
        {
            throw new ArgumentOutOfRangeException(nameof(fault), fault, "Unknown fault.");
        }

        if (!Enum.IsDefined(endpoint))
        {
            throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Unknown endpoint.");
        }

        _state.Faults.Add(count, fault, endpoint);
    }

    /// <summary>Drops every fault asked for with <see cref="FailNext"/> that has not happened yet.</summary>
    public void ClearFaults() => _state.Faults.Clear();

    /// <summary>Every access token issued so far stops being accepted (HTTP 401), as if it had expired. New tokens can be fetched.</summary>
    public void ExpireTokens() => _state.Tokens.ExpireAll();
}
