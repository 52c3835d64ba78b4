using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace AlipayHk.Pay.Shared;

/// <summary>
/// A real PostgreSQL server (Debian's postgresql package, found by <see cref="RealParts.PostgreSql"/>) in a temporary
/// data directory, on a free port of 127.0.0.1 only, with trust authentication for 127.0.0.1 and no Unix socket. The
/// first start runs <c>initdb</c>; it can be stopped cleanly (<see cref="StopAsync"/>) or killed as a crash would
/// (<see cref="KillAsync"/>, SIGKILL to the server and its backends) and started again on the same data and port.
/// PostgreSQL refuses to run as root: when the tests run as root, the server and initdb run as the <c>postgres</c> OS
/// user (created by the Debian package), who owns the temporary directory. It runs with <c>fsync=off</c> and initdb
/// with <c>--no-sync</c>, for speed: a killed server still finds every commit on restart (the kernel keeps what was
/// written; only a crash of the machine itself would lose it). Disposing it kills the server and deletes the directory.
/// Without PostgreSQL, a test that uses it is skipped with the reason, or fails under <c>CI=true</c>.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string ReadyLine = "database system is ready to accept connections";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Func<string, string?> _environment;
    private readonly string? _runAs = Environment.UserName == "root" ? "postgres" : null;
    private string? _bin;
    private string? _directory;
    private Process? _process;
    private bool _missing;

    public PostgresServer()
        : this(null)
    {
    }

    /// <param name="environment">Reads environment variables (CI, ALIPAYHK_POSTGRES_BIN); the process's own when null.</param>
    internal PostgresServer(Func<string, string?>? environment) => _environment = environment ?? Environment.GetEnvironmentVariable;

    public int Port { get; } = FreePort();

    /// <summary>The temporary data directory, once the server has been started.</summary>
    public string? DataDirectory => _directory is null ? null : Path.Combine(_directory, "data");

    /// <summary>An Npgsql connection string for a database of this server; skips the calling test when the fixture found no PostgreSQL.</summary>
    public string ConnectionString(string database)
    {
        ThrowIfMissing();
        return $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database}";
    }

    /// <summary>
    /// As a fixture: starts the server, or, when PostgreSQL is missing, remembers it, so that each test that uses it is
    /// skipped with the reason (a skip thrown here would fail every test of the class).
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        if (RealParts.PostgreSql.Find(_environment) is null)
        {
            _missing = true;
            return;
        }

        await StartAsync();
    }

    /// <summary>
    /// Starts the server (the first time, creating the data directory with initdb) and returns once it accepts
    /// connections; skips the calling test when PostgreSQL is missing.
    /// </summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The PostgreSQL server is already running.");
        }

        _bin = RealParts.PostgreSql.Require(_environment);
        if (_directory is null)
        {
            await InitDbAsync(_bin);
        }

        var info = StartInfo(Path.Combine(_bin, "postgres"), asServer: true);
        foreach (string argument in new[]
        {
            "-D", DataDirectory!, "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "lc_messages=C",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            if (line.Contains(ReadyLine, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data); // the server logs to stderr
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"postgres exited before it was ready:\n{output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await ready.Task.WaitAsync(StartLimit);
    }

    /// <summary>Creates a database (a name of letters, digits and underscores).</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain database name (letters, digits, underscores).", nameof(name));
        }

        await QueryAsync("postgres", $"CREATE DATABASE \"{name}\"");
    }

    /// <summary>Runs SQL with psql (over TCP, as the postgres role) and returns what it printed: unaligned, without headers.</summary>
    public async Task<string> QueryAsync(string database, string sql)
    {
        ThrowIfMissing();
        string bin = _bin ?? RealParts.PostgreSql.Require(_environment);
        var info = StartInfo(Path.Combine(bin, "psql"), asServer: false);
        foreach (string argument in new[]
        {
            "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database,
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql,
        })
        {
            info.ArgumentList.Add(argument);
        }

        return (await RunAsync(info)).TrimEnd('\n');
    }

    /// <summary>Stops the server cleanly (<c>pg_ctl stop -m fast</c>) and returns once it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process || _bin is null)
        {
            return;
        }

        var info = StartInfo(Path.Combine(_bin, "pg_ctl"), asServer: true);
        foreach (string argument in new[] { "stop", "-D", DataDirectory!, "-m", "fast", "-w", "-t", "60" })
        {
            info.ArgumentList.Add(argument);
        }

        await RunAsync(info);
        await process.WaitForExitAsync().WaitAsync(StartLimit);
        _process = null;
        process.Dispose();
    }

    /// <summary>Kills the server and all its backends with SIGKILL, as a crash would, and returns once it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(StartLimit);
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_directory is { } directory && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private void ThrowIfMissing()
    {
        if (_missing)
        {
            RealParts.PostgreSql.Require(_environment);
        }
    }

    private async Task InitDbAsync(string bin)
    {
        string directory = Directory.CreateTempSubdirectory("alipayhk-postgres-").FullName;
        _directory = directory;
        if (_runAs is not null)
        {
            await RunAsync(new ProcessStartInfo("chown", ["-R", $"{_runAs}:{_runAs}", directory]) { RedirectStandardOutput = true, RedirectStandardError = true });
        }

        var info = StartInfo(Path.Combine(bin, "initdb"), asServer: true);
        foreach (string argument in new[] { "-D", DataDirectory!, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions" })
        {
            info.ArgumentList.Add(argument);
        }

        await RunAsync(info);

        // Trust, for TCP connections from 127.0.0.1 only (the server listens on nothing else and has no Unix socket).
        await File.WriteAllTextAsync(Path.Combine(DataDirectory!, "pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
    }

    /// <summary>initdb, postgres and pg_ctl run as the postgres OS user when this process is root (they refuse root).</summary>
    private ProcessStartInfo StartInfo(string program, bool asServer)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory ?? Path.GetTempPath(),
        };
        if (asServer && _runAs is not null)
        {
            info.UserName = _runAs;
        }

        info.Environment["LC_ALL"] = "C";
        return info;
    }

    private static async Task<string> RunAsync(ProcessStartInfo info)
    {
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception e) when (info.UserName is { Length: > 0 } user)
        {
            throw new InvalidOperationException($"could not start {info.FileName} as the OS user '{user}' (PostgreSQL refuses to run as root; Debian's postgresql package creates that user)", e);
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartLimit);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(info.FileName)} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}:\n{await stderr}{await stdout}");
        }

        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex DatabaseName();
}
