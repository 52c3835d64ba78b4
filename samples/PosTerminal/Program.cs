using System.Runtime.InteropServices;
using System.Text;
using PosTerminal;

// Everything happens in PosTerminalApp, so that the tests can run the same flow in-process.
Console.OutputEncoding = Encoding.UTF8;
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // Let the flow stop the receiver and the simulator, and say so.
    interrupted.Cancel();
};
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupted.Cancel();
});

return await new PosTerminalApp(PosEnvironment.FromConsole()).RunAsync(args, interrupted.Token);
