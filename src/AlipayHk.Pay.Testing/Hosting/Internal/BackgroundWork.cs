namespace AlipayHk.Pay.Testing.Hosting.Internal;

/// <summary>
/// The simulator's background tasks (callbacks, automatic payments, timeouts): all stopped by <see cref="Reset"/>,
/// and stopped and awaited on dispose.
/// </summary>
internal sealed class BackgroundWork : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<Task> _running = [];

    // Never disposed: they have no timer, and work started during a reset or a dispose must still be able to read its token.
    private CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Cancelled when the simulator is reset or disposed: the work of the current state.</summary>
    public CancellationToken Stopping
    {
        get
        {
            lock (_gate)
            {
                return _stopping.Token;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on the thread pool until it ends, or the simulator is reset or stops.</summary>
    public void Run(Func<CancellationToken, Task> work)
    {
        CancellationToken stopping = Stopping;
        if (!stopping.IsCancellationRequested)
        {
            Track(Task.Run(() => Guard(work(stopping), stopping), CancellationToken.None));
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once <paramref name="delay"/> has passed on <paramref name="time"/>. The timer is armed
    /// before this returns, so a test that advances a fake clock afterwards is sure to fire it.
    /// </summary>
    public void After(TimeSpan delay, TimeProvider time, Action action)
    {
        CancellationToken stopping = Stopping;
        if (!stopping.IsCancellationRequested)
        {
            Task timer = Task.Delay(delay, time, stopping);
            Track(Guard(AfterAsync(timer, action), stopping));
        }
    }

    /// <summary>
    /// Stops every task of the current state (pending retries, timers, held-back answers); new work can start at once.
    /// Does not wait for them: once cancelled, none records anything any more.
    /// </summary>
    public void Reset()
    {
        CancellationTokenSource stopping;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            stopping = _stopping;
            _stopping = new CancellationTokenSource();
        }

        stopping.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        CancellationTokenSource stopping;
        Task[] running;
        lock (_gate)
        {
            _disposed = true;
            stopping = _stopping;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            running = [.. _running];
        }

        await WhenAllEndedAsync(running).ConfigureAwait(false);
    }

    private static async Task WhenAllEndedAsync(Task[] running)
    {
        // Each task has already swallowed its own cancellation; wait for all, whatever their outcome.
        await Task.WhenAll(running.Select(task => task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)))
            .ConfigureAwait(false);
    }

    private static async Task AfterAsync(Task timer, Action action)
    {
        await timer.ConfigureAwait(false);
        action();
    }

    private static async Task Guard(Task work, CancellationToken stopping)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed: the work just stops.
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(
            done =>
            {
                lock (_gate)
                {
                    _running.Remove(done);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
