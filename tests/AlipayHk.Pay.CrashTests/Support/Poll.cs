using System.Diagnostics;

namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>
/// Waits for an observable condition (the gateway's payments, the database's rows: what another process did), checked
/// every <c>interval</c> until it holds or a generous deadline passes. The crash tests never sleep for a fixed time to
/// let something happen; they wait for it to have happened.
/// </summary>
internal static class Poll
{
    /// <summary>Whether <paramref name="condition"/> held within <paramref name="deadline"/>.</summary>
    internal static async Task<bool> UntilAsync(Func<ValueTask<bool>> condition, TimeSpan interval, TimeSpan deadline, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(interval);
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (Stopwatch.GetElapsedTime(started) > deadline)
            {
                return false;
            }

            await timer.WaitForNextTickAsync(ct);
        }
    }

    /// <summary><see cref="UntilAsync(Func{ValueTask{bool}}, TimeSpan, TimeSpan, CancellationToken)"/> for a condition read in memory.</summary>
    internal static Task<bool> UntilAsync(Func<bool> condition, TimeSpan interval, TimeSpan deadline, CancellationToken ct) =>
        UntilAsync(() => ValueTask.FromResult(condition()), interval, deadline, ct);
}
