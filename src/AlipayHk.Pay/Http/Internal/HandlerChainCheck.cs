using Microsoft.Extensions.Hosting;

namespace AlipayHk.Pay.Http;

/// <summary>
/// At start-up, builds the handler chain of every SDK client once, so that what <see cref="HandlerChain"/> did with the
/// app's handlers (taken off, or kept with a warning) is logged when the app starts rather than at its first payment,
/// and so that a misconfigured chain fails the start.
/// </summary>
internal sealed class HandlerChainCheck(ClientRegistry clients, IHttpMessageHandlerFactory handlers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string client in clients.Names)
        {
            _ = handlers.CreateHandler(client); // pooled by the factory: the first call uses it
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
