using System.Diagnostics;
using System.Text;

namespace PosTerminal.Tests.Support;

/// <summary>
/// The terminal as its own process (<c>dotnet PosTerminal.dll</c>, what <c>dotnet run --project samples/PosTerminal</c>
/// runs), with standard input closed and output redirected, in a scratch working folder, with none of the
/// <c>AlipayHkPay__*</c>, <c>PosTerminal__*</c> or <c>Simulator__*</c> variables of the test's environment. Killed
/// (SIGKILL) when disposed, if still running.
/// </summary>
internal sealed class TerminalProcess : IAsyncDisposable
{
    /// <summary>What a process killed by SIGKILL exits with: 128 + 9.</summary>
    public const int KilledBySigkill = 137;

    private readonly Process _process;

    private TerminalProcess(Process process) => _process = process;

    /// <summary>Standard output, line by line as written; a test awaits a line instead of sleeping.</summary>
    public WatchingWriter Output { get; } = new();

    public WatchingWriter Error { get; } = new();

    /// <summary>Starts the terminal with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static TerminalProcess Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PosTerminal.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in start.Environment.Keys.Where(IsTerminalSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        var terminal = new TerminalProcess(Process.Start(start)!);
        terminal._process.OutputDataReceived += (_, e) => Keep(terminal.Output, e.Data);
        terminal._process.ErrorDataReceived += (_, e) => Keep(terminal.Error, e.Data);
        terminal._process.BeginOutputReadLine();
        terminal._process.BeginErrorReadLine();
        terminal._process.StandardInput.Close(); // No keyboard: nothing is prompted.
        return terminal;
    }

    /// <summary>Runs the terminal to its end: its exit code, and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args)
    {
        await using TerminalProcess terminal = Start(workingDirectory, args);
        int exitCode = await terminal.ExitAsync();
        return (exitCode, terminal.Output.Text, terminal.Error.Text);
    }

    /// <summary>Completes once standard output has <paramref name="fragment"/>; fails if the terminal exits first.</summary>
    public async Task WaitForAsync(string fragment)
    {
        Task seen = Output.WaitForAsync(fragment, TestContext.Current.CancellationToken);
        Task exited = _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        if (await Task.WhenAny(seen, exited) != seen)
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken); // Every line read.
            throw new InvalidOperationException($"The terminal exited ({_process.ExitCode}) before writing '{fragment}':\n{Output.Text}\n{Error.Text}");
        }

        await seen;
    }

    /// <summary>SIGKILL: the terminal stops at once, with no chance to clean up (a crash, a power cut).</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>The exit code, once the process has ended and its output has been read to the end.</summary>
    public async Task<int> ExitAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        return _process.ExitCode;
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

    private static void Keep(WatchingWriter writer, string? line)
    {
        if (line is not null) // null: the end of the stream.
        {
            writer.WriteLine(line);
        }
    }

    private static bool IsTerminalSetting(string name) =>
        name.StartsWith("AlipayHkPay__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("PosTerminal__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Simulator__", StringComparison.OrdinalIgnoreCase);
}
