using System.Globalization;

namespace AlipayHk.Pay;

/// <summary>The gateway's input rules, checked before any request is sent.</summary>
internal static class PaymentValidation
{
    /// <summary>The gateway's limit on order ids and on the amount's text (<c>string(32)</c>).</summary>
    internal const int MaxIdLength = 32;

    internal static void Validate(CreatePaymentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureAmount(request.Amount, nameof(CreatePaymentRequest.Amount));
        EnsureOrderId(request.MerchantOrderId, nameof(CreatePaymentRequest.MerchantOrderId));
        if (string.IsNullOrWhiteSpace(request.Description))
        {
            throw new InvalidFieldException("Description must not be blank: the gateway requires a description of the order.", nameof(CreatePaymentRequest.Description));
        }

        if (request.NotifyUrl is { } notifyUrl && !IsHttpUrl(notifyUrl))
        {
            throw new InvalidFieldException($"NotifyUrl must be an absolute http or https URL; got '{notifyUrl}'.", nameof(CreatePaymentRequest.NotifyUrl));
        }

        if (request.Wallet is not (AlipayHkWallet.AlipayCn or AlipayHkWallet.AlipayHk))
        {
            throw new InvalidFieldException($"Wallet must be AlipayHkWallet.AlipayCn or AlipayHkWallet.AlipayHk; got {(int)request.Wallet}.", nameof(CreatePaymentRequest.Wallet));
        }
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    internal static bool IsHttpUrl(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    /// <summary>
    /// The error for a bad field: <see cref="ArgumentException.ParamName"/> is the field's name, as the merchant wrote it,
    /// and the message is the sentence alone, without .NET's " (Parameter 'Amount')" suffix, so that it can be shown to a
    /// cashier as it is.
    /// </summary>
    private sealed class InvalidFieldException(string message, string field) : ArgumentException(message, field)
    {
        private readonly string _message = message;

        public override string Message => _message;
    }

    internal static void EnsureAmount(decimal amount, string paramName)
    {
        if (amount <= 0m)
        {
            throw new InvalidFieldException($"{paramName} must be above 0; got {amount.ToString(CultureInfo.InvariantCulture)}.", paramName);
        }

        if (decimal.Round(amount, 2) != amount)
        {
            throw new InvalidFieldException($"{paramName} has more than 2 decimal places: {amount.ToString(CultureInfo.InvariantCulture)}. HKD amounts go to the cent.", paramName);
        }

        // The gateway's amount is a string(32). A decimal has at most 29 digits, so a positive one with at most two
        // decimal places is at most 30 characters long ("79228162514264337593543950.335" has three): it always fits,
        // and no check is needed (WireFormatTests sends decimal.MaxValue).
    }

    internal static void EnsureOrderId(string? value, string paramName)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidFieldException($"{paramName} must not be empty.", paramName);
        }

        if (value.Length > MaxIdLength)
        {
            throw new InvalidFieldException($"{paramName} must be at most {MaxIdLength} characters; got {value.Length}.", paramName);
        }

        foreach (char c in value)
        {
            if (c < ' ' || c > '~')
            {
                throw new InvalidFieldException($"{paramName} must be printable ASCII (U+0020 to U+007E); found U+{(int)c:X4}.", paramName);
            }
        }
    }
}
