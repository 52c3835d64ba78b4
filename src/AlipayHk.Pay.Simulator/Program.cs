using System.Text;
using AlipayHk.Pay.Simulator.Cli;
using AlipayHk.Pay.Simulator.Hosting;

namespace AlipayHk.Pay.Simulator;

/// <summary><c>alipayhk-simulator</c>: the gateway simulator of AlipayHk.Pay.Testing as a server. See <see cref="SimulatorArguments.Usage"/>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        (_, bool help, string? usageError) = SimulatorArguments.Parse(args);
        if (help)
        {
            Console.Out.WriteLine(SimulatorArguments.Usage);
            return 0;
        }

        if (usageError is not null)
        {
            Console.Error.WriteLine(usageError);
            return SimulatorServer.UsageExitCode;
        }

        (SimulatorServer? server, string? error, int exitCode) = await SimulatorServer.StartAsync(args, Console.Out, configuration: null, CancellationToken.None);
        if (server is null)
        {
            Console.Error.WriteLine(error);
            return exitCode;
        }

        await using (server)
        {
            await server.WaitForShutdownAsync(CancellationToken.None); // Ctrl+C or SIGTERM.
        }

        return 0;
    }
}
