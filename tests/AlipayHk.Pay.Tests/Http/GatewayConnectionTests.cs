using System.Net;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Tests.Http;

/// <summary>
/// How the SDK's clients talk to the gateway, on .NET Framework above all (docs/netframework.md, "Connections"). Alone:
/// some tests change the process-wide <see cref="ServicePointManager.DefaultConnectionLimit"/> for a moment.
/// </summary>
[Collection(nameof(GatewayConnectionTests))]
public sealed class GatewayConnectionTests
{
    private static ServiceProvider Sdk(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        configure?.Invoke(services);
        return services.AddAlipayHkPay(o =>
        {
            o.BaseAddress = new Uri("https://gateway.example/");
            o.Uid = GatewayStub.Uid;
            o.ClientSecret = GatewayStub.ClientSecret;
        }).BuildServiceProvider();
    }

    [Fact]
    public void The_gateway_clients_never_ask_for_100_continue()
    {
        // .NET Framework sends "Expect: 100-continue" on every POST unless told not to, and holds the body back for it.
        using ServiceProvider provider = Sdk();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        Assert.False(factory.CreateClient(AlipayHkPayClientNames.Payments).DefaultRequestHeaders.ExpectContinue);
        Assert.False(factory.CreateClient(AlipayHkPayClientNames.Auth).DefaultRequestHeaders.ExpectContinue);
    }

    [Fact]
    public async Task An_answer_without_a_body_from_the_apps_own_handler_is_a_typed_gateway_error()
    {
        // .NET Framework leaves Content null on an HttpResponseMessage made without one; .NET never does.
        using ServiceProvider provider = Sdk(services => services.ConfigureHttpClientDefaults(
            http => http.ConfigurePrimaryHttpMessageHandler(() => new NoBodyHandler())));
        IAlipayHkPayClient client = provider.GetRequiredService<IAlipayHkPayClient>();

        var ex = await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(
            () => client.GetPaymentAsync(PaymentReference.ByOrderId("C991289984923795789123"), Ct));
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode); // not "got no response" from a null reference
    }

    private sealed class NoBodyHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest) { RequestMessage = request });
    }

#if NETFRAMEWORK
    /// <summary>.NET Framework's handler starts at <see cref="ServicePointManager.DefaultConnectionLimit"/> (Mono's starts unlimited).</summary>
    private static void PrimaryAt(IServiceCollection services, int limit) => services.ConfigureHttpClientDefaults(
        http => http.ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { MaxConnectionsPerServer = limit }));

    [Fact]
    public void On_NET_Framework_the_gateway_client_is_not_held_to_the_default_two_connections()
    {
        WithDefaultConnectionLimit(2, () =>
        {
            using ServiceProvider provider = Sdk(services => PrimaryAt(services, 2));

            Assert.Equal(50, Primary(provider, AlipayHkPayClientNames.Payments).MaxConnectionsPerServer);
            Assert.Equal(50, Primary(provider, AlipayHkPayClientNames.Auth).MaxConnectionsPerServer);
        });
    }

    [Fact]
    public void On_NET_Framework_a_connection_limit_the_app_set_is_kept()
    {
        WithDefaultConnectionLimit(2, () =>
        {
            using ServiceProvider provider = Sdk(services => PrimaryAt(services, 5)); // on the handler

            Assert.Equal(5, Primary(provider, AlipayHkPayClientNames.Payments).MaxConnectionsPerServer);
        });

        WithDefaultConnectionLimit(8, () =>
        {
            using ServiceProvider provider = Sdk(services => PrimaryAt(services, 8)); // through the default

            Assert.Equal(8, Primary(provider, AlipayHkPayClientNames.Payments).MaxConnectionsPerServer);
        });
    }

    private static HttpClientHandler Primary(ServiceProvider provider, string client)
    {
        HttpMessageHandler handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(client);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return Assert.IsType<HttpClientHandler>(handler, exactMatch: false);
    }

    private static void WithDefaultConnectionLimit(int limit, Action test)
    {
        int before = ServicePointManager.DefaultConnectionLimit;
        ServicePointManager.DefaultConnectionLimit = limit;
        try
        {
            test();
        }
        finally
        {
            ServicePointManager.DefaultConnectionLimit = before;
        }
    }
#endif
}

[CollectionDefinition(nameof(GatewayConnectionTests), DisableParallelization = true)]
public sealed class GatewayConnectionTestsCollection;
