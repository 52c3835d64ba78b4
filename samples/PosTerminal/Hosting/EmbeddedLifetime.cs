using Microsoft.Extensions.Hosting;

namespace PosTerminal.Hosting;

/// <summary>
/// The receiver's lifetime: started and stopped by the terminal, never by console signals. (The default console
/// lifetime would stop the receiver on Ctrl+C or SIGTERM behind the terminal's back; the terminal handles those itself.)
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
