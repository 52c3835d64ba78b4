namespace AlipayHk.Pay.Pipeline;

/// <summary>Reads and writes a request's options (<c>HttpRequestMessage.Options</c>), where the SDK keeps what travels with a request.</summary>
internal static class RequestOptions
{
    /// <summary>The option <paramref name="key"/> when <paramref name="request"/> has it and it is a <typeparamref name="T"/>; otherwise <see langword="null"/>.</summary>
    internal static T? Get<T>(HttpRequestMessage? request, string key)
        where T : class =>
        request is not null && ((IDictionary<string, object?>)request.Options).TryGetValue(key, out object? value) ? value as T : null;

    /// <summary>Sets the option <paramref name="key"/> of <paramref name="request"/>, and returns <paramref name="value"/>.</summary>
    internal static T Set<T>(HttpRequestMessage request, string key, T value)
        where T : class
    {
        ((IDictionary<string, object?>)request.Options)[key] = value;
        return value;
    }
}
