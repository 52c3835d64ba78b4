namespace PosTerminal.Progress;

/// <summary>
/// The terminal's output while it waits: a spinner with the elapsed time, redrawn in place on a terminal, or a plain
/// line every few seconds when the output is redirected (CI logs stay readable). Safe to use from several tasks.
/// </summary>
internal sealed class StatusLine(TextWriter output, bool animate, TimeProvider time)
{
    private static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    private readonly Lock _gate = new();
    private int _drawn; // Characters of the spinner line on screen, to erase before a message.

    /// <summary>How often a redirected output gets a line.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(2);

    /// <summary>Writes a line of its own, above the spinner.</summary>
    public void Say(string message)
    {
        lock (_gate)
        {
            Erase();
            output.WriteLine(message);
        }
    }

    /// <summary>
    /// Shows progress until <paramref name="cancellationToken"/> is cancelled, then erases the spinner. Its timer is
    /// armed before this returns.
    /// </summary>
    public async Task RunAsync(string label, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        using var timer = new PeriodicTimer(animate ? TimeSpan.FromMilliseconds(100) : LogInterval, time);
        int frame = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                double elapsed = time.GetElapsedTime(started).TotalSeconds;
                long seconds = (long)(animate ? Math.Floor(elapsed) : Math.Round(elapsed)); // A tick may land a hair early.
                lock (_gate)
                {
                    if (animate)
                    {
                        string text = $"{Frames[frame++ % Frames.Length]} {label}… {seconds}s";
                        output.Write("\r" + text.PadRight(_drawn));
                        _drawn = text.Length;
                    }
                    else
                    {
                        output.WriteLine($"  {label}… {seconds}s");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Done waiting.
        }
        finally
        {
            lock (_gate)
            {
                Erase();
            }
        }
    }

    private void Erase()
    {
        if (_drawn > 0)
        {
            output.Write("\r" + new string(' ', _drawn) + "\r");
            _drawn = 0;
        }
    }
}
