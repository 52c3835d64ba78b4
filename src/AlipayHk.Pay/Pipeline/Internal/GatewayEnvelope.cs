using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Pipeline;

/// <summary>Every gateway answer but the token one: <c>{"code":0,"data":{...},"message":"ok","rid":"..."}</c>.</summary>
/// <typeparam name="T">The operation's <c>data</c>.</typeparam>
internal sealed class GatewayEnvelope<T>
    where T : class
{
    [JsonPropertyName("code")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public int Code { get; set; }

    [JsonPropertyName("data")]
    public T? Data { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("rid")]
    public string? Rid { get; set; }
}
