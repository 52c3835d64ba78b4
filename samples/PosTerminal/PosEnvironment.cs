using Microsoft.Extensions.Configuration;

namespace PosTerminal;

/// <summary>Everything the terminal takes from the outside world: console, configuration and clock. Tests supply their own.</summary>
internal sealed class PosEnvironment
{
    /// <summary>Where the terminal writes: progress, the QR code, the receipt.</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Where problems are reported.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Where answers to prompts are read, when <see cref="InputIsInteractive"/>.</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Whether someone can answer prompts: standard input is a terminal.</summary>
    public bool InputIsInteractive { get; init; }

    /// <summary>Whether the output is a terminal: the progress line is animated in place, instead of a line every few seconds.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>The <c>AlipayHkPay</c> and <c>PosTerminal</c> sections: a real gateway when <c>AlipayHkPay:BaseAddress</c> is set.</summary>
    public IConfiguration Configuration { get; init; } = new ConfigurationBuilder().Build();

    /// <summary>The clock for the simulated shopper, the timeout and the progress line.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The wall clock that the gateway's pay time is compared with, for the receipt's "learned … after the payment".
    /// The real one even in tests: the gateway (and the simulator) stamps pay times with its own wall clock.
    /// </summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the terminal's settings file, <c>appsettings.json</c>, is read from: the folder of the program (where the build
    /// copies it). The sales database is kept there too, as <c>pos-sales.db</c>, unless <c>--sales-db</c> says otherwise.
    /// </summary>
    public string SettingsDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>The real console, with <c>appsettings.json</c> (next to the program) and environment variables as configuration.</summary>
    public static PosEnvironment FromConsole()
    {
        string settings = AppContext.BaseDirectory;
        return new()
        {
            Output = Console.Out,
            Error = Console.Error,
            Input = Console.In,
            InputIsInteractive = !Console.IsInputRedirected,
            OutputIsTerminal = !Console.IsOutputRedirected,
            Configuration = new ConfigurationBuilder()
                .SetBasePath(settings)
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .Build(),
            SettingsDirectory = settings,
        };
    }
}
