using System.Globalization;
using System.Text.Json;

namespace AlipayHk.Pay.Testing.Payments.Internal;

/// <summary>A create request body that passed the gateway's checks.</summary>
internal sealed class CreateRequest
{
    public required string AmountText { get; init; }

    public required decimal Amount { get; init; }

    public required string MerchantOrderId { get; init; }

    public required string Description { get; init; }

    public required AlipayHkWallet Wallet { get; init; }

    public Uri? NotifyUrl { get; init; }

    /// <summary>Checks a create body as the gateway would; <paramref name="error"/> says what is wrong when it returns null.</summary>
    public static CreateRequest? TryParse(ReadOnlySpan<byte> body, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            error = "invalid request body: not JSON";
            return null;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "invalid request body: expected a JSON object";
                return null;
            }

            string? amountText = String(root, "amount");
            if (amountText is null)
            {
                error = "amount is required and must be a string";
                return null;
            }

            if (!TryParseAmount(amountText, out decimal amount))
            {
                error = $"amount '{amountText}' is invalid: a positive decimal with at most 2 decimal places, at most 32 characters";
                return null;
            }

            string? currency = String(root, "currency");
            if (currency != "HKD")
            {
                error = currency is null ? "currency is required" : $"currency '{currency}' is not supported: alipayhk only supports HKD";
                return null;
            }

            string? merchantOrderId = String(root, "merchant_order_id");
            if (string.IsNullOrEmpty(merchantOrderId) || merchantOrderId.Length > 32)
            {
                error = "merchant_order_id is required, at most 32 characters";
                return null;
            }

            string? description = String(root, "description");
            if (string.IsNullOrWhiteSpace(description))
            {
                error = "description is required";
                return null;
            }

            Uri? notifyUrl = null;
            if (root.TryGetProperty("notify_url", out JsonElement notify) && notify.ValueKind != JsonValueKind.Null)
            {
                if (notify.ValueKind != JsonValueKind.String
                    || !Uri.TryCreate(notify.GetString(), UriKind.Absolute, out notifyUrl)
                    || (notifyUrl.Scheme != Uri.UriSchemeHttp && notifyUrl.Scheme != Uri.UriSchemeHttps))
                {
                    error = "notify_url must be an absolute http or https URL";
                    return null;
                }
            }

            if (!root.TryGetProperty("payment_method", out JsonElement method) || method.ValueKind != JsonValueKind.Object)
            {
                error = "payment_method is required";
                return null;
            }

            string? type = String(method, "type");
            if (type != "alipayhk")
            {
                error = $"payment_method.type '{type}' is not supported: expected alipayhk";
                return null;
            }

            if (!method.TryGetProperty("alipayhk", out JsonElement alipayHk) || alipayHk.ValueKind != JsonValueKind.Object)
            {
                error = "payment_method.alipayhk is required";
                return null;
            }

            string? flow = String(alipayHk, "flow");
            if (flow != "csb_qrcode")
            {
                error = $"payment_method.alipayhk.flow '{flow}' is not supported: expected csb_qrcode";
                return null;
            }

            AlipayHkWallet wallet;
            switch (String(alipayHk, "payment_method"))
            {
                case "ALIPAYCN":
                    wallet = AlipayHkWallet.AlipayCn;
                    break;
                case "ALIPAYHK":
                    wallet = AlipayHkWallet.AlipayHk;
                    break;
                case var other:
                    error = $"payment_method.alipayhk.payment_method '{other}' is invalid: expected ALIPAYCN or ALIPAYHK";
                    return null;
            }

            error = null;
            return new CreateRequest
            {
                AmountText = amountText,
                Amount = amount,
                MerchantOrderId = merchantOrderId,
                Description = description,
                Wallet = wallet,
                NotifyUrl = notifyUrl,
            };
        }
    }

    /// <summary>Digits, optionally a point and one or two digits; above zero; at most 32 characters.</summary>
    internal static bool TryParseAmount(string text, out decimal amount)
    {
        amount = 0m;
        if (text.Length is 0 or > 32)
        {
            return false;
        }

        int point = text.IndexOf('.', StringComparison.Ordinal);
        ReadOnlySpan<char> whole = point < 0 ? text : text.AsSpan(0, point);
        ReadOnlySpan<char> fraction = point < 0 ? [] : text.AsSpan(point + 1);
        if (whole.IsEmpty || !IsDigits(whole) || (point >= 0 && (fraction.Length is 0 or > 2 || !IsDigits(fraction))))
        {
            return false;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) && amount > 0m;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
