using System.Diagnostics;
using System.Text;

namespace AlipayHk.Pay.Simulator.Tests.Support;

/// <summary>
/// The tool as its own process (<c>dotnet AlipayHk.Pay.Simulator.dll</c>, what <c>alipayhk-simulator</c> runs), on a free
/// port of 127.0.0.1: the address is read from the banner it prints. Killed when disposed.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _baseAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<(ServerProcess Process, Uri BaseAddress)> StartAsync(params string[] args) => StartAsync(null, args);

    /// <summary>Starts the tool with <paramref name="args"/>, and <paramref name="environment"/> on top of quiet logging.</summary>
    public static async Task<(ServerProcess Process, Uri BaseAddress)> StartAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AlipayHk.Pay.Simulator.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(start)!);
        server._process.OutputDataReceived += (_, e) => server.Read(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Read(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        server._process.EnableRaisingEvents = true;
        server._process.Exited += (_, _) => server._baseAddress.TrySetException(new InvalidOperationException("The simulator exited: " + server.Output));
        try
        {
            Uri address = await server._baseAddress.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            return (server, address);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string Prefix = "  Base address   ";
        if (line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            _baseAddress.TrySetResult(new Uri(line[Prefix.Length..].Trim()));
        }
    }
}
