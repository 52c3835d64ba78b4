using System.Text.Json;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Testing.Tests;

/// <summary>
/// The run that found the problem, as a test: many creates against a gateway that faults some of them, in an app with
/// .NET Aspire's ServiceDefaults (<c>AddStandardResilienceHandler</c> on every HttpClient). Before the fix, 5 % faults
/// gave hundreds of creates re-sent blindly and merchant order ids holding two orders.
/// </summary>
public sealed class AppWideDefaultsUnderFaultsTests
{
    private const int Sales = 400;

    [Fact]
    public async Task Under_5_percent_create_faults_with_Aspire_defaults_no_create_is_resent_blindly_and_none_is_lost_or_doubled()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        var services = new ServiceCollection().AddLogging();
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.AddAlipayHkPay(simulator.ConfigureClient);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IAlipayHkPayClient client = provider.GetRequiredService<IAlipayHkPayClient>();
        SimulatedFault[] faults = [SimulatedFault.BadGatewayAfterProcessing, SimulatedFault.ServerError, SimulatedFault.ConnectionReset];

        int failed = 0;
        for (int sale = 0; sale < Sales; sale++)
        {
            if (sale % 20 == 0)
            {
                simulator.FailNext(1, faults[sale / 20 % faults.Length], SimulatedEndpoint.Create);
            }

            try
            {
                await client.CreatePaymentAsync(Sdk.Request($"F5-{sale:D4}"), ct);
            }
            catch (AlipayHkPayException)
            {
                failed++;
            }
        }

        Assert.Equal(0, failed);
        Assert.Equal(Sales, simulator.Payments.Count); // none lost
        Assert.All(simulator.Payments.GroupBy(p => p.MerchantOrderId), order => Assert.Single(order)); // none doubled
        Assert.Equal(0, BlindResends(simulator.Journal)); // every second create of a sale came after a query for it
    }

    /// <summary>Creates sent for a merchant order id that already had one, with no query for it in between.</summary>
    private static int BlindResends(IReadOnlyList<JournalEntry> journal)
    {
        var queriedSinceCreate = new Dictionary<string, bool>(StringComparer.Ordinal);
        int blind = 0;
        foreach (JournalEntry entry in journal.Where(e => e.Endpoint is SimulatedEndpoint.Create or SimulatedEndpoint.Query))
        {
            string? id = JsonDocument.Parse(entry.Body).RootElement.TryGetProperty("merchant_order_id", out JsonElement value) ? value.GetString() : null;
            if (id is null)
            {
                continue;
            }

            if (entry.Endpoint == SimulatedEndpoint.Query)
            {
                queriedSinceCreate[id] = true;
            }
            else
            {
                blind += queriedSinceCreate.TryGetValue(id, out bool queried) && !queried ? 1 : 0;
                queriedSinceCreate[id] = false;
            }
        }

        return blind;
    }
}
