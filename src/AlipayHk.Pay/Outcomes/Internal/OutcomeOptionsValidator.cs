using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.Outcomes;

/// <summary>Checks <see cref="AlipayHkPayOutcomeOptions"/> at start-up; each failure names the setting as it is written in configuration.</summary>
internal sealed class OutcomeOptionsValidator : IValidateOptions<AlipayHkPayOutcomeOptions>
{
    private const string Prefix = AlipayHkPayOutcomeOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, AlipayHkPayOutcomeOptions options)
    {
        var failures = new List<string>();
        AlipayHkPayOptionsValidator.Positive(failures, Prefix, nameof(options.TrackingHorizon), options.TrackingHorizon);
        AlipayHkPayOptionsValidator.Positive(failures, Prefix, nameof(options.FirstCheckDelay), options.FirstCheckDelay);
        AlipayHkPayOptionsValidator.Positive(failures, Prefix, nameof(options.MinCheckInterval), options.MinCheckInterval);
        AlipayHkPayOptionsValidator.Positive(failures, Prefix, nameof(options.ScanInterval), options.ScanInterval);
        if (options.MaxCheckInterval < options.MinCheckInterval)
        {
            failures.Add($"{Prefix}{nameof(options.MaxCheckInterval)} ({options.MaxCheckInterval}) must not be shorter than {nameof(options.MinCheckInterval)} ({options.MinCheckInterval}).");
        }

        if (options.TrackingHorizon < options.FirstCheckDelay)
        {
            failures.Add($"{Prefix}{nameof(options.TrackingHorizon)} ({options.TrackingHorizon}) must not be shorter than {nameof(options.FirstCheckDelay)} ({options.FirstCheckDelay}).");
        }

        if (options.MaxConcurrentChecks is < 1 or > 64)
        {
            failures.Add($"{Prefix}{nameof(options.MaxConcurrentChecks)} must be between 1 and 64; got {options.MaxConcurrentChecks}.");
        }

        if (!(options.MaxChecksPerSecond > 0) || double.IsInfinity(options.MaxChecksPerSecond))
        {
            failures.Add($"{Prefix}{nameof(options.MaxChecksPerSecond)} must be a positive number; got {options.MaxChecksPerSecond}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
