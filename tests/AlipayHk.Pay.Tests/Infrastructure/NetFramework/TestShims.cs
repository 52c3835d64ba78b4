// The .NET APIs the tests use that .NET Framework lacks (compiled for the net472 build only), beside Polyfill and the
// core's own shims (AlipayHk.Pay.Compatibility, internal, visible here through InternalsVisibleTo).
global using AlipayHk.Pay.Compatibility;

namespace AlipayHk.Pay.Tests
{
    /// <summary>.NET Framework's socket-backed handler is <see cref="HttpClientHandler"/>: the tests' "real sockets" there.</summary>
    internal sealed class SocketsHttpHandler : HttpClientHandler;

    internal static class TestShims
    {
        extension(DateTimeOffset)
        {
            public static DateTimeOffset UnixEpoch => new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
        }

        extension(Array)
        {
            public static void Fill<T>(T[] array, T value)
            {
                for (int i = 0; i < array.Length; i++)
                {
                    array[i] = value;
                }
            }

            public static void Clear(Array array) => Array.Clear(array, 0, array.Length);
        }

        /// <summary>.NET Core 2.0's <c>string.Replace(string, string, StringComparison)</c>.</summary>
        public static string Replace(this string text, string oldValue, string newValue, StringComparison comparison)
        {
            var result = new System.Text.StringBuilder();
            int start = 0;
            for (int at = text.IndexOf(oldValue, comparison); at >= 0; at = text.IndexOf(oldValue, start, comparison))
            {
                result.Append(text, start, at - start).Append(newValue);
                start = at + oldValue.Length;
            }

            return result.Append(text, start, text.Length - start).ToString();
        }

        /// <summary>.NET 5's <c>HttpRequestOptions.Set</c>, over .NET Framework's <c>Properties</c> (the core's <c>Options</c> shim).</summary>
        public static void Set<T>(this IDictionary<string, object> options, System.Net.Http.HttpRequestOptionsKey<T> key, T value) => options[key.Key] = value!;
    }
}

namespace System.Net.Http
{
    /// <summary>.NET 5's key of a request option.</summary>
    internal readonly struct HttpRequestOptionsKey<TValue>(string key)
    {
        public string Key { get; } = key;
    }
}
