#if !NETFRAMEWORK
global using AlipayHk.Pay.Compatibility;

namespace AlipayHk.Pay.Compatibility;

/// <summary>
/// Microsoft.Bcl.TimeProvider's <c>timeProvider.CreateCancellationTokenSource(delay)</c>, which .NET Framework builds
/// call, on .NET 8 and later as the runtime's own <c>new CancellationTokenSource(delay, timeProvider)</c>: one call on every target.
/// </summary>
internal static class TimeProviderShims
{
    extension(TimeProvider timeProvider)
    {
        /// <summary>A source that is cancelled after <paramref name="delay"/> on this clock.</summary>
        public CancellationTokenSource CreateCancellationTokenSource(TimeSpan delay) => new(delay, timeProvider);
    }
}
#endif
