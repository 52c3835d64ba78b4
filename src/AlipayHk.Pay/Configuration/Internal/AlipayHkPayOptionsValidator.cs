using Microsoft.Extensions.Options;

namespace AlipayHk.Pay;

/// <summary>
/// Checks each merchant's options at start-up; every failure names the setting, as it is written in configuration, and
/// for a named merchant the merchant too: <c>AlipayHkPay:Uid is required…</c>, <c>AlipayHkPay merchant 'shop-b': Uid is required…</c>.
/// </summary>
internal sealed class AlipayHkPayOptionsValidator(Func<string, bool> requiresClientSecret) : IValidateOptions<AlipayHkPayOptions>
{
    public ValidateOptionsResult Validate(string? name, AlipayHkPayOptions options)
    {
        string key = name ?? string.Empty;
        string prefix = key.Length == 0 ? AlipayHkPayOptions.SectionName + ":" : Merchant.Describe(key) + ": ";
        var failures = new List<string>();
        if (options.BaseAddress is null)
        {
            failures.Add($"{prefix}{nameof(options.BaseAddress)} is required: the gateway assigns each merchant its API address.");
        }
        else if (!PaymentValidation.IsHttpUrl(options.BaseAddress))
        {
            failures.Add($"{prefix}{nameof(options.BaseAddress)} must be an absolute http or https URL; got '{options.BaseAddress}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Uid))
        {
            failures.Add($"{prefix}{nameof(options.Uid)} is required: it is your merchant number.");
        }

        if (requiresClientSecret(key) && string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"{prefix}{nameof(options.ClientSecret)} is required to obtain access tokens.");
        }

        if (string.IsNullOrWhiteSpace(options.WebhookSignatureHeader))
        {
            failures.Add($"{prefix}{nameof(options.WebhookSignatureHeader)} must not be blank.");
        }

        if (options.MaxWebhookBodyBytes < 256)
        {
            failures.Add($"{prefix}{nameof(options.MaxWebhookBodyBytes)} must be at least 256; got {options.MaxWebhookBodyBytes}.");
        }

        Positive(failures, prefix, nameof(options.AttemptTimeout), options.AttemptTimeout);
        Positive(failures, prefix, nameof(options.TotalTimeout), options.TotalTimeout);
        Positive(failures, prefix, nameof(options.PollInitialDelay), options.PollInitialDelay);
        Positive(failures, prefix, nameof(options.PollMaxDelay), options.PollMaxDelay);
        if (options.WebhookBackstopDelay is { } backstop)
        {
            Positive(failures, prefix, nameof(options.WebhookBackstopDelay), backstop);
        }

        if (options.TotalTimeout < options.AttemptTimeout)
        {
            failures.Add($"{prefix}{nameof(options.TotalTimeout)} ({options.TotalTimeout}) must not be shorter than {nameof(options.AttemptTimeout)} ({options.AttemptTimeout}).");
        }

        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{prefix}{nameof(options.MaxRetryAttempts)} must be between 0 and 10; got {options.MaxRetryAttempts}.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.MaxRetryDelay < options.RetryBaseDelay)
        {
            failures.Add($"{prefix}{nameof(options.RetryBaseDelay)} must be 0 or more and not above {nameof(options.MaxRetryDelay)}.");
        }

        if (options.TokenRefreshMargin < TimeSpan.Zero)
        {
            failures.Add($"{prefix}{nameof(options.TokenRefreshMargin)} must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void Positive(List<string> failures, string prefix, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}{setting} must be positive; got {value}.");
        }
    }
}
