using System.Text;

namespace PosTerminal.Tests.Support;

/// <summary>A console stand-in that keeps everything written, and lets a test await a piece of text instead of sleeping.</summary>
internal sealed class WatchingWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(string Fragment, int Times, TaskCompletionSource Seen)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value) => Append(value.ToString());

    public override void Write(string? value) => Append(value);

    public override void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count));

    /// <summary>Completes once <paramref name="fragment"/> has been written (at once if it already was).</summary>
    public Task WaitForAsync(string fragment, CancellationToken cancellationToken) => WaitForAsync(fragment, 1, cancellationToken);

    /// <summary>Completes once <paramref name="fragment"/> has been written <paramref name="times"/> times (at once if it already was).</summary>
    public Task WaitForAsync(string fragment, int times, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Count(_text.ToString(), fragment) >= times)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((fragment, times, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    private void Append(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            _text.Append(value);
            string text = _text.ToString();
            _waiters.RemoveAll(waiter =>
            {
                bool found = Count(text, waiter.Fragment) >= waiter.Times;
                if (found)
                {
                    waiter.Seen.TrySetResult();
                }

                return found;
            });
        }
    }

    private static int Count(string text, string fragment)
    {
        int count = 0;
        for (int at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + fragment.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
