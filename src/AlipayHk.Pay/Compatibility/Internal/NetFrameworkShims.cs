#if NETFRAMEWORK
global using AlipayHk.Pay.Compatibility;
using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Refit;

namespace AlipayHk.Pay.Compatibility;

/// <summary>
/// The few .NET APIs the SDK uses that .NET Framework lacks and Polyfill does not supply, as C# 14 extension members
/// with the .NET names, so that the shared code compiles unchanged for net462. Each does what the .NET API does.
/// (Polyfill supplies the rest: <c>ArgumentNullException.ThrowIfNull</c>, <c>SHA256.HashData</c>,
/// <c>Convert.ToHexString</c>, ...; <see cref="System.Security.Cryptography.CryptographicOperations"/> and
/// <see cref="Utf8"/> are the SDK's own, beside this file.)
/// </summary>
internal static class NetFrameworkShims
{
    extension(TimeSpan)
    {
        /// <summary>.NET Core 2.0's <c>TimeSpan * double</c>: rounded to the nearest tick; NaN or overflow throws.</summary>
        public static TimeSpan operator *(TimeSpan timeSpan, double factor) => Multiply(timeSpan, factor);

        /// <summary>.NET Core 2.0's <c>double * TimeSpan</c>.</summary>
        public static TimeSpan operator *(double factor, TimeSpan timeSpan) => Multiply(timeSpan, factor);

        /// <summary>.NET Core 2.0's <c>TimeSpan / double</c>: rounded to the nearest tick; NaN or overflow throws.</summary>
        public static TimeSpan operator /(TimeSpan timeSpan, double divisor)
        {
            if (double.IsNaN(divisor))
            {
                throw new ArgumentException("The divisor is not a number.", nameof(divisor));
            }

            return FromTicks(Math.Round(timeSpan.Ticks / divisor));
        }
    }

    extension(Task task)
    {
        /// <summary>.NET Core 2.0's <c>Task.IsCompletedSuccessfully</c> (used by AlipayHk.Pay.StackExchangeRedis, which compiles this file too).</summary>
        public bool IsCompletedSuccessfully => task.Status == TaskStatus.RanToCompletion;
    }

    extension(Task)
    {
        /// <summary>.NET 8's <c>Task.Delay(TimeSpan, TimeProvider, CancellationToken)</c>, on Microsoft.Bcl.TimeProvider.</summary>
        public static Task Delay(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken) =>
            timeProvider.Delay(delay, cancellationToken);
    }

    extension(string)
    {
        /// <summary>.NET Core 3.0's <c>string.Concat(ReadOnlySpan&lt;char&gt;, ReadOnlySpan&lt;char&gt;)</c>.</summary>
        public static string Concat(ReadOnlySpan<char> first, ReadOnlySpan<char> second) => first.ToString() + second.ToString();
    }

    extension(HttpRequestMessage request)
    {
        /// <summary>.NET 5's <c>HttpRequestMessage.Options</c>: on .NET Framework the same dictionary is <c>Properties</c>, where Refit puts a <c>[Property]</c> too.</summary>
        public IDictionary<string, object> Options => request.Properties;
    }

    extension(RestService)
    {
        /// <summary>
        /// Refit's <c>ForGenerated&lt;T&gt;(HttpClient, JsonSerializerContext, RefitSettings)</c>, which its net462 build
        /// lacks: the generated client with <paramref name="settings"/>, whose JSON is the source-generated
        /// <paramref name="context"/>'s (the SDK's wire types name every property; nothing falls back to reflection).
        /// </summary>
        public static T ForGenerated<T>(HttpClient client, JsonSerializerContext context, RefitSettings settings) =>
            RestService.ForGenerated<T>(client, new RefitSettings(new SystemTextJsonContentSerializer(context.Options))
            {
                RequestBodySerialization = settings.RequestBodySerialization,
            });
    }

    /// <summary>.NET 5's <c>ConcurrentDictionary.TryRemove(KeyValuePair)</c>: removes the key only while it still has that value, atomically.</summary>
    internal static bool TryRemove<TKey, TValue>(this ConcurrentDictionary<TKey, TValue> dictionary, KeyValuePair<TKey, TValue> item)
        where TKey : notnull =>
        ((ICollection<KeyValuePair<TKey, TValue>>)dictionary).Remove(item);

    private static TimeSpan Multiply(TimeSpan timeSpan, double factor)
    {
        if (double.IsNaN(factor))
        {
            throw new ArgumentException("The factor is not a number.", nameof(factor));
        }

        return FromTicks(Math.Round(timeSpan.Ticks * factor));
    }

    private static TimeSpan FromTicks(double ticks) =>
        ticks > long.MaxValue || ticks < long.MinValue || double.IsNaN(ticks)
            ? throw new OverflowException("TimeSpan overflowed because the duration is too long.")
            : TimeSpan.FromTicks((long)ticks);
}
#endif
