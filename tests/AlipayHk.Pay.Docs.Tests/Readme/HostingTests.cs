using System.Diagnostics;
using System.Net;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Xunit;

/// <summary>
/// docs/hosting.md's recipe as a merchant runs it: an app with Aspire's app-wide resilience, OpenTelemetry and the
/// health check, against the simulator, when the gateway records a create and its answer is lost.
/// </summary>
public class HostingTests
{
    [Fact]
    public async Task With_Aspire_defaults_a_lost_create_answer_ends_in_one_new_sale_with_a_QR_code_traced_and_healthy()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        var spans = new List<Activity>();
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
            ["AlipayHkPay:Uid"] = gateway.Uid,
            ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
        });
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        WebApplication app = AspireShapedApp.Build(builder);
        await app.StartAsync(ct);

        gateway.FailNext(1, SimulatedFault.BadGatewayAfterProcessing, SimulatedEndpoint.Create);
        PaymentIntent sale = await AspireShapedApp.SellAsync(app.Services.GetRequiredService<IAlipayHkPayClient>(), 38.00m, "Milk tea x2", ct);

        Assert.True(sale.HasQrCode);
        Assert.Equal(2, gateway.Payments.Count); // the lost one and the new sale: nothing was created twice
        Assert.Equal(2, gateway.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Create)); // no blind re-send by Aspire's retry

        using HttpResponseMessage health = await app.GetTestClient().GetAsync("/health/ready", ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Disposing the app flushes and stops its tracer provider: the list is complete, and no longer written to.
        await app.StopAsync(ct);
        await app.DisposeAsync();
        Assert.Contains(spans, s => s.DisplayName == "AlipayHkPay.CreatePayment" && (string?)s.GetTagItem("alipayhk.create.recovery") == "found");
    }
}
