using System.Globalization;
using AlipayHk.Pay;
using Microsoft.Extensions.DependencyInjection;
using PosTerminal.Hosting;
using PosTerminal.Receipt;

namespace PosTerminal.Sales;

/// <summary>What a recovery found: each count once its lines are printed.</summary>
internal sealed record RecoveryReport(int Paid, int Cancelled, int StillOpen, int Unanswered)
{
    /// <summary>Whether there was nothing to say: no sale left open, no outcome unshown.</summary>
    public bool Empty => Paid + Cancelled + StillOpen + Unanswered == 0;
}

/// <summary>
/// At start-up (<c>--resume</c>, or before a new sale): the sales an earlier run left open are resolved, and every
/// outcome not shown yet is. The SDK's payment store lists the payments still open (<see cref="IAlipayHkPayPaymentStore.ListOpenAsync"/>);
/// each is queried once (<see cref="IAlipayHkPayClient.GetPaymentAsync"/>), and a final answer runs the outcome handler,
/// which books it (once, even if the reconciler or a late webhook gets there too). Then the book is read: a receipt,
/// marked recovered, for each sale found paid, and a line for each cancelled one, each marked shown.
/// </summary>
internal sealed class SaleRecovery(TerminalHost host, TextWriter output, TimeProvider wallClock)
{
    /// <summary>The most open sales looked at in one start: one query each, so the start stays short.</summary>
    public const int MaxOpenSales = 100;

    public async Task<RecoveryReport> RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<TrackedPayment> open;
        await using (AsyncServiceScope scope = host.Services.CreateAsyncScope())
        {
            open = await scope.ServiceProvider.GetRequiredService<IAlipayHkPayPaymentStore>().ListOpenAsync(MaxOpenSales, cancellationToken);
        }

        if (open.Count > 0)
        {
            output.WriteLine($"Checking {Count(open.Count, "sale")} left open by an earlier run…");
        }

        var stillOpen = new List<string>();
        int unanswered = 0;
        foreach (TrackedPayment payment in open)
        {
            PaymentReference reference = payment.OrderId is { Length: > 0 } orderId
                ? PaymentReference.ByOrderId(orderId)
                : PaymentReference.ByMerchantOrderId(payment.MerchantOrderId);
            try
            {
                // A final answer runs the outcome handler (RecordSale) before it returns: the sale is booked.
                PaymentIntent now = await host.Client.GetPaymentAsync(reference, cancellationToken);
                if (!now.IsFinal)
                {
                    stillOpen.Add($"{Describe(payment)}: {now.RawStatus} at the gateway. The next start checks it again.");
                }
                else if (await host.Sales.FindAsync(payment.MerchantOrderId, cancellationToken) is not { Outcome: not null })
                {
                    stillOpen.Add($"{Describe(payment)}: {now.RawStatus} at the gateway, but the sales book could not record it. The next start tries again.");
                }
            }
            catch (AlipayHkPayApiException ex) when (!ex.IsTransient)
            {
                stillOpen.Add($"{Describe(payment)}: the gateway has no such order ({ex.Message}; code {ex.Code}, rid {ex.RequestId ?? "none"}). If its create never reached the gateway, nobody could pay it.");
            }
            catch (AlipayHkPayException ex)
            {
                unanswered++;
                stillOpen.Add($"{Describe(payment)}: the gateway did not answer ({ex.Message}; rid {ex.RequestId ?? "none"}). The next start asks again.");
            }
        }

        int paid = 0, cancelled = 0;
        foreach (Sale sale in await host.Sales.UnreportedAsync(cancellationToken))
        {
            if (sale.Outcome == SaleOutcome.Paid)
            {
                PrintReceipt(sale);
                paid++;
            }
            else
            {
                output.WriteLine($"Cancelled: merchant order {sale.MerchantOrderId} (order {sale.OrderId}), HKD {Money.Format(sale.Amount)} for \"{sale.Description}\", was closed without payment. The shopper was not charged.");
                cancelled++;
            }

            await host.Sales.MarkReportedAsync(sale.MerchantOrderId, cancellationToken);
        }

        foreach (string line in stillOpen)
        {
            output.WriteLine("Still open: " + line);
        }

        return new RecoveryReport(paid, cancelled, stillOpen.Count - unanswered, unanswered);
    }

    private void PrintReceipt(Sale sale)
    {
        var payment = new PaymentIntent
        {
            OrderId = sale.OrderId ?? "(unknown)",
            MerchantOrderId = sale.MerchantOrderId,
            Amount = sale.Amount,
            Currency = sale.Currency ?? "HKD",
            Status = PaymentStatus.Succeeded,
            RawStatus = "SUCCEEDED",
            PayTime = sale.PaidAt,
            RequestId = sale.RequestId,
        };
        TimeSpan? after = sale.PaidAt is { } paidAt && sale.RecordedAt is { } recordedAt
            ? (recordedAt < paidAt ? TimeSpan.Zero : recordedAt - paidAt)
            : null;
        ReceiptPrinter.Print(
            output,
            payment,
            sale.Description,
            sale.Wallet,
            sale.LearnedBy == PaymentOutcomeSource.Webhook ? PaymentProof.VerifiedWebhook : PaymentProof.QueryOnly,
            learnedBy: LearnedBy(sale.LearnedBy),
            learnedAfter: after,
            recovered: true);
        output.WriteLine();
    }

    /// <summary>How the SDK learned the outcome, in the receipt's words.</summary>
    private static string LearnedBy(PaymentOutcomeSource? source) => source switch
    {
        PaymentOutcomeSource.Webhook => "webhook",
        PaymentOutcomeSource.Wait => "polling",
        PaymentOutcomeSource.Query => "query at start",
        PaymentOutcomeSource.Reconciliation => "reconciler",
        _ => "unknown",
    };

    private string Describe(TrackedPayment payment) =>
        $"merchant order {payment.MerchantOrderId} ({(payment.OrderId is { } orderId ? "order " + orderId : "no gateway order yet")}), HKD {Money.Format(payment.Amount)} for \"{payment.Description}\", started {Ago(payment.CreatedAt)} ago";

    private string Ago(DateTimeOffset at)
    {
        TimeSpan ago = wallClock.GetUtcNow() - at;
        return ago.TotalMinutes < 1
            ? Math.Max(0, (int)ago.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s"
            : ReceiptPrinter.Duration(ago);
    }

    private static string Count(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");
}
