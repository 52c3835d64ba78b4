using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace PosTerminal.Tests.Support;

/// <summary>
/// The terminal, run in-process as <c>dotnet run</c> would, with a captured console and a fake clock: the simulated
/// shopper, the timeout and the progress line move only when the test advances <see cref="Clock"/>. Its settings folder,
/// where the sales database is kept by default, is a fresh temporary one (created only if the terminal writes there),
/// deleted when disposed.
/// </summary>
internal sealed class TestTerminal : IDisposable
{
    /// <summary>The most a run may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    /// <summary>Printed once everything that can end the wait is armed: the moment to advance the clock.</summary>
    public const string WaitingLine = "Waiting for the shopper to scan and pay";

    public TestTerminal(IReadOnlyDictionary<string, string?>? configuration = null, string? input = null, string? settingsDirectory = null)
    {
        SettingsDirectory = settingsDirectory ?? Path.Combine(Path.GetTempPath(), "pos-terminal-tests", Guid.NewGuid().ToString("N"));
        Environment = new PosEnvironment
        {
            Output = Output,
            Error = Error,
            Input = input is null ? new RefusingReader() : new StringReader(input),
            InputIsInteractive = input is not null,
            OutputIsTerminal = false,
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build(),
            Time = Clock,
            SettingsDirectory = SettingsDirectory,
        };
    }

    /// <summary>Where the terminal's settings are, as the program's folder is for <c>dotnet run</c>.</summary>
    public string SettingsDirectory { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));

    public WatchingWriter Output { get; } = new();

    public WatchingWriter Error { get; } = new();

    public PosEnvironment Environment { get; }

    public Task<int> StartAsync(params string[] args) =>
        new PosTerminalApp(Environment).RunAsync(args, TestContext.Current.CancellationToken);

    /// <summary>Runs with <paramref name="interrupt"/> as the Ctrl+C token.</summary>
    public Task<int> StartAsync(CancellationToken interrupt, params string[] args) =>
        new PosTerminalApp(Environment).RunAsync(args, interrupt);

    public Task WaitForAsync(string fragment) => Output.WaitForAsync(fragment, TestContext.Current.CancellationToken);

    public static Task<int> FinishAsync(Task<int> run) => run.WaitAsync(Guard, TestContext.Current.CancellationToken);

    /// <summary>Runs a sale in which the simulated shopper pays after the default 3 s, moving the clock once everything is armed.</summary>
    public async Task<int> RunPaidSaleAsync(params string[] args)
    {
        Task<int> run = StartAsync(args);
        await WaitForAsync(WaitingLine);
        Clock.Advance(TimeSpan.FromSeconds(3));
        return await FinishAsync(run);
    }

    public void Dispose()
    {
        if (Directory.Exists(SettingsDirectory))
        {
            Directory.Delete(SettingsDirectory, recursive: true);
        }
    }

    /// <summary>Standard input that fails the test if the terminal tries to prompt.</summary>
    private sealed class RefusingReader : TextReader
    {
        public override string ReadLine() => throw new InvalidOperationException("The terminal prompted although it must not need a keyboard.");

        public override int Read() => throw new InvalidOperationException("The terminal read standard input although it must not need a keyboard.");
    }
}
