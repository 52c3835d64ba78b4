using System.Net;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using WireMock.ResponseBuilders;

namespace AlipayHk.Pay.Tests.Http;

/// <summary>
/// The SDK inside hosts that put handlers on every HttpClient: .NET Aspire's ServiceDefaults
/// (<c>ConfigureHttpClientDefaults(h =&gt; h.AddStandardResilienceHandler())</c>), Polly v7 policies, an app's own
/// handlers. A create must never be re-sent without the SDK's query first, whatever they do.
/// </summary>
public sealed class AppWideDefaultsTests : IDisposable
{
    private const string MerchantOrderId = "P9297895081903";
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private int Creates => _gateway.Requests(GatewayStub.CreatePath).Count;

    private int Queries => _gateway.Requests(GatewayStub.QueryPath).Count;

    private static PaymentReference Order => PaymentReference.ByOrderId("C991289984923795789123");

    /// <summary>The SDK with app-wide defaults registered before <c>AddAlipayHkPay</c> or after it.</summary>
    private SdkHarness Sdk(Action<IServiceCollection> defaults, bool defaultsFirst, Action<AlipayHkPayOptions>? configure = null) =>
        new(_gateway, configure, defaultsFirst ? null : defaults, defaultsFirst ? defaults : null);

    private static void StandardResilience(IServiceCollection services) =>
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_the_standard_resilience_handler_app_wide_a_503_on_create_is_recovered_by_query_not_resent(bool defaultsFirst)
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>503</html>", status: 503, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using SdkHarness sdk = Sdk(StandardResilience, defaultsFirst);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.True(intent.IsRecovered);
        Assert.Equal(1, Creates);
        Assert.Equal(1, Queries);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_the_standard_resilience_handler_app_wide_a_reset_connection_on_create_is_not_resent(bool defaultsFirst)
    {
        _gateway.GivenSequence(GatewayStub.CreatePath, r => r.WithFault(WireMock.ResponseBuilders.FaultType.MALFORMED_RESPONSE_CHUNK));
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using SdkHarness sdk = Sdk(StandardResilience, defaultsFirst);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal(1, Creates);
    }

    [Fact]
    public async Task With_the_standard_resilience_handler_app_wide_a_create_stalled_past_the_attempt_timeout_is_not_resent()
    {
        using var hanging = _gateway.GivenFirstCallHangs(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using SdkHarness sdk = Sdk(StandardResilience, defaultsFirst: true, o => o.AttemptTimeout = TimeSpan.FromSeconds(4));

        Task<PaymentIntent> create = sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);
        await hanging.Arrived;
        sdk.Time.Advance(TimeSpan.FromSeconds(4));

        Assert.True((await create).IsRecovered);
        Assert.Equal(1, hanging.Calls);
        Assert.Equal(1, Queries);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_the_standard_resilience_handler_app_wide_a_query_is_attempted_at_most_one_plus_max_retry_attempts_times(bool defaultsFirst)
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 503);
        await using SdkHarness sdk = Sdk(StandardResilience, defaultsFirst, o => o.MaxRetryAttempts = 2);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(3, Queries);
    }

    [Fact]
    public async Task The_apps_circuit_breaker_never_blocks_the_SDKs_recovery_queries()
    {
        // The standard circuit breaker opens at a 10 % failure ratio over 100 requests. Every create here fails: with
        // the breaker on the SDK's client, it would open and block the queries that recover them.
        _gateway.Given(GatewayStub.CreatePath, "<html>502</html>", status: 502, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using SdkHarness sdk = Sdk(StandardResilience, defaultsFirst: true, o => o.MaxRetryAttempts = 0);

        for (int sale = 0; sale < 120; sale++)
        {
            PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid($"CB-{sale:D4}"), Ct);
            Assert.True(intent.IsRecovered, $"sale {sale} was not recovered");
        }

        Assert.Equal(120, Creates);
        Assert.Equal(120, Queries);
    }

    [Fact]
    public async Task A_Polly_v7_retry_policy_added_app_wide_does_not_resend_a_create()
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>503</html>", status: 503, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using SdkHarness sdk = Sdk(
            s => s.ConfigureHttpClientDefaults(http => http.AddTransientHttpErrorPolicy(p => p.RetryAsync(3))),
            defaultsFirst: true);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal(1, Creates);
    }

    [Fact]
    public async Task An_app_wide_retrying_handler_the_SDK_does_not_know_is_named_at_start_up_and_cannot_resend_a_create()
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>503</html>", status: 503, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using SdkHarness sdk = Sdk(
            s => s.AddTransient<RetryThreeTimesHandler>().ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler<RetryThreeTimesHandler>()),
            defaultsFirst: true);

        foreach (IHostedService started in sdk.Services.GetServices<IHostedService>())
        {
            await started.StartAsync(Ct);
        }

        Assert.Contains(sdk.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains(typeof(RetryThreeTimesHandler).FullName!, StringComparison.Ordinal));

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.True(intent.IsRecovered);
        Assert.Equal(1, Creates);
        Assert.Contains(sdk.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("refused to send POST /mch-api/v1/pa/payment_intents/create a second time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_app_wide_retrying_handler_cannot_multiply_a_querys_attempts()
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 503);
        await using SdkHarness sdk = Sdk(
            s => s.AddTransient<RetryThreeTimesHandler>().ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler<RetryThreeTimesHandler>()),
            defaultsFirst: false,
            o => o.MaxRetryAttempts = 2);

        await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Equal(3, Queries);
    }

    [Fact]
    public async Task An_app_wide_handler_that_does_not_retry_still_applies_to_the_SDKs_calls()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using SdkHarness sdk = Sdk(
            s => s.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new HeaderHandler("X-Correlation-Id", "till-7"))),
            defaultsFirst: true);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        var create = _gateway.Requests(GatewayStub.CreatePath).Single();
        Assert.Equal("till-7", create.RequestMessage!.Headers!["X-Correlation-Id"].ToString());
        Assert.Contains(_gateway.Requests(GatewayStub.TokenPath), e => e.RequestMessage!.Headers!.ContainsKey("X-Correlation-Id"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_app_wide_primary_handler_a_proxy_or_a_client_certificate_reaches_the_SDKs_calls(bool defaultsFirst)
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        var primary = new CountingPrimaryHandler();
        await using SdkHarness sdk = Sdk(s => s.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => primary)), defaultsFirst);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal(2, primary.Requests); // the token request and the create
    }

    [Fact]
    public async Task The_SDKs_clients_can_be_configured_on_purpose_by_their_public_names()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using SdkHarness sdk = Sdk(
            s =>
            {
                s.AddHttpClient(AlipayHkPayClientNames.Payments).AddHttpMessageHandler(() => new HeaderHandler("X-Till", "7"));
                s.AddHttpClient(AlipayHkPayClientNames.Auth).AddHttpMessageHandler(() => new HeaderHandler("X-Till", "auth"));
            },
            defaultsFirst: false);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal("7", _gateway.Requests(GatewayStub.CreatePath).Single().RequestMessage!.Headers!["X-Till"].ToString());
        Assert.Equal("auth", _gateway.Requests(GatewayStub.TokenPath).Single().RequestMessage!.Headers!["X-Till"].ToString());
    }

    [Fact]
    public async Task A_request_that_declares_nothing_is_never_retried()
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 503);
        await using SdkHarness sdk = new(_gateway, o => o.MaxRetryAttempts = 3);
        HttpClient raw = sdk.Services.GetRequiredService<IHttpClientFactory>().CreateClient(AlipayHkPayClientNames.Payments);

        using HttpResponseMessage response = await raw.PostAsync(GatewayStub.QueryPath, new StringContent("{}"), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, Queries);
    }

    [Fact]
    public async Task The_default_HttpClient_logger_added_to_the_SDKs_client_never_logs_the_bearer_token()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using SdkHarness sdk = Sdk(
            s =>
            {
                s.AddHttpClient(AlipayHkPayClientNames.Payments).AddDefaultLogger();
                s.AddHttpClient(AlipayHkPayClientNames.Auth).AddDefaultLogger();
            },
            defaultsFirst: false);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        var records = sdk.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Category?.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) == true);
        foreach (var record in records)
        {
            string state = string.Join(";", record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []);
            Assert.DoesNotContain(GatewayStub.AccessToken, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(GatewayStub.AccessToken, state, StringComparison.Ordinal);
            Assert.DoesNotContain(GatewayStub.ClientSecret, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(GatewayStub.ClientSecret, state, StringComparison.Ordinal);
        }
    }

    /// <summary>An app's own retry handler: sends a request up to three times while the answer is a 5xx.</summary>
    private sealed class RetryThreeTimesHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
                    if ((int)response.StatusCode < 500 || attempt == 3)
                    {
                        return response;
                    }

                    response.Dispose();
                }
                catch (HttpRequestException) when (attempt < 3)
                {
                }
            }
        }
    }

    private sealed class HeaderHandler(string name, string value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(name, value);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A primary handler as an app would set one (a proxy, a client certificate): real sockets, counted.</summary>
    private sealed class CountingPrimaryHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
