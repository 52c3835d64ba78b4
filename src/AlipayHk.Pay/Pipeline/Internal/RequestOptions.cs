namespace AlipayHk.Pay.Pipeline;

/// <summary>Reads and writes a request's options (<c>HttpRequestMessage.Options</c>), where the SDK keeps what travels with a request.</summary>
internal static class RequestOptions
{
    internal static bool TryGet(HttpRequestMessage request, string key, out object? value) =>
        ((IDictionary<string, object?>)request.Options).TryGetValue(key, out value);

    internal static void Set(HttpRequestMessage request, string key, object value) =>
        ((IDictionary<string, object?>)request.Options)[key] = value;
}
