using System.Reflection;
using System.Text;
using AlipayHk.Pay.Tests.Infrastructure;
using AlipayHk.Pay.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.Tests.Configuration;

/// <summary>
/// <see cref="AlipayHkPay.Create"/>: the SDK in one statement for an app without a container (a WinForms point of sale),
/// on the same pipeline as <c>AddAlipayHkPay</c>. These run on every target framework, .NET Framework (under Mono) too.
/// </summary>
public sealed class NoContainerTests : IDisposable
{
    private const string Key = "webhook-key-for-tests";
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private AlipayHkPayOptions Options() => new()
    {
        BaseAddress = _gateway.BaseAddress,
        Uid = GatewayStub.Uid,
        ClientSecret = GatewayStub.ClientSecret,
        WebhookKey = Key,
        MaxRetryAttempts = 0,
    };

    [Fact]
    public async Task One_statement_gives_a_client_that_takes_a_payment_through_the_whole_pipeline()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        using var pay = AlipayHkPay.Create(Options());

        PaymentIntent intent = await pay.Client.CreatePaymentAsync(Requests.Valid(), TestContext.Current.CancellationToken);

        Assert.Equal("C991289984923795789123", intent.OrderId);
        Assert.NotNull(intent.NextAction?.Url); // the QR code URL
        var create = Assert.Single(_gateway.Requests(GatewayStub.CreatePath));
        Assert.Equal($"Bearer {GatewayStub.AccessToken}", create.RequestMessage!.Headers!["Authorization"].Single()); // the token, fetched by the SDK
    }

    [Fact]
    public async Task A_bad_setting_fails_create_with_the_settings_name_and_nothing_is_sent()
    {
        AlipayHkPayOptions options = Options();
        options.Uid = null;
        options.TotalTimeout = TimeSpan.Zero;

        var failure = Assert.Throws<OptionsValidationException>(() => AlipayHkPay.Create(options));

        Assert.Contains("AlipayHkPay:Uid is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TotalTimeout", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayStub.ClientSecret, failure.Message, StringComparison.Ordinal);
        await Task.Yield();
        Assert.Empty(_gateway.Server.LogEntries);
    }

    [Fact]
    public void Every_setting_is_copied_and_later_changes_to_the_options_object_are_not_seen()
    {
        var options = new AlipayHkPayOptions();
        PropertyInfo[] settings = typeof(AlipayHkPayOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();
        foreach (PropertyInfo setting in settings)
        {
            setting.SetValue(options, NonDefault(setting));
        }

        using var pay = AlipayHkPay.Create(options);
        options.Uid = "changed-later";
        AlipayHkPayOptions used = pay.Services.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>().Get(string.Empty);

        Assert.Equal(15, settings.Length); // a new setting: add it to AlipayHkPay.CopyTo, then here
        Assert.All(settings, setting => Assert.Equal(NonDefault(setting), setting.GetValue(used)));
    }

    [Fact]
    public async Task The_receiver_answers_a_signed_callback_200_and_a_forged_one_401()
    {
        _gateway.AnswerQueriesWith("C200", "M200", "SUCCEEDED");
        using var pay = AlipayHkPay.Create(Options());
        string body = WebhookSigning.PaymentSuccess("C200", "M200");
        var handled = new List<string>();

        WebhookReceipt genuine = await Receive(pay, body, WebhookSigning.Sign(body, Key), handled);
        WebhookReceipt again = await Receive(pay, body, WebhookSigning.Sign(body, Key), handled);
        WebhookReceipt forged = await Receive(pay, body, WebhookSigning.Sign(body, "not-the-key"), handled);

        Assert.Equal(200, genuine.StatusCode);
        Assert.Equal(200, again.StatusCode); // a re-delivery: the in-memory duplicate store of this instance
        Assert.Equal(401, forged.StatusCode);
        Assert.Equal(["C200"], handled);
    }

    [Fact]
    public async Task The_verifier_and_processor_are_the_merchants()
    {
        _gateway.AnswerQueriesWith("C300", "M300", "SUCCEEDED");
        using var pay = AlipayHkPay.Create(Options());
        string body = WebhookSigning.PaymentSuccess("C300", "M300");

        WebhookNotification notification = pay.Verifier.Verify(body, WebhookSigning.Sign(body, Key));
        ConfirmedWebhook confirmed = await pay.Webhooks.ProcessAsync(Encoding.UTF8.GetBytes(body), WebhookSigning.Sign(body, Key), TestContext.Current.CancellationToken);

        Assert.Equal("C300", notification.OrderId);
        Assert.Equal(PaymentStatus.Succeeded, confirmed.Status);
    }

    [Fact]
    public async Task Log_lines_go_to_the_apps_logger_factory_which_outlives_the_sdk()
    {
        _gateway.AnswerQueriesWith("C400", "M400", "SUCCEEDED");
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(collector)));
        var pay = AlipayHkPay.Create(Options(), loggers);

        await pay.Client.GetPaymentAsync(PaymentReference.ByOrderId("C400"), TestContext.Current.CancellationToken);
        await pay.DisposeAsync();

        Assert.Contains(collector.GetSnapshot(), r => r.Category!.StartsWith("AlipayHk.Pay", StringComparison.Ordinal));
        Assert.DoesNotContain(collector.GetSnapshot(), r => r.Message.Contains(GatewayStub.ClientSecret, StringComparison.Ordinal) || r.Message.Contains(GatewayStub.AccessToken, StringComparison.Ordinal));
        loggers.CreateLogger("still-usable").LogInformation("after"); // not disposed by the SDK
        Assert.Throws<ObjectDisposedException>(() => pay.Client);
    }

    private static async Task<WebhookReceipt> Receive(AlipayHkPay pay, string body, string signature, List<string> handled)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return await pay.Receiver.ReceiveAsync(
            stream,
            stream.Length,
            name => name == AlipayHkPayOptions.DefaultWebhookSignatureHeader ? signature : null,
            (confirmed, _) =>
            {
                handled.Add(confirmed.Payment!.OrderId);
                return Task.CompletedTask;
            },
            TestContext.Current.CancellationToken);
    }

    private static object? NonDefault(PropertyInfo setting) => setting.Name switch
    {
        nameof(AlipayHkPayOptions.BaseAddress) => new Uri("https://gateway.example/"),
        nameof(AlipayHkPayOptions.WebhookSignatureHeader) => "X-Sig",
        nameof(AlipayHkPayOptions.MaxWebhookBodyBytes) => 4096,
        nameof(AlipayHkPayOptions.MaxRetryAttempts) => 5,
        nameof(AlipayHkPayOptions.AttemptTimeout) => TimeSpan.FromSeconds(3),
        nameof(AlipayHkPayOptions.TotalTimeout) => TimeSpan.FromSeconds(40),
        nameof(AlipayHkPayOptions.MaxRetryDelay) => TimeSpan.FromSeconds(20),
        _ when setting.PropertyType == typeof(string) => setting.Name + "-value",
        _ when setting.PropertyType == typeof(TimeSpan) || setting.PropertyType == typeof(TimeSpan?) => TimeSpan.FromMilliseconds(1234),
        _ => throw new InvalidOperationException($"No test value for {setting.Name}: add one."),
    };
}
