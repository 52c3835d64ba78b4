using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.Tests.Configuration;

public sealed class OptionsTests
{
    [Fact]
    public async Task An_app_with_missing_settings_fails_at_start_up_naming_each_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAlipayHkPay(builder.Configuration);
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("AlipayHkPay:BaseAddress is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AlipayHkPay:Uid is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AlipayHkPay:ClientSecret is required", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BaseAddress", "ftp://gateway.example/", "AlipayHkPay:BaseAddress must be an absolute http or https URL")]
    [InlineData("AttemptTimeout", "00:00:00", "AlipayHkPay:AttemptTimeout must be positive")]
    [InlineData("TotalTimeout", "00:00:01", "AlipayHkPay:TotalTimeout (00:00:01) must not be shorter than AttemptTimeout")]
    [InlineData("MaxRetryAttempts", "50", "AlipayHkPay:MaxRetryAttempts must be between 0 and 10")]
    [InlineData("WebhookSignatureHeader", " ", "AlipayHkPay:WebhookSignatureHeader must not be blank")]
    public async Task A_bad_setting_fails_at_start_up_with_a_message_that_names_it(string key, string value, string expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Valid().Where(kv => kv.Key != $"AlipayHkPay:{key}").Append(new($"AlipayHkPay:{key}", value)));
        builder.Services.AddAlipayHkPay(builder.Configuration);
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_bind_from_the_AlipayHkPay_section()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(Valid().Concat(
        [
            new("AlipayHkPay:WebhookKey", "notify-key"),
            new("AlipayHkPay:WebhookSignatureHeader", "X-Signature"),
            new("AlipayHkPay:AttemptTimeout", "00:00:05"),
            new("AlipayHkPay:MaxRetryAttempts", "4"),
        ])).Build();

        using ServiceProvider services = new ServiceCollection().AddAlipayHkPay(configuration).BuildServiceProvider();
        AlipayHkPayOptions options = services.GetRequiredService<IOptions<AlipayHkPayOptions>>().Value;

        Assert.Equal(new Uri("https://gateway.example/"), options.BaseAddress);
        Assert.Equal("39172931", options.Uid);
        Assert.Equal("cs_secret", options.ClientSecret);
        Assert.Equal("notify-key", options.WebhookKey);
        Assert.Equal("X-Signature", options.WebhookSignatureHeader);
        Assert.Equal(TimeSpan.FromSeconds(5), options.AttemptTimeout);
        Assert.Equal(4, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalTimeout); // untouched defaults stay
    }

    [Fact]
    public void The_section_itself_may_be_passed()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(Valid()).Build();

        using ServiceProvider services = new ServiceCollection().AddAlipayHkPay(configuration.GetSection("AlipayHkPay")).BuildServiceProvider();

        Assert.Equal("39172931", services.GetRequiredService<IOptions<AlipayHkPayOptions>>().Value.Uid);
    }

    [Fact]
    public void The_webhook_key_falls_back_to_the_client_secret_and_says_so()
    {
        var options = new AlipayHkPayOptions { ClientSecret = "cs" };
        Assert.Equal("cs", options.EffectiveWebhookKey);
        Assert.Equal("ClientSecret", options.WebhookKeySource);

        options.WebhookKey = "wk";
        Assert.Equal("wk", options.EffectiveWebhookKey);
        Assert.Equal("WebhookKey", options.WebhookKeySource);
    }

    [Fact]
    public void The_defaults_suit_a_shop_counter()
    {
        var options = new AlipayHkPayOptions();

        Assert.Equal("Signature", options.WebhookSignatureHeader);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalTimeout);
        Assert.Equal(2, options.MaxRetryAttempts);
    }

    [Fact]
    public void Registering_twice_registers_each_service_once_and_applies_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddAlipayHkPay(o => (o.BaseAddress, o.Uid) = (new Uri("https://gateway.example/"), "1"));
        services.AddAlipayHkPay(o => o.ClientSecret = "2");

        Assert.Single(services, d => d.ServiceType == typeof(IAlipayHkPayClient) && !d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(IAlipayHkPayClient) && d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<AlipayHkPayOptions>));
        Assert.Single(services, d => d.ServiceType.Name == "GatewayPipeline");
        using ServiceProvider provider = services.BuildServiceProvider();
        AlipayHkPayOptions options = provider.GetRequiredService<IOptionsMonitor<AlipayHkPayOptions>>().Get(Options.DefaultName);
        Assert.Equal(("1", "2"), (options.Uid, options.ClientSecret));
    }

    private static KeyValuePair<string, string?>[] Valid() =>
    [
        new("AlipayHkPay:BaseAddress", "https://gateway.example/"),
        new("AlipayHkPay:Uid", "39172931"),
        new("AlipayHkPay:ClientSecret", "cs_secret"),
    ];
}
