using System.Globalization;
using AlipayHk.Pay;

namespace PosTerminal.Receipt;

/// <summary>How the terminal learnt that the payment succeeded.</summary>
internal enum PaymentProof
{
    /// <summary>A callback whose signature was verified, and whose payment the gateway confirmed by query.</summary>
    VerifiedWebhook,

    /// <summary>Only a query: no callback arrived in time.</summary>
    QueryOnly,
}

/// <summary>Prints the shopper's receipt.</summary>
internal static class ReceiptPrinter
{
    private const int Width = 50;

    /// <param name="replaced">Orders this sale replaces: created, but their QR code was lost with the create's answer.</param>
    /// <param name="learnedBy">What brought the news of the payment: <c>webhook</c> or <c>polling</c>; <see langword="null"/> to leave it out.</param>
    /// <param name="learnedAfter">How long after the gateway's pay time the terminal knew, when known.</param>
    /// <param name="recovered">Whether an earlier run left the sale open, and this run found it paid: the receipt says so.</param>
    public static void Print(
        TextWriter output,
        PaymentIntent payment,
        string description,
        AlipayHkWallet wallet,
        PaymentProof proof,
        IReadOnlyList<PaymentIntent>? replaced = null,
        string? learnedBy = null,
        TimeSpan? learnedAfter = null,
        bool recovered = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(payment);
        string rule = new('-', Width);
        output.WriteLine();
        output.WriteLine(Center(recovered ? "RECEIPT (RECOVERED)" : "RECEIPT", '='));
        output.WriteLine(Row(description, "HKD " + Money.Format(payment.Amount)));
        output.WriteLine(rule);
        output.WriteLine(Row("Total paid", $"{payment.Currency} {Money.Format(payment.Amount)}"));
        output.WriteLine(Row("Wallet", wallet == AlipayHkWallet.AlipayCn ? "Alipay (mainland China)" : "AlipayHK"));
        output.WriteLine(Row("Paid at", payment.PayTime is { } paid ? paid.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) : "(not reported)"));
        output.WriteLine(Row("Merchant order", payment.MerchantOrderId));
        output.WriteLine(Row("Gateway order", payment.OrderId));
        output.WriteLine(Row("rid", payment.RequestId ?? "(none)"));
        foreach (PaymentIntent lost in replaced ?? [])
        {
            output.WriteLine(Row("Replaces order", lost.MerchantOrderId));
            output.WriteLine(Row("  (QR code lost)", lost.OrderId));
        }

        if (learnedBy is not null)
        {
            output.WriteLine(Row("Learned by", learnedAfter is { } after
                ? $"{learnedBy}, {Duration(after)} after payment"
                : learnedBy));
        }

        output.WriteLine(rule);
        if (recovered)
        {
            output.WriteLine("Recovered: an earlier run left this sale open.");
        }

        if (proof == PaymentProof.VerifiedWebhook)
        {
            output.WriteLine("Webhook signature verified, payment confirmed");
            output.WriteLine("with the gateway.");
        }
        else if (recovered)
        {
            output.WriteLine("Payment confirmed by querying the gateway.");
        }
        else
        {
            output.WriteLine("Payment confirmed by querying the gateway; no");
            output.WriteLine("webhook arrived in time (see the warning above).");
        }

        output.WriteLine(new string('=', Width));
    }

    /// <summary>How long: to the millisecond under a minute (as the live receipt shows it), then minutes, hours, days.</summary>
    public static string Duration(TimeSpan duration) => duration switch
    {
        { TotalMinutes: < 1 } => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s",
        { TotalHours: < 1 } => $"{duration.Minutes} min {duration.Seconds:00} s",
        { TotalDays: < 1 } => $"{duration.Hours} h {duration.Minutes:00} min",
        _ => $"{(int)duration.TotalDays} d {duration.Hours:00} h",
    };

    private static string Row(string label, string value)
    {
        int room = Width - value.Length - 1;
        if (room < 4)
        {
            return label + Environment.NewLine + value.PadLeft(Width);
        }

        string left = label.Length > room ? label[..(room - 1)] + "…" : label;
        return left.PadRight(room) + " " + value;
    }

    private static string Center(string title, char fill)
    {
        string text = $" {title} ";
        int left = (Width - text.Length) / 2;
        return new string(fill, left) + text + new string(fill, Width - left - text.Length);
    }
}
