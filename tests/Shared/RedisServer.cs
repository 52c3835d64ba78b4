using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AlipayHk.Pay.Shared;

/// <summary>
/// A real <c>redis-server</c> (from apt, found by <see cref="RealParts.Redis"/>) on a free loopback port, with no
/// persistence (<c>--save "" --appendonly no</c>). Ready once the server itself says so; it can be stopped and started
/// again on the same port, to test what happens while Redis is down. Shared by the Redis tests (as an xunit fixture)
/// and the benchmarks. Without redis-server, a test that uses it is skipped, or fails under <c>CI=true</c>.
/// </summary>
public sealed partial class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);

    private readonly Func<string, string?>? _environment;
    private Process? _process;
    private bool _missing;

    public RedisServer()
        : this(null)
    {
    }

    /// <param name="environment">Reads environment variables (CI, ALIPAYHK_REDIS_SERVER); the process's own when null.</param>
    internal RedisServer(Func<string, string?>? environment) => _environment = environment;

    public int Port { get; } = FreePort();

    /// <summary>A StackExchange.Redis connection string for it; skips the calling test when the fixture found no redis-server.</summary>
    public string Configuration
    {
        get
        {
            if (_missing)
            {
                RealParts.Redis.Require(_environment);
            }

            return $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,connectRetry=1";
        }
    }

    /// <summary>
    /// As a fixture: starts the server, or, when redis-server is missing, remembers it, so that each test that uses
    /// <see cref="Configuration"/> is skipped with the reason (a skip thrown here would fail every test of the class).
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        if (RealParts.Redis.Find(_environment) is null)
        {
            _missing = true;
            return;
        }

        await StartAsync();
    }

    /// <summary>Starts the server and returns once it accepts connections; skips the calling test when redis-server is missing.</summary>
    public async Task StartAsync()
    {
        string executable = RealParts.Redis.Require(_environment);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "notice" })
        {
            info.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited before it was ready:\n{output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await ready.Task.WaitAsync(StartLimit);
    }

    /// <summary>Kills the server (as a crash would) and returns once it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync().WaitAsync(StartLimit);
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
