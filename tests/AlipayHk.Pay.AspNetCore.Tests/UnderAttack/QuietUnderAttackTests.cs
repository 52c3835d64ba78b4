using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AlipayHk.Pay.AspNetCore.Tests.UnderAttack;

/// <summary>
/// Hostile traffic costs little and cannot flood the logs (issue 18): forged callbacks are summarised, bodies that never
/// arrive whole are rejected deliveries (not application errors), and an oversized chunked body is not read on.
/// </summary>
public sealed class QuietUnderAttackTests : IAsyncDisposable
{
    private readonly GatewayStub _gateway = new();
    private WebhookApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _gateway.Dispose();
    }

    [Fact]
    public async Task Twenty_thousand_forged_callbacks_write_a_bounded_log_and_are_each_counted()
    {
        _app = await WebhookApp.StartAsync(_gateway, (_, _) => throw new InvalidOperationException("never called"));
        using var deliveries = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), AlipayHkPayTelemetry.MeterName, "alipayhk.webhook.deliveries");
        const int Forged = 20_000;
        byte[] body = Encoding.UTF8.GetBytes("""{"notify_type":"payment_success","data":{"order_id":"C991289984923795789123"}}""");
        int next = -1;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < Forged)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, WebhookApp.Path) { Content = new ByteArrayContent(body) };
                request.Headers.TryAddWithoutValidation("Signature", new string('a', 64));
                using HttpResponseMessage response = await _app.Client.SendAsync(request, Ct);
                Assert.Equal(401, (int)response.StatusCode);
            }
        }));

        // Every line at any level, Debug included: the SDK's (the host's own request lines are the app's choice).
        IReadOnlyList<FakeLogRecord> lines = [.. _app.Logs.GetSnapshot().Where(r => r.Category?.StartsWith("AlipayHk", StringComparison.Ordinal) == true)];
        int bytes = lines.Sum(r => r.Message.Length);
        Assert.True(lines.Count <= 3, $"{lines.Count} lines, {bytes} characters for {Forged} forged callbacks");
        Assert.True(bytes < 4 * 1024, $"{lines.Count} lines, {bytes} characters for {Forged} forged callbacks");
        Assert.DoesNotContain(_app.Logs.GetSnapshot(), r => r.Level >= LogLevel.Warning && r.Category?.StartsWith("AlipayHk", StringComparison.Ordinal) != true);
        Assert.Equal(Forged, deliveries.GetMeasurementSnapshot().Where(m => (string?)m.Tags["alipayhk.webhook.reason"] == "signature_mismatch").Sum(m => m.Value));
        Assert.Empty(_gateway.Requests(GatewayStub.QueryPath)); // and no gateway query
    }

    [Fact]
    public async Task A_body_sent_too_slowly_is_a_rejected_delivery_not_an_application_error()
    {
        _app = await WebhookApp.StartAsync(
            _gateway,
            (_, _) => throw new InvalidOperationException("never called"),
            services => services.Configure<KestrelServerOptions>(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(2))));
        using var deliveries = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), AlipayHkPayTelemetry.MeterName, "alipayhk.webhook.deliveries");

        // Headers promise 500 bytes; 20 arrive, then nothing. Kestrel gives up after its grace period and answers 408.
        using var client = await ConnectAsync();
        await SendAsync(client, $"POST {WebhookApp.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\nSignature: {new string('a', 64)}\r\n\r\n{{\"notify_type\":\"paym");
        string answer = await ReadToEndAsync(client);

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        await deliveries.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10));
        Assert.Equal("incomplete_body", deliveries.GetMeasurementSnapshot().Single().Tags["alipayhk.webhook.reason"]);
        IReadOnlyList<FakeLogRecord> lines = _app.Logs.GetSnapshot();
        Assert.DoesNotContain(lines, r => r.Level >= LogLevel.Error);
        Assert.Contains(lines, r => r.Level == LogLevel.Debug && r.Message.Contains("did not arrive whole", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_cut_off_mid_stream_is_a_rejected_delivery_not_an_application_error()
    {
        _app = await WebhookApp.StartAsync(_gateway, (_, _) => throw new InvalidOperationException("never called"));
        using var deliveries = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), AlipayHkPayTelemetry.MeterName, "alipayhk.webhook.deliveries");

        using (var client = await ConnectAsync())
        {
            await SendAsync(client, $"POST {WebhookApp.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\nSignature: {new string('a', 64)}\r\n\r\n{{\"notify_type\":\"paym");
            client.Client.Shutdown(SocketShutdown.Send); // the caller hangs up mid-body
        }

        await deliveries.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10));
        Assert.Equal("incomplete_body", deliveries.GetMeasurementSnapshot().Single().Tags["alipayhk.webhook.reason"]);
        Assert.DoesNotContain(_app.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task After_a_413_on_a_chunked_body_the_rest_of_it_is_not_read()
    {
        _app = await WebhookApp.StartAsync(_gateway, (_, _) => throw new InvalidOperationException("never called"));
        const long Offered = 40L * 1024 * 1024;
        byte[] chunk = Encoding.ASCII.GetBytes("10000\r\n" + new string('x', 0x10000) + "\r\n");

        using var client = await ConnectAsync();
        await SendAsync(client, $"POST {WebhookApp.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nSignature: {new string('a', 64)}\r\n\r\n");
        Task<string> answer = ReadToEndAsync(client);
        NetworkStream stream = client.GetStream();
        long sent = 0;
        try
        {
            while (sent < Offered && !answer.IsCompleted)
            {
                await stream.WriteAsync(chunk, Ct);
                sent += 0x10000;
            }
        }
        catch (IOException)
        {
            // The server closed the connection after its answer: the rest is never read.
        }

        Assert.StartsWith("HTTP/1.1 413", await answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", await answer, StringComparison.OrdinalIgnoreCase);
        Assert.True(sent < 8L * 1024 * 1024, $"{sent / 1024} KiB went out before the server stopped reading (the limit is 64 KiB)");
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_app!.Client.BaseAddress!.Host, _app.Client.BaseAddress.Port, Ct);
        return client;
    }

    private static Task SendAsync(TcpClient client, string text) => client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text), Ct).AsTask();

    /// <summary>Reads what the server answers until it closes the connection (bounded: 15 s).</summary>
    private static async Task<string> ReadToEndAsync(TcpClient client)
    {
        NetworkStream stream = client.GetStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        var answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // Reset after the answer.
        }

        return answer.ToString();
    }
}
