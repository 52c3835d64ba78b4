using Microsoft.Extensions.Hosting;

namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>
/// At start-up: makes the connection (a missing connection string fails the start, naming the setting) and subscribes
/// to the completion channel, without waiting for Redis itself: an app starts while Redis is down.
/// </summary>
internal sealed class RedisStartup(RedisConnection redis, RedisCompletionSignals signals) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = redis.Connecting;
        _ = signals.EnsureSubscribedAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
