using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Auth;

/// <summary>The token response: bare JSON, no envelope. The error fields are read in case a refusal comes as an envelope.</summary>
internal sealed class AccessTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? ExpiresIn { get; set; }

    [JsonPropertyName("code")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public int? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("rid")]
    public string? Rid { get; set; }
}

/// <summary>Source-generated JSON metadata of the token endpoint: no reflection, AOT-safe.</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip, MaxDepth = 32)]
[JsonSerializable(typeof(AccessTokenResponse))]
internal sealed partial class AuthJsonContext : JsonSerializerContext
{
}
