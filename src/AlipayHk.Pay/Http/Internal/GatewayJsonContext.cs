using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Http;

/// <summary>Source-generated JSON metadata for every wire type: no reflection, AOT-safe.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    AllowTrailingCommas = false,
    MaxDepth = 32)]
[JsonSerializable(typeof(GatewayEnvelope<PaymentIntentData>))]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(CreatePaymentIntentBody))]
[JsonSerializable(typeof(QueryPaymentIntentBody))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext
{
}
