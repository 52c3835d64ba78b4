namespace AlipayHk.Pay.Testing.Hosting.Internal;

/// <summary>
/// Lets tests wait for a state change without polling or sleeping: state owners call <see cref="Notify"/> after each
/// change, under the lock they pass in; waiters re-check their condition after each change, until the simulator stops.
/// </summary>
internal sealed class ChangeSignal(object gate)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    /// <summary>Waits until <paramref name="probe"/>, run under the lock, finds what the caller waits for.</summary>
    public async Task<T> WaitAsync<T>(Func<T?> probe, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            Task changed;
            lock (gate)
            {
                if (probe() is { } found)
                {
                    return found;
                }

                ObjectDisposedException.ThrowIf(_stopped, typeof(AlipayHkGatewaySimulator));
                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Wakes every waiter to re-check. Call it under the lock, after the change.</summary>
    public void Notify()
    {
        TaskCompletionSource changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>Wakes every waiter for good: nothing will change any more.</summary>
    public void Stop()
    {
        lock (gate)
        {
            _stopped = true;
            _changed.TrySetResult();
        }
    }
}
