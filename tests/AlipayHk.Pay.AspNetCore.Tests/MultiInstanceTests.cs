using AlipayHk.Pay.Tests.Infrastructure;
using System.Net;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.AspNetCore.Tests;

public sealed class MultiInstanceTests : IDisposable
{
    private readonly GatewayStub _gateway = new GatewayStub();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Two_instances_sharing_a_distributed_cache_run_the_handler_once_for_a_redelivery()
    {
        _gateway.AnswerQueriesWith("C1", "M1", "SUCCEEDED");
        var shared = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())); // stands in for Redis
        int calls = 0;
        Task Handler(ConfirmedWebhook webhook, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        }

        void UseSharedCache(IServiceCollection services)
        {
            services.AddSingleton<IDistributedCache>(shared);
            services.AddAlipayHkPayDistributedWebhookDeduplication();
        }

        await using WebhookApp first = await WebhookApp.StartAsync(_gateway, Handler, UseSharedCache);
        await using WebhookApp second = await WebhookApp.StartAsync(_gateway, Handler, UseSharedCache);
        string body = WebhookSigning.PaymentSuccess("C1", "M1");

        using HttpResponseMessage delivered = await first.PostSignedAsync(body);
        using HttpResponseMessage redelivered = await second.PostSignedAsync(body);

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(1, calls);
        Assert.IsType<DistributedCacheWebhookDeduplicationStore>(second.Services.GetRequiredService<IAlipayHkPayWebhookDeduplicationStore>());
    }

    [Fact]
    public async Task Without_a_shared_store_each_instance_only_knows_its_own_deliveries()
    {
        _gateway.AnswerQueriesWith("C2", "M2", "SUCCEEDED");
        int calls = 0;
        Task Handler(ConfirmedWebhook webhook, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        }

        await using WebhookApp first = await WebhookApp.StartAsync(_gateway, Handler);
        await using WebhookApp second = await WebhookApp.StartAsync(_gateway, Handler);
        string body = WebhookSigning.PaymentSuccess("C2", "M2");

        using HttpResponseMessage a = await first.PostSignedAsync(body);
        using HttpResponseMessage b = await second.PostSignedAsync(body);

        Assert.Equal(2, calls); // why apps on several instances need AddAlipayHkPayDistributedWebhookDeduplication
    }

    [Fact]
    public async Task A_store_that_fails_makes_the_endpoint_answer_503_so_the_callback_is_delivered_again()
    {
        _gateway.AnswerQueriesWith("C3", "M3", "SUCCEEDED");
        int calls = 0;
        await using WebhookApp app = await WebhookApp.StartAsync(
            _gateway,
            (_, _) =>
            {
                Interlocked.Increment(ref calls);
                return Task.CompletedTask;
            },
            services => services.AddSingleton<IAlipayHkPayWebhookDeduplicationStore, BrokenStore>());

        using HttpResponseMessage response = await app.PostSignedAsync(WebhookSigning.PaymentSuccess("C3", "M3"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_handler_slower_than_the_gateway_waits_is_logged_as_a_warning()
    {
        _gateway.AnswerQueriesWith("C4", "M4", "SUCCEEDED");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using WebhookApp app = await WebhookApp.StartAsync(
            _gateway,
            (_, _) =>
            {
                time.Advance(TimeSpan.FromSeconds(6)); // the handler "took" 6 s
                return Task.CompletedTask;
            },
            services => services.AddSingleton<TimeProvider>(time));

        using HttpResponseMessage response = await app.PostSignedAsync(WebhookSigning.PaymentSuccess("C4", "M4"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("background", StringComparison.Ordinal));
    }

    private sealed class BrokenStore : IAlipayHkPayWebhookDeduplicationStore
    {
        public ValueTask<WebhookClaim> TryClaimAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("cache unreachable");

        public ValueTask MarkProcessedAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("cache unreachable");

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("cache unreachable");
    }
}
