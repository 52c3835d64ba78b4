#if NETFRAMEWORK
using System.Runtime.CompilerServices;

namespace AlipayHk.Pay;

/// <summary>
/// .NET 8's <c>Task.ConfigureAwait(ConfigureAwaitOptions)</c> for .NET Framework, where it must keep the .NET promise
/// that <see cref="ConfigureAwaitOptions.ForceYielding"/> always yields: the access token cache starts a fetch with it
/// inside a lock and records the fetch after, so a fetch that ran to its end before being recorded would be reused
/// forever. (Polyfill's version awaits a <c>Task.Run</c>, which may already have completed, and then does not yield.)
/// Declared in the namespace <c>AlipayHk.Pay</c>, it is found before Polyfill's by every file of the SDK.
/// </summary>
internal static class ConfigureAwaitShims
{
    /// <summary>Awaits <paramref name="task"/> on the thread pool (never on a captured context), yielding first when asked, and without throwing when asked.</summary>
    internal static NoContextAwaitable ConfigureAwait(this Task task, ConfigureAwaitOptions options)
    {
        if ((options & ~(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options, "Only SuppressThrowing and ForceYielding are supported here.");
        }

        return new NoContextAwaitable(task, options);
    }

    /// <summary>What <see cref="ConfigureAwait"/> returns.</summary>
    internal readonly struct NoContextAwaitable(Task task, ConfigureAwaitOptions options)
    {
        public Awaiter GetAwaiter() => new(task, options);

        internal readonly struct Awaiter(Task task, ConfigureAwaitOptions options) : ICriticalNotifyCompletion
        {
            public bool IsCompleted => (options & ConfigureAwaitOptions.ForceYielding) == 0 && task.IsCompleted;

            public void OnCompleted(Action continuation) => Schedule(continuation);

            public void UnsafeOnCompleted(Action continuation) => Schedule(continuation);

            public void GetResult()
            {
                if ((options & ConfigureAwaitOptions.SuppressThrowing) == 0)
                {
                    task.GetAwaiter().GetResult();
                }
            }

            // Not ExecuteSynchronously: even when the task has completed, the continuation is queued to the pool.
            private void Schedule(Action continuation) =>
                task.ContinueWith(static (_, state) => ((Action)state!)(), continuation, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }
}
#endif
