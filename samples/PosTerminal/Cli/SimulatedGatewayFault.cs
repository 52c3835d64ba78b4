namespace PosTerminal.Cli;

/// <summary>A fault the simulator injects with <c>--fault</c>, so that anyone can watch the SDK recover from it.</summary>
internal enum SimulatedGatewayFault
{
    /// <summary><c>create-answer-lost</c>: the simulator records the create, then answers 502, as a proxy that lost the gateway's answer.</summary>
    CreateAnswerLost,

    /// <summary><c>create-timeout</c>: the simulator records the create, then holds its answer back past the SDK's attempt timeout.</summary>
    CreateTimeout,

    /// <summary><c>gateway-flaky</c>: the next 3 queries fail with 503, as from an overloaded load balancer.</summary>
    GatewayFlaky,
}

/// <summary>The <c>--fault</c> names.</summary>
internal static class SimulatedGatewayFaults
{
    public const string Names = "create-answer-lost, create-timeout or gateway-flaky";

    public static SimulatedGatewayFault? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "create-answer-lost" => SimulatedGatewayFault.CreateAnswerLost,
        "create-timeout" => SimulatedGatewayFault.CreateTimeout,
        "gateway-flaky" => SimulatedGatewayFault.GatewayFlaky,
        _ => null,
    };

    public static string Name(this SimulatedGatewayFault fault) => fault switch
    {
        SimulatedGatewayFault.CreateAnswerLost => "create-answer-lost",
        SimulatedGatewayFault.CreateTimeout => "create-timeout",
        _ => "gateway-flaky",
    };
}
