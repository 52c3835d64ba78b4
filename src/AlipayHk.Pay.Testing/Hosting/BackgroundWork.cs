namespace AlipayHk.Pay.Testing.Hosting;

/// <summary>The simulator's background tasks (callbacks, automatic payments, timeouts): all stopped and awaited on dispose.</summary>
internal sealed class BackgroundWork : IAsyncDisposable
{
    // Never disposed: it has no timer, and work started during a dispose must still be able to read its token.
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private readonly HashSet<Task> _running = [];

    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Runs <paramref name="work"/> on the thread pool until it ends or the simulator stops.</summary>
    public void Run(Func<CancellationToken, Task> work)
    {
        CancellationToken stopping = _stopping.Token;
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
        CancellationToken stopping = _stopping.Token;
        if (!stopping.IsCancellationRequested)
        {
            Task timer = Task.Delay(delay, time, stopping);
            Track(Guard(AfterAsync(timer, action), stopping));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

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
