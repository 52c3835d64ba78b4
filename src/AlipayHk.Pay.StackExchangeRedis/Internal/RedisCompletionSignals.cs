using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>
/// Completion signals for every instance: an announcement wakes this instance's waits at once (in-process) and is
/// published on the <c>{prefix}completions</c> channel for the others, which wake theirs when it arrives. While Redis is
/// down the other instances' waits learn the outcome by polling. Messages carry the payment's ids, amount, status and
/// times, never its QR code URL.
/// </summary>
internal sealed class RedisCompletionSignals : IAlipayHkPayCompletionSignals
{
    private readonly InProcessCompletionSignals _local = new();
    private readonly RedisConnection _redis;
    private readonly Outage _outage;
    private readonly ILogger<RedisCompletionSignals> _logger;
    private readonly RedisChannel _channel;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly object _gate = new();
    private Task? _subscribing;
    private bool _subscribed;

    public RedisCompletionSignals(RedisConnection redis, Outage outage, ILogger<RedisCompletionSignals> logger)
    {
        _redis = redis;
        _outage = outage;
        _logger = logger;
        _channel = RedisChannel.Literal(redis.Options.KeyPrefix + "completions");
    }

    public async ValueTask PublishAsync(string? merchantName, PaymentIntent payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        await _local.PublishAsync(merchantName, payment, cancellationToken).ConfigureAwait(false);
        try
        {
            ISubscriber subscriber = (await _redis.ConnectedAsync(cancellationToken).ConfigureAwait(false)).GetSubscriber();
            await subscriber.PublishAsync(_channel, Encode(merchantName, payment)).WaitAsync(_redis.Options.OperationTimeout, cancellationToken).ConfigureAwait(false);
            _outage.Succeeded(RedisUse.CompletionSignals);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _outage.Failed(RedisUse.CompletionSignals, ex);
        }
    }

    public IDisposable Subscribe(string? merchantName, PaymentReference reference, Action<PaymentIntent> completed)
    {
        _ = EnsureSubscribedAsync();
        return _local.Subscribe(merchantName, reference, completed);
    }

    /// <summary>Subscribes to the channel once the connection is made; again after Redis comes back, if it failed.</summary>
    internal Task EnsureSubscribedAsync()
    {
        lock (_gate)
        {
            if (_subscribed)
            {
                return Task.CompletedTask;
            }

            return _subscribing ??= SubscribeAsync();
        }
    }

    private async Task SubscribeAsync()
    {
        IConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await _redis.Connecting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _outage.Failed(RedisUse.CompletionSignals, ex);
            Reset();
            return;
        }

        try
        {
            // StackExchange.Redis subscribes again by itself after a reconnect.
            await multiplexer.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message)).ConfigureAwait(false);
            lock (_gate)
            {
                _subscribed = true;
                _subscribing = null;
            }

            _outage.Succeeded(RedisUse.CompletionSignals);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _outage.Failed(RedisUse.CompletionSignals, ex);
            multiplexer.ConnectionRestored += OnRestored;
            Reset();
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (sender is IConnectionMultiplexer multiplexer)
        {
            multiplexer.ConnectionRestored -= OnRestored;
        }

        _ = EnsureSubscribedAsync();
    }

    private void Reset()
    {
        lock (_gate)
        {
            _subscribing = null;
        }
    }

    private void OnMessage(RedisValue message)
    {
        try
        {
            (string instance, string? merchant, PaymentIntent payment) = Decode((byte[])message!);
            if (instance != _instance && payment.IsFinal)
            {
                // Completes at once: the in-process signals call their waits' callbacks before they return.
                _local.PublishAsync(merchant, payment, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            Log.SignalIgnored(_logger, ex.Message);
        }
    }

    private byte[] Encode(string? merchantName, PaymentIntent payment)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("instance", _instance);
            writer.WriteString("merchant", merchantName);
            writer.WriteString("order_id", payment.OrderId);
            writer.WriteString("merchant_order_id", payment.MerchantOrderId);
            writer.WriteString("amount", payment.Amount.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("currency", payment.Currency);
            writer.WriteNumber("status", (int)payment.Status);
            writer.WriteString("raw_status", payment.RawStatus);
            writer.WriteString("create_time", payment.CreateTime);
            if (payment.PayTime is { } paid)
            {
                writer.WriteString("pay_time", paid);
            }

            writer.WriteString("rid", payment.RequestId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static (string Instance, string? Merchant, PaymentIntent Payment) Decode(byte[] message)
    {
        using JsonDocument document = JsonDocument.Parse(message);
        JsonElement root = document.RootElement;
        var payment = new PaymentIntent
        {
            OrderId = root.GetProperty("order_id").GetString()!,
            MerchantOrderId = root.GetProperty("merchant_order_id").GetString()!,
            Amount = decimal.Parse(root.GetProperty("amount").GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
            Currency = root.GetProperty("currency").GetString()!,
            Status = (PaymentStatus)root.GetProperty("status").GetInt32(),
            RawStatus = root.GetProperty("raw_status").GetString()!,
            CreateTime = root.GetProperty("create_time").GetDateTimeOffset(),
            PayTime = root.TryGetProperty("pay_time", out JsonElement paid) ? paid.GetDateTimeOffset() : null,
            RequestId = root.GetProperty("rid").GetString(),
        };
        return (root.GetProperty("instance").GetString()!, root.GetProperty("merchant").GetString(), payment);
    }
}
