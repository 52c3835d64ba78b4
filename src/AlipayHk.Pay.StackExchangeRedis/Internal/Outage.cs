using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>What the package uses Redis for; each is logged once when Redis fails it, and once when it is back.</summary>
internal enum RedisUse
{
    WebhookDuplicates = 0,
    CompletionSignals = 1,
    SharedTokens = 2,
}

/// <summary>Logs a Redis outage once per use, not once per call, and its end.</summary>
internal sealed class Outage(ILogger<Outage> logger)
{
    private readonly int[] _down = new int[3];

    internal bool IsDown(RedisUse use) => Volatile.Read(ref _down[(int)use]) == 1;

    internal void Failed(RedisUse use, Exception exception)
    {
        if (Interlocked.Exchange(ref _down[(int)use], 1) == 0)
        {
            Log.RedisDown(logger, Describe(use), exception.GetType().Name, exception);
        }
    }

    internal void Succeeded(RedisUse use)
    {
        if (Volatile.Read(ref _down[(int)use]) == 1 && Interlocked.Exchange(ref _down[(int)use], 0) == 1)
        {
            Log.RedisBack(logger, Describe(use));
        }
    }

    private static string Describe(RedisUse use) => use switch
    {
        RedisUse.WebhookDuplicates => "webhook duplicate claims (webhooks are answered 503 so that the gateway delivers them again)",
        RedisUse.CompletionSignals => "completion signals (waits on other instances learn outcomes by polling)",
        _ => "shared access tokens (each instance fetches its own)",
    };
}
