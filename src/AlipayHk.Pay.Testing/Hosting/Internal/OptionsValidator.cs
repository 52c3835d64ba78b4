namespace AlipayHk.Pay.Testing.Hosting.Internal;

/// <summary>Refuses settings out of range before anything starts; the message names the setting.</summary>
internal static class OptionsValidator
{
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static void Validate(AlipayHkGatewaySimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        ArgumentNullException.ThrowIfNull(options.CallbackRetryDelays, "options.CallbackRetryDelays");
        ArgumentNullException.ThrowIfNull(options.Merchants, "options.Merchants");
        if (string.IsNullOrWhiteSpace(options.SignatureHeader))
        {
            throw new ArgumentException("SignatureHeader must not be blank.", nameof(options));
        }

        if (options.TokenLifetime <= TimeSpan.Zero || options.CallbackTimeout <= TimeSpan.Zero || options.TimeoutFaultDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException("TokenLifetime, CallbackTimeout and TimeoutFaultDelay must be positive.", nameof(options));
        }

        if (!(options.CallbackTimeScale >= 0d) || double.IsInfinity(options.CallbackTimeScale))
        {
            throw new ArgumentException($"CallbackTimeScale must be 0 or more; got {options.CallbackTimeScale}.", nameof(options));
        }

        if (options.CallbackRetryDelays.Any(d => d < TimeSpan.Zero)
            || options.AutoPayAfter < TimeSpan.Zero
            || options.PaymentTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("CallbackRetryDelays and AutoPayAfter must not be negative, and PaymentTimeout must be positive.", nameof(options));
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Port must be between 0 and 65535; got {options.Port}.", nameof(options));
        }

        if (options.QrCodeBaseUrl is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("QrCodeBaseUrl must be an absolute URL.", nameof(options));
        }
    }
}
