using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlipayHk.Pay.Tests.Health;

/// <summary><c>services.AddHealthChecks().AddAlipayHkPay()</c>: a readiness signal from the token, never a secret.</summary>
public sealed class HealthCheckTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private int TokenRequests => _gateway.Requests(GatewayStub.TokenPath).Count;

    [Fact]
    public async Task Healthy_when_a_token_can_be_had_and_a_cached_token_costs_no_gateway_call()
    {
        await using var sdk = new SdkHarness(_gateway, services: s => s.AddHealthChecks().AddAlipayHkPay(tags: ["ready"]));
        HealthCheckService health = sdk.Services.GetRequiredService<HealthCheckService>();

        HealthReport first = await health.CheckHealthAsync(Ct);
        int afterFirst = TokenRequests;
        HealthReport second = await health.CheckHealthAsync(r => r.Tags.Contains("ready"), Ct);

        HealthReportEntry firstEntry = first.Entries[AlipayHkPayHealthChecksBuilderExtensions.DefaultName];
        Assert.True(first.Status == HealthStatus.Healthy, $"first probe: {firstEntry.Status} {firstEntry.Description}");
        Assert.Equal(HealthStatus.Healthy, second.Entries[AlipayHkPayHealthChecksBuilderExtensions.DefaultName].Status);
        Assert.NotEqual(0, afterFirst); // the first probe fetched a token
        Assert.Equal(afterFirst, TokenRequests); // the second probe used the cached one: no gateway call
    }

    [Fact]
    public async Task Unhealthy_with_the_reason_and_no_secret_when_the_token_endpoint_refuses()
    {
        _gateway.Given(GatewayStub.TokenPath, """{"code":40100,"message":"invalid client_secret","rid":"rid-auth"}""", status: 401);
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 0, s => s.AddHealthChecks().AddAlipayHkPay());

        HealthReport report = await sdk.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        HealthReportEntry entry = report.Entries[AlipayHkPayHealthChecksBuilderExtensions.DefaultName];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("invalid client_secret", entry.Description, StringComparison.Ordinal);
        Assert.Equal("rid-auth", entry.Data["rid"]);
        Assert.Null(entry.Exception);
        string everything = $"{entry.Description} {string.Join(",", entry.Data.Select(kv => $"{kv.Key}={kv.Value}"))}";
        Assert.DoesNotContain(GatewayStub.ClientSecret, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_failure_status_can_be_degraded_instead_of_unhealthy()
    {
        _gateway.Given(GatewayStub.TokenPath, "<html>502</html>", status: 502, contentType: "text/html");
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 0, s => s.AddHealthChecks().AddAlipayHkPay(failureStatus: HealthStatus.Degraded));

        HealthReport report = await sdk.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Degraded, report.Status);
    }

    [Fact]
    public async Task A_named_merchant_has_its_own_check_and_an_unregistered_one_is_reported_as_such()
    {
        await using var sdk = new SdkHarness(_gateway, services: s =>
        {
            s.AddAlipayHkPay("shop-b", o =>
            {
                o.BaseAddress = _gateway.BaseAddress;
                o.Uid = GatewayStub.Uid;
                o.ClientSecret = GatewayStub.ClientSecret;
            });
            s.AddHealthChecks().AddAlipayHkPay("shop-b").AddAlipayHkPay("shop-c");
        });

        HealthReport report = await sdk.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, report.Entries["alipayhk-pay:shop-b"].Status);
        HealthReportEntry missing = report.Entries["alipayhk-pay:shop-c"];
        Assert.Equal(HealthStatus.Unhealthy, missing.Status);
        Assert.Contains("AlipayHkPay merchant 'shop-c' is not registered", missing.Description, StringComparison.Ordinal);
    }
}
