using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.AspNetCore.Tests.Merchants;

/// <summary>Several merchant accounts in one app, as keyed services, against one simulated gateway.</summary>
public sealed class KeyedMerchantTests
{
    [Fact]
    public async Task Two_merchants_creating_and_querying_at_once_each_send_only_their_own_token()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddAlipayHkPay(TwoShops.A, TwoShops.Configure(simulator, TwoShops.A));
        services.AddAlipayHkPay(TwoShops.B, TwoShops.Configure(simulator, TwoShops.B));
        var sent = TwoShops.RecordBearerTokens(services, TwoShops.A, TwoShops.B);
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        async Task<(string Merchant, PaymentIntent Created, PaymentIntent Queried)> SellAsync(string merchant, int n)
        {
            var client = provider.GetRequiredKeyedService<IAlipayHkPayClient>(merchant);
            PaymentIntent created = await client.CreatePaymentAsync(TwoShops.Sale($"{merchant}-{n}"), Ct);
            PaymentIntent queried = await client.GetPaymentAsync(PaymentReference.ByOrderId(created.OrderId), Ct);
            return (merchant, created, queried);
        }

        var sales = await Task.WhenAll(Enumerable.Range(0, 16).SelectMany(n => new[] { SellAsync(TwoShops.A, n), SellAsync(TwoShops.B, n) }));

        foreach ((string merchant, PaymentIntent created, PaymentIntent queried) in sales)
        {
            // A token of the other merchant would have created the order under that merchant, and its query would
            // have found no such order.
            Assert.Equal(merchant, simulator.GetPayment(created.OrderId)!.MerchantName);
            Assert.Equal((created.OrderId, PaymentStatus.Pending), (queried.OrderId, queried.Status));
        }

        string uidA = simulator.Merchants.Single(m => m.Name == TwoShops.A).Uid!;
        string uidB = simulator.Merchants.Single(m => m.Name == TwoShops.B).Uid!;
        var tokenRequests = simulator.Journal.Where(e => e.Endpoint == SimulatedEndpoint.Auth).Select(e => UidOf(e.Query)).ToList();
        Assert.Equal(1, tokenRequests.Count(uid => uid == uidA)); // one token each, fetched once despite 32 concurrent calls
        Assert.Equal(1, tokenRequests.Count(uid => uid == uidB));
        Assert.Equal(2, tokenRequests.Count);
        string tokenA = Assert.Single(sent[TwoShops.A].Distinct());
        string tokenB = Assert.Single(sent[TwoShops.B].Distinct());
        Assert.NotEqual(tokenA, tokenB);
        Assert.Equal(32, sent[TwoShops.A].Count);
        Assert.Equal(32, sent[TwoShops.B].Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_default_merchant_and_a_named_one_can_be_registered_in_either_order(bool defaultFirst)
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var services = new ServiceCollection().AddLogging();
        if (defaultFirst)
        {
            services.AddAlipayHkPay(TwoShops.Configure(simulator, null));
            services.AddAlipayHkPay(TwoShops.B, TwoShops.Configure(simulator, TwoShops.B));
        }
        else
        {
            services.AddAlipayHkPay(TwoShops.B, TwoShops.Configure(simulator, TwoShops.B));
            services.AddAlipayHkPay(TwoShops.Configure(simulator, null));
        }

        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        PaymentIntent plain = await provider.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(TwoShops.Sale("PLAIN-1"), Ct);
        PaymentIntent named = await provider.GetRequiredKeyedService<IAlipayHkPayClient>(TwoShops.B).CreatePaymentAsync(TwoShops.Sale("NAMED-1"), Ct);

        Assert.Equal("default", simulator.GetPayment(plain.OrderId)!.MerchantName);
        Assert.Equal(TwoShops.B, simulator.GetPayment(named.OrderId)!.MerchantName);
        Assert.NotSame(provider.GetRequiredService<IAlipayHkPayWebhookVerifier>(), provider.GetRequiredKeyedService<IAlipayHkPayWebhookVerifier>(TwoShops.B));
    }

    [Fact]
    public async Task A_bad_setting_of_a_named_merchant_stops_the_app_at_start_naming_the_merchant_and_the_setting()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddAlipayHkPay(o =>
        {
            o.BaseAddress = new Uri("http://127.0.0.1:1/");
            o.Uid = "10000001";
            o.ClientSecret = "secret";
        });
        builder.Services.AddAlipayHkPay(TwoShops.B, o => o.BaseAddress = new Uri("http://127.0.0.1:1/"));
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("AlipayHkPay merchant 'shop-b': Uid is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("AlipayHkPay merchant 'shop-b': ClientSecret is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AlipayHkPay:Uid", error.Message, StringComparison.Ordinal); // the default merchant is fine
    }

    [Fact]
    public async Task AddAlipayHkPayMerchants_registers_every_merchant_of_the_configuration_each_inheriting_the_shared_settings()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        SimulatedMerchant a = simulator.Merchants.Single(m => m.Name == TwoShops.A);
        SimulatedMerchant b = simulator.Merchants.Single(m => m.Name == TwoShops.B);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AlipayHkPay:BaseAddress"] = simulator.BaseAddress.ToString(),
            ["AlipayHkPay:PollMaxDelay"] = "00:00:00.250",
            ["AlipayHkPay:Merchants:shop-a:Uid"] = a.Uid,
            ["AlipayHkPay:Merchants:shop-a:ClientSecret"] = a.ClientSecret,
            ["AlipayHkPay:Merchants:shop-a:WebhookKey"] = a.WebhookKey,
            ["AlipayHkPay:Merchants:shop-b:Uid"] = b.Uid,
            ["AlipayHkPay:Merchants:shop-b:ClientSecret"] = b.ClientSecret,
            ["AlipayHkPay:Merchants:shop-b:WebhookKey"] = b.WebhookKey,
            ["AlipayHkPay:Merchants:shop-b:PollMaxDelay"] = "00:00:01",
        }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddAlipayHkPayMerchants(configuration);

        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var options = provider.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>();
        Assert.Equal((simulator.BaseAddress, a.Uid, TimeSpan.FromMilliseconds(250)), (options.Get(TwoShops.A).BaseAddress, options.Get(TwoShops.A).Uid, options.Get(TwoShops.A).PollMaxDelay));
        Assert.Equal((simulator.BaseAddress, b.Uid, TimeSpan.FromSeconds(1)), (options.Get(TwoShops.B).BaseAddress, options.Get(TwoShops.B).Uid, options.Get(TwoShops.B).PollMaxDelay));
        Assert.Null(provider.GetService<IAlipayHkPayClient>()); // no AlipayHkPay:Uid, so no default merchant
        foreach (string merchant in new[] { TwoShops.A, TwoShops.B })
        {
            PaymentIntent created = await provider.GetRequiredKeyedService<IAlipayHkPayClient>(merchant).CreatePaymentAsync(TwoShops.Sale("CFG-" + merchant), Ct);
            Assert.Equal(merchant, simulator.GetPayment(created.OrderId)!.MerchantName);
        }
    }

    [Fact]
    public async Task A_keyed_token_source_serves_only_its_merchant_and_needs_no_client_secret()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        SimulatedMerchant b = simulator.Merchants.Single(m => m.Name == TwoShops.B);
        using var vault = new HttpClient { BaseAddress = simulator.BaseAddress }; // stands in for the app's own token service
        var custom = new TwoShops.VaultTokenSource(vault, b.Uid!, b.ClientSecret!);
        var services = new ServiceCollection().AddLogging();
        services.AddAlipayHkPay(TwoShops.A, TwoShops.Configure(simulator, TwoShops.A));
        services.AddKeyedSingleton<IAlipayHkPayTokenSource>(TwoShops.B, custom);
        services.AddAlipayHkPay(TwoShops.B, options =>
        {
            TwoShops.Configure(simulator, TwoShops.B)(options);
            options.ClientSecret = null; // held by the vault, not the app
        });
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        PaymentIntent sold = await provider.GetRequiredKeyedService<IAlipayHkPayClient>(TwoShops.B).CreatePaymentAsync(TwoShops.Sale("VAULT-1"), Ct);
        PaymentIntent other = await provider.GetRequiredKeyedService<IAlipayHkPayClient>(TwoShops.A).CreatePaymentAsync(TwoShops.Sale("OWN-1"), Ct);

        Assert.Equal(TwoShops.B, simulator.GetPayment(sold.OrderId)!.MerchantName);
        Assert.Equal(TwoShops.A, simulator.GetPayment(other.OrderId)!.MerchantName);
        Assert.Equal(1, custom.Calls);
        Assert.Same(custom, provider.GetRequiredKeyedService<IAlipayHkPayTokenSource>(TwoShops.B));
        Assert.NotSame(custom, provider.GetRequiredKeyedService<IAlipayHkPayTokenSource>(TwoShops.A));
    }

    [Fact]
    public async Task A_minimal_api_endpoint_gets_a_merchants_client_with_FromKeyedServices()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAlipayHkPay(TwoShops.A, TwoShops.Configure(simulator, TwoShops.A));
        builder.Services.AddAlipayHkPay(TwoShops.B, TwoShops.Configure(simulator, TwoShops.B));
        (WebApplication app, Uri address) = await TwoShops.StartAppAsync(builder, app =>
            app.MapPost("/shop-b/sales/{id}", async ([FromKeyedServices(TwoShops.B)] IAlipayHkPayClient client, string id, CancellationToken cancellationToken) =>
            {
                PaymentIntent created = await client.CreatePaymentAsync(TwoShops.Sale(id), cancellationToken);
                return Results.Ok(created.OrderId);
            }));
        await using (app)
        {
            using var http = new HttpClient { BaseAddress = address };

            using HttpResponseMessage response = await http.PostAsync("/shop-b/sales/WEB-1", null, Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string orderId = (await response.Content.ReadFromJsonAsync<string>(Ct))!;
            Assert.Equal(TwoShops.B, simulator.GetPayment(orderId)!.MerchantName);
        }
    }

    private static string? UidOf(string query) =>
        query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "uid")?[1];
}
