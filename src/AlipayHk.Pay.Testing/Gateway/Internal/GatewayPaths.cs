using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.Gateway.Internal;

/// <summary>The gateway's paths the simulator serves (alipayhk-instore-qrcode.txt), and its own pay page.</summary>
internal static class GatewayPaths
{
    public const string Auth = "/mch-api/v1/auth";
    public const string Create = "/mch-api/v1/pa/payment_intents/create";
    public const string Query = "/mch-api/v1/pa/payment_intents/query";

    /// <summary>Not the gateway's: <c>/simulator/pay/{order_id}</c>, where a person plays the shopper.</summary>
    public const string PayPage = "/simulator/pay/";

    /// <summary>Which gateway endpoint a path is; <see cref="SimulatedEndpoint.Any"/> for any other path.</summary>
    public static SimulatedEndpoint Classify(PathString path) => path.Value switch
    {
        Auth => SimulatedEndpoint.Auth,
        Create => SimulatedEndpoint.Create,
        Query => SimulatedEndpoint.Query,
        _ => SimulatedEndpoint.Any,
    };
}
