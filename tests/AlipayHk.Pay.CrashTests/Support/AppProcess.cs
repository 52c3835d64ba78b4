using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AlipayHk.Pay.CrashTests.App;

namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>
/// One instance of the merchant app (<c>AlipayHk.Pay.CrashTests.App</c>) as a real child process,
/// <c>dotnet AlipayHk.Pay.CrashTests.App.dll</c>, on a fixed port of 127.0.0.1 that it keeps across restarts (the
/// gateway's retries reach the restarted process). It can be killed with SIGKILL (<see cref="Process.Kill()"/> is
/// SIGKILL on Linux) and started again; a test can wait for one of the lines the app writes where it is
/// (<see cref="Markers"/>) to kill it there. An exit the test did not cause is recorded in <see cref="UnexpectedExits"/>.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    private readonly object _gate = new();
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Queue<string> _lines = new();
    private readonly List<(string Marker, TaskCompletionSource<string> Seen)> _watches = [];
    private readonly List<string> _unexpectedExits = [];
    private readonly HashSet<string> _creates = new(StringComparer.Ordinal);
    private Process? _process;
    private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _killing;

    private AppProcess(string name, int port, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Port = port;
        _environment = environment;
    }

    internal string Name { get; }

    internal int Port { get; }

    internal Uri Address => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    internal Uri NotifyUrl => new(Address, "/notify");

    internal int Starts { get; private set; }

    internal int Kills { get; private set; }

    /// <summary>The time from each start to its READY line, added up.</summary>
    internal TimeSpan StartingTime { get; private set; }

    /// <summary>The exits the test did not cause, each with the app's last lines.</summary>
    internal IReadOnlyList<string> UnexpectedExits
    {
        get
        {
            lock (_gate)
            {
                return [.. _unexpectedExits];
            }
        }
    }

    /// <summary>
    /// Whether any process of this instance began the create of <paramref name="merchantOrderId"/> (its CREATE line).
    /// Every line of a killed process has been read once the next one is up.
    /// </summary>
    internal bool BeganCreate(string merchantOrderId)
    {
        lock (_gate)
        {
            return _creates.Contains(merchantOrderId);
        }
    }

    /// <summary>The app's last lines (markers and log lines), for a failure's message.</summary>
    internal string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Completes when the current process has said READY; a new one after each kill.</summary>
    internal Task Up
    {
        get
        {
            lock (_gate)
            {
                return _up.Task;
            }
        }
    }

    /// <summary>An instance named <paramref name="name"/> on a free port, with the environment the app reads, given its address (not started).</summary>
    internal static AppProcess Create(string name, Func<Uri, IReadOnlyDictionary<string, string>> environment)
    {
        int port = FreePort();
        return new AppProcess(name, port, environment(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/")));
    }

    /// <summary>Starts the app and returns once it listens (its READY line).</summary>
    internal async Task StartAsync()
    {
        // setsid: the app runs in a session (and process group) of its own, as a server would, so that nothing sent to
        // the test process's group reaches it and nothing it does reaches the test process (xunit v3 runs the tests in a
        // child process of dotnet test). setsid execs dotnet in place: the process the test kills is the app itself.
        // Its standard input is its own too, never the test process's.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AlipayHk.Pay.CrashTests.App.dll"));
        start.Environment["ASPNETCORE_URLS"] = Address.AbsoluteUri.TrimEnd('/');
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string key, string value) in _environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        TaskCompletionSource up;
        lock (_gate)
        {
            if (_process is not null)
            {
                throw new InvalidOperationException($"Instance {Name} is running already.");
            }

            _process = process;
            _killing = false;
            up = _up.Task.IsCompleted ? _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : _up;
            Starts++;
        }

        process.OutputDataReceived += (_, e) => Line(process, e.Data);
        process.ErrorDataReceived += (_, e) => Line(process, e.Data);
        process.Exited += (_, _) => Exited(process);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        process.Start();
        process.StandardInput.Close(); // it reads nothing: end of input at once
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await up.Task.WaitAsync(StartLimit);
        StartingTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) for the current process to write <paramref name="marker"/>, and returns
    /// the line; <see langword="null"/> when it did not.
    /// </summary>
    internal async Task<string?> WaitForMarkerAsync(string marker, TimeSpan limit)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _watches.Add((marker, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_gate)
            {
                _watches.RemoveAll(w => w.Seen == seen);
            }
        }
    }

    /// <summary>Kills the current process with SIGKILL and returns once it is gone.</summary>
    internal async Task KillAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _killing = true;
            _process = null;
            if (_up.Task.IsCompleted)
            {
                _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (process is null)
        {
            return;
        }

        try
        {
            process.Kill(); // On Linux, Process.Kill() sends SIGKILL: no shutdown, no finally blocks, no flush, no goodbye to the database
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        await process.WaitForExitAsync().WaitAsync(StartLimit);
        Kills++;
        process.Dispose();
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Line(Process process, string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> seen = [];
        lock (_gate)
        {
            if (Environment.GetEnvironmentVariable("ALIPAYHK_CRASH_LOGS") is { Length: > 0 } logs)
            {
                File.AppendAllText(Path.Combine(logs, $"instance-{Name}.log"), $"{DateTime.Now:HH:mm:ss.fff} [{process.Id}] {line}\n");
            }

            _lines.Enqueue(line);
            while (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }

            string? marker = Markers.Of(line);
            if (marker == Markers.Create)
            {
                _creates.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            }

            if (!ReferenceEquals(process, _process))
            {
                return; // the last words of a killed process
            }

            if (marker == Markers.Ready)
            {
                _up.TrySetResult();
            }

            if (marker is not null)
            {
                foreach ((string watched, TaskCompletionSource<string> tcs) in _watches)
                {
                    if (watched == marker)
                    {
                        seen.Add(tcs);
                    }
                }
            }
        }

        foreach (TaskCompletionSource<string> tcs in seen)
        {
            tcs.TrySetResult(line);
        }
    }

    private void Exited(Process process)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(process, _process) || _killing)
            {
                return;
            }

            _process = null;
            _unexpectedExits.Add($"instance {Name} exited by itself with {process.ExitCode}; its last lines:\n{string.Join('\n', _lines.TakeLast(60))}");
            _up.TrySetException(new InvalidOperationException($"Instance {Name} exited by itself:\n{string.Join('\n', _lines.TakeLast(60))}"));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
