using System.Net;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Tests.Auth;

public sealed class AccessTokenTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public AccessTokenTests() => _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);

    public void Dispose() => _gateway.Dispose();

    private static PaymentReference Order => PaymentReference.ByOrderId("C991289984923795789123");

    [Fact]
    public async Task The_token_request_is_the_documented_get_with_uid_and_secret_in_the_query()
    {
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.GetPaymentAsync(Order, Ct);

        var token = Assert.Single(_gateway.Requests(GatewayStub.TokenPath)).RequestMessage!;
        Assert.Equal("GET", token.Method);
        Assert.Equal("client_credentials", token.Query!["grant_type"].Single());
        Assert.Equal(GatewayStub.Uid, token.Query["uid"].Single());
        Assert.Equal(GatewayStub.ClientSecret, token.Query["client_secret"].Single());
        Assert.False(token.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A_token_is_reused_until_shortly_before_it_expires()
    {
        _gateway.GivenToken(expiresIn: 3600);
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.GetPaymentAsync(Order, Ct);
        await sdk.Client.GetPaymentAsync(Order, Ct);
        sdk.Time.Advance(TimeSpan.FromSeconds(3600 - 61));
        await sdk.Client.GetPaymentAsync(Order, Ct);
        Assert.Single(_gateway.Requests(GatewayStub.TokenPath));

        sdk.Time.Advance(TimeSpan.FromSeconds(2)); // now inside the 60 s refresh margin
        await sdk.Client.GetPaymentAsync(Order, Ct);
        Assert.Equal(2, _gateway.Requests(GatewayStub.TokenPath).Count);
    }

    [Fact]
    public async Task A_hundred_concurrent_calls_on_a_cold_start_make_exactly_one_token_request()
    {
        _gateway.GivenToken(delayMs: 150); // keep the token request in flight while all callers pile up
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent[] intents = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => sdk.Client.GetPaymentAsync(Order, Ct)));

        Assert.All(intents, i => Assert.Equal(PaymentStatus.Succeeded, i.Status));
        Assert.Single(_gateway.Requests(GatewayStub.TokenPath));
        Assert.Equal(100, _gateway.Requests(GatewayStub.QueryPath).Count);
    }

    [Fact]
    public async Task A_401_drops_the_token_fetches_a_new_one_and_replays_the_request_once()
    {
        _gateway.GivenSequence(
            GatewayStub.TokenPath,
            r => GatewayStub.Json(r, """{"access_token":"at_old","expires_in":3600}"""),
            r => GatewayStub.Json(r, """{"access_token":"at_new","expires_in":3600}"""));
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => r.WithStatusCode(401),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.GetPaymentAsync(Order, Ct);

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal(2, _gateway.Requests(GatewayStub.TokenPath).Count);
        var queries = _gateway.Requests(GatewayStub.QueryPath);
        Assert.Equal(["Bearer at_old", "Bearer at_new"], queries.Select(q => q.RequestMessage!.Headers!["Authorization"].Single()));
        Assert.Equal(queries[0].RequestMessage!.Body, queries[1].RequestMessage!.Body);
    }

    [Fact]
    public async Task A_second_401_is_not_replayed_again_and_surfaces_with_its_status()
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 401);
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal(2, _gateway.Requests(GatewayStub.QueryPath).Count);
    }

    [Fact]
    public async Task Refused_credentials_raise_an_authentication_exception_that_names_the_settings_but_not_the_secret()
    {
        _gateway.Given(GatewayStub.TokenPath, """{"code":40100,"message":"invalid client_secret","rid":"rid-auth"}""", status: 401);
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("rid-auth", ex.RequestId);
        Assert.Contains("AlipayHkPay:ClientSecret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid client_secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayStub.ClientSecret, ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task An_unreachable_token_endpoint_raises_an_authentication_exception_without_the_secret()
    {
        Uri closedPort = ClosedLoopbackPort();
        await using var sdk = new SdkHarness(_gateway, o => o.BaseAddress = closedPort);

        var ex = await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => sdk.Client.GetPaymentAsync(Order, Ct));

        Assert.Null(ex.StatusCode);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.DoesNotContain(GatewayStub.ClientSecret, ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("Retrying", sdk.AllLogText(), StringComparison.OrdinalIgnoreCase); // token requests retry transient failures
    }

    [Fact]
    public async Task A_merchant_token_source_replaces_the_token_endpoint()
    {
        var source = new FixedTokenSource();
        await using var sdk = new SdkHarness(
            _gateway,
            o => o.ClientSecret = null, // not needed with a custom source
            services => services.AddSingleton<IAlipayHkPayTokenSource>(source));

        await sdk.Client.GetPaymentAsync(Order, Ct);
        await sdk.Client.GetPaymentAsync(Order, Ct);

        Assert.Empty(_gateway.Requests(GatewayStub.TokenPath));
        Assert.Equal(1, source.Calls);
        Assert.All(_gateway.Requests(GatewayStub.QueryPath), q => Assert.Equal("Bearer from-my-vault", q.RequestMessage!.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task No_secret_or_token_reaches_a_log_line_even_at_trace_level()
    {
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => r.WithStatusCode(401),
            r => r.WithStatusCode(503),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.GetPaymentAsync(Order, Ct);

        string logs = sdk.AllLogText();
        Assert.NotEmpty(sdk.Logs.GetSnapshot());
        Assert.DoesNotContain(GatewayStub.ClientSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayStub.AccessToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("client_secret=", logs, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_and_options_never_show_their_secrets()
    {
        var token = new AlipayHkPayAccessToken(GatewayStub.AccessToken, DateTimeOffset.UnixEpoch);
        var options = new AlipayHkPayOptions { Uid = "1", ClientSecret = GatewayStub.ClientSecret, WebhookKey = "whk_SECRET" };

        Assert.DoesNotContain(GatewayStub.AccessToken, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayStub.ClientSecret, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("whk_SECRET", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_fetch_that_never_ends_fails_after_the_total_timeout_and_the_next_call_fetches_again()
    {
        var source = new FirstFetchHangsTokenSource();
        await using var sdk = new SdkHarness(
            _gateway,
            o =>
            {
                o.ClientSecret = null;
                o.AttemptTimeout = TimeSpan.FromSeconds(4);
                o.TotalTimeout = TimeSpan.FromSeconds(6);
            },
            services => services.AddSingleton<IAlipayHkPayTokenSource>(source));

        Task<PaymentIntent> first = sdk.Client.GetPaymentAsync(Order, Ct);
        await source.FirstFetchStarted;
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(6));
        sdk.Time.Advance(TimeSpan.FromSeconds(6));
        var ex = await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => first);

        PaymentIntent second = await sdk.Client.GetPaymentAsync(Order, Ct); // not stuck behind the first fetch

        Assert.Contains("00:00:06", ex.Message, StringComparison.Ordinal);
        Assert.Equal(PaymentStatus.Succeeded, second.Status);
        Assert.Equal(2, source.Calls);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task A_slow_token_endpoint_that_then_refuses_makes_a_create_fail_as_authentication_not_as_an_unknown_outcome()
    {
        var source = new SlowRefusingTokenSource(TimeSpan.FromSeconds(5));
        await using var sdk = new SdkHarness(
            _gateway,
            o =>
            {
                o.ClientSecret = null;
                o.AttemptTimeout = TimeSpan.FromSeconds(4); // shorter than the token wait: it must not count
                o.TotalTimeout = TimeSpan.FromSeconds(10);
            },
            services => services.AddSingleton<IAlipayHkPayTokenSource>(source));
        source.Clock = sdk.Time;

        Task<PaymentIntent> create = sdk.Client.CreatePaymentAsync(Requests.Valid(), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        sdk.Time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => create);
        Assert.Empty(_gateway.Requests(GatewayStub.CreatePath)); // never sent, so nothing to recover
        Assert.Empty(_gateway.Requests(GatewayStub.QueryPath));
    }

    private static Uri ClosedLoopbackPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The first fetch never ends on its own (only its token ends it); later ones answer at once.</summary>
    private sealed class FirstFetchHangsTokenSource : IAlipayHkPayTokenSource
    {
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task FirstFetchStarted => _firstStarted.Task;

        public async ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _firstStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new AlipayHkPayAccessToken(GatewayStub.AccessToken, DateTimeOffset.MaxValue);
        }
    }

    /// <summary>Answers after a delay on the SDK's clock, with a refusal.</summary>
    private sealed class SlowRefusingTokenSource(TimeSpan delay) : IAlipayHkPayTokenSource
    {
        public TimeProvider Clock { get; set; } = TimeProvider.System;

        public async ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(delay, Clock, cancellationToken);
            throw new AlipayHkPayAuthenticationException("No access token: the vault refused.", null, System.Net.HttpStatusCode.Unauthorized);
        }
    }

    private sealed class FixedTokenSource : IAlipayHkPayTokenSource
    {
        public int Calls { get; private set; }

        public ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return new(new AlipayHkPayAccessToken("from-my-vault", DateTimeOffset.MaxValue));
        }
    }
}
