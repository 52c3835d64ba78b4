namespace AlipayHk.Pay.Testing.Hosting;

/// <summary>The simulator's background tasks (callbacks, automatic payments, timeouts): all stopped and awaited on dispose.</summary>
internal sealed class BackgroundWork : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private readonly HashSet<Task> _running = [];

    public CancellationToken Stopping => _stopping.Token;

    public void Run(Func<CancellationToken, Task> work)
    {
        CancellationToken stopping = _stopping.Token;
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        Task task = Task.Run(async () =>
        {
            try
            {
                await work(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Disposed: the work just stops.
            }
        });
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }

        _stopping.Dispose();
    }
}
