using Microsoft.Extensions.Options;

namespace AlipayHk.Pay;

/// <summary>Checks the options at start-up; every failure names the setting, as it is written in configuration.</summary>
internal sealed class AlipayHkPayOptionsValidator(Func<bool> requiresClientSecret) : IValidateOptions<AlipayHkPayOptions>
{
    private const string Prefix = AlipayHkPayOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, AlipayHkPayOptions options)
    {
        var failures = new List<string>();
        if (options.BaseAddress is null)
        {
            failures.Add($"{Prefix}{nameof(options.BaseAddress)} is required: the gateway assigns each merchant its API address.");
        }
        else if (!options.BaseAddress.IsAbsoluteUri || (options.BaseAddress.Scheme != Uri.UriSchemeHttps && options.BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{Prefix}{nameof(options.BaseAddress)} must be an absolute http or https URL; got '{options.BaseAddress}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Uid))
        {
            failures.Add($"{Prefix}{nameof(options.Uid)} is required: it is your merchant number.");
        }

        if (requiresClientSecret() && string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"{Prefix}{nameof(options.ClientSecret)} is required to obtain access tokens.");
        }

        if (string.IsNullOrWhiteSpace(options.WebhookSignatureHeader))
        {
            failures.Add($"{Prefix}{nameof(options.WebhookSignatureHeader)} must not be blank.");
        }

        if (options.MaxWebhookBodyBytes < 256)
        {
            failures.Add($"{Prefix}{nameof(options.MaxWebhookBodyBytes)} must be at least 256; got {options.MaxWebhookBodyBytes}.");
        }

        Positive(failures, nameof(options.AttemptTimeout), options.AttemptTimeout);
        Positive(failures, nameof(options.TotalTimeout), options.TotalTimeout);
        Positive(failures, nameof(options.PollInitialDelay), options.PollInitialDelay);
        Positive(failures, nameof(options.PollMaxDelay), options.PollMaxDelay);
        if (options.TotalTimeout < options.AttemptTimeout)
        {
            failures.Add($"{Prefix}{nameof(options.TotalTimeout)} ({options.TotalTimeout}) must not be shorter than {nameof(options.AttemptTimeout)} ({options.AttemptTimeout}).");
        }

        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{Prefix}{nameof(options.MaxRetryAttempts)} must be between 0 and 10; got {options.MaxRetryAttempts}.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.MaxRetryDelay < options.RetryBaseDelay)
        {
            failures.Add($"{Prefix}{nameof(options.RetryBaseDelay)} must be 0 or more and not above {nameof(options.MaxRetryDelay)}.");
        }

        if (options.TokenRefreshMargin < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(options.TokenRefreshMargin)} must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{setting} must be positive; got {value}.");
        }
    }
}
