using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>
/// The package's Redis connection: the app's <see cref="IConnectionMultiplexer"/> when it registered one, or one made
/// from <see cref="AlipayHkPayRedisOptions.Configuration"/>, connecting in the background (never blocking a caller).
/// Every call fails fast while Redis is not connected, and after <see cref="AlipayHkPayRedisOptions.OperationTimeout"/> otherwise.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Task<IConnectionMultiplexer> _connecting;
    private readonly bool _owned;

    public RedisConnection(IServiceProvider services, IOptions<AlipayHkPayRedisOptions> options)
    {
        Options = options.Value;
        Options.Validate();
        if (services.GetService<IConnectionMultiplexer>() is { } existing)
        {
            _connecting = Task.FromResult(existing);
            return;
        }

        if (string.IsNullOrWhiteSpace(Options.Configuration))
        {
            throw new InvalidOperationException(
                $"AddAlipayHkPayRedis needs Redis: set {nameof(AlipayHkPayRedisOptions)}.{nameof(AlipayHkPayRedisOptions.Configuration)} to a connection string, or register an IConnectionMultiplexer.");
        }

        ConfigurationOptions configuration = ConfigurationOptions.Parse(Options.Configuration);
        configuration.AbortOnConnectFail = false; // Redis down at start-up: keep trying in the background.
        _owned = true;
        _connecting = ConnectAsync(configuration);
    }

    internal AlipayHkPayRedisOptions Options { get; }

    /// <summary>The multiplexer, once made (connected or not); <see langword="null"/> before.</summary>
    internal IConnectionMultiplexer? Multiplexer => _connecting.IsCompletedSuccessfully ? _connecting.Result : null;

    /// <summary>Completes when the multiplexer is made.</summary>
    internal Task<IConnectionMultiplexer> Connecting => _connecting;

    internal RedisKey Key(string name) => Options.KeyPrefix + name;

    /// <summary>Runs one Redis call, or fails at once when Redis is not connected, and after the operation timeout.</summary>
    internal async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        IConnectionMultiplexer multiplexer = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        return await call(multiplexer.GetDatabase()).WaitAsync(Options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The multiplexer when it is connected. While the first connection is being made (an app just started) this
    /// waits for it, up to the operation timeout; once made, a lost connection fails at once with a <see cref="RedisException"/>.
    /// </summary>
    internal async ValueTask<IConnectionMultiplexer> ConnectedAsync(CancellationToken cancellationToken)
    {
        IConnectionMultiplexer multiplexer = _connecting.IsCompleted
            ? await _connecting.ConfigureAwait(false)
            : await _connecting.WaitAsync(Options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        return multiplexer.IsConnected ? multiplexer : throw new RedisNotConnectedException();
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned && Multiplexer is { } multiplexer)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration) =>
        await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
}

/// <summary>Redis is not connected (down, or still connecting): the call was not even tried.</summary>
#pragma warning disable CA1032 // Internal: thrown only by RedisConnection.Connected.
internal sealed class RedisNotConnectedException() : RedisException("Redis is not connected.");
#pragma warning restore CA1032
