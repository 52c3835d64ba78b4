using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using AlipayHk.Pay;
using Microsoft.EntityFrameworkCore;
using PosTerminal.Cli;
using PosTerminal.Hosting;
using PosTerminal.Progress;
using PosTerminal.Qr;
using PosTerminal.Receipt;

namespace PosTerminal;

/// <summary>
/// One sale: create the payment, draw its QR code, wait (for the confirmed webhook, a final status by query, or the
/// timeout, whichever comes first), then print the receipt or say why there is none. When a create's answer was lost
/// and the SDK found the order by query (so without its QR code), the sale starts again under a new merchant order id.
/// </summary>
internal sealed class PosFlow(PosEnvironment environment, TerminalHost host, StatusLine status)
{
    /// <summary>How many sales may lose their QR code in a row before the terminal gives up.</summary>
    private const int MaxLostQrCodes = 3;

    private readonly TextWriter _out = environment.Output;
    private readonly TextWriter _error = environment.Error;

    /// <summary>The orders this sale replaces: created, but their QR code was lost with the create's answer.</summary>
    private readonly List<PaymentIntent> _replaced = [];

    /// <summary>Runs the sale.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public async Task<int> RunAsync(PosOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string merchantOrderId = options.MerchantOrderId ?? NewMerchantOrderId();
        PaymentIntent created;
        while (true)
        {
            var request = new CreatePaymentRequest
            {
                Amount = options.Amount,
                MerchantOrderId = merchantOrderId,
                Description = options.Description,
                Wallet = options.Wallet,
                NotifyUrl = host.NotifyUrl,
            };

            _out.WriteLine($"Creating a payment of HKD {Money.Format(request.Amount)} for \"{request.Description}\" (merchant order {request.MerchantOrderId})…");
            try
            {
                // The sale goes into the book first; the SDK then records its payment, before the create is sent.
                await host.Sales.BeginAsync(request, cancellationToken);
                created = await host.Client.CreatePaymentAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException)
            {
                _error.WriteLine($"The sale was not sent: the sales database cannot record it ({ex.Message}).");
                return ExitCodes.GatewayError;
            }
            catch (AlipayHkPayException ex)
            {
                return GatewayFailed("create the payment", ex);
            }
            catch (ArgumentException ex)
            {
                // The SDK checks every field before sending anything, and names the one it refuses.
                _error.WriteLine($"The sale was not sent: {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Interrupted(request.MerchantOrderId);
            }

            if (!created.IsRecovered || created.HasQrCode)
            {
                break;
            }

            // The create's answer was lost, and the SDK found the order by query: a query's answer has no QR code.
            if (created.IsFinal)
            {
                return await ReportedAsync(RecoveredFinal(created, options), created.MerchantOrderId);
            }

            if (_replaced.Count == MaxLostQrCodes - 1)
            {
                _error.WriteLine($"The QR code of {MaxLostQrCodes} orders in a row was lost with the interrupted answer (the last: order {created.OrderId}, merchant order {created.MerchantOrderId}; rid {created.RequestId ?? "none"}). None was shown, so none can be paid; the gateway closes them by itself. Check the connection to the gateway.");
                return ExitCodes.GatewayError;
            }

            // It was never shown, so nobody can pay it: a new sale under a new merchant order id cannot charge twice.
            _replaced.Add(created);
            merchantOrderId = NewMerchantOrderId();
            _out.WriteLine($"The QR code of order {created.OrderId} (merchant order {created.MerchantOrderId}) was lost with the interrupted answer; starting a new sale as merchant order {merchantOrderId}. The lost order stays unpaid and the gateway closes it by itself.");
            if (options.MerchantOrderId is not null && _replaced.Count == 1)
            {
                _out.WriteLine($"Note: merchant order {options.MerchantOrderId} came from --order-id. If an earlier run already showed its QR code, the shopper may still pay that one: check it before you charge again.");
            }
        }

        if (created.NextAction?.Url is not { } qrContent)
        {
            _error.WriteLine($"The gateway created order {created.OrderId} but sent no QR code to show (next action: {created.NextAction?.Type ?? "none"}; rid {created.RequestId ?? "none"}).");
            return ExitCodes.GatewayError;
        }

        _out.WriteLine($"Created gateway order {created.OrderId}: {created.RawStatus}.");
        _out.WriteLine();
        _out.WriteLine("Scan to pay with " + (options.Wallet == AlipayHkWallet.AlipayCn ? "Alipay" : "AlipayHK") + ":");
        _out.WriteLine();
        foreach (string line in QrCodeRenderer.Render(qrContent.AbsoluteUri))
        {
            _out.WriteLine("  " + line);
        }

        _out.WriteLine();
        _out.WriteLine("  " + qrContent.AbsoluteUri);
        _out.WriteLine();
        return await WaitAsync(options, created, cancellationToken);
    }

    private async Task<int> WaitAsync(PosOptions options, PaymentIntent created, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = waiting.Token;

        // The SDK's webhook endpoint announces each payment it confirmed final: that ends the wait below at once. The
        // terminal listens as well, to tell on the receipt whether the webhook or a poll brought the news.
        var heard = new TaskCompletionSource<Learned>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable listening = host.Signals.Subscribe(null, PaymentReference.ByOrderId(created.OrderId), payment =>
        {
            if (payment.IsFinal)
            {
                heard.TrySetResult(new Learned(payment, PaymentProof.VerifiedWebhook, environment.WallClock.GetUtcNow()));
            }
        });
        Task<Learned> webhook = heard.Task;

        // Every timer (shopper, deadline, progress) is armed before the "Waiting" line is written: tests advance the clock on it.
        Task shopper = Task.CompletedTask;
        if (host.Simulator is { } simulator)
        {
            status.Say(options.Shopper switch
            {
                ShopperBehaviour.Pays => $"The simulated shopper pays in {Seconds(options.PayAfter)} (or open the URL above in a browser and press Pay).",
                ShopperBehaviour.Cancels => $"The simulated shopper gives up in {Seconds(options.PayAfter)}.",
                _ => "The simulated shopper will not pay.",
            });
            shopper = SimulatedShopper.RunAsync(simulator, created.OrderId, options.Shopper, options.PayAfter, environment.Time, status.Say, token);
        }

        Task deadline = Task.Delay(options.Timeout, environment.Time, token);
        Task<PaymentIntent> polled = host.Client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), options.Timeout, token);
        Task progress = status.RunAsync("waiting for the shopper", token);
        status.Say($"Waiting for the shopper to scan and pay (up to {Seconds(options.Timeout)})…");

        Func<int> report;
        try
        {
            report = await DecideAsync(options, created, status, webhook, polled, deadline, cancellationToken, token);
        }
        finally
        {
            // Stop the spinner, the shopper and the polling before anything else is printed.
            await waiting.CancelAsync();
            await QuietlyAsync(progress, shopper, polled);
        }

        return await ReportedAsync(report(), created.MerchantOrderId);
    }

    /// <summary>
    /// A receipt printed, or a cancellation shown: marked so in the sales book, so that no later start shows it again.
    /// Any other end (timed out, stopped, a gateway error) leaves the sale open, for the next start to resolve.
    /// </summary>
    private async Task<int> ReportedAsync(int exitCode, string merchantOrderId)
    {
        if (exitCode is ExitCodes.Paid or ExitCodes.Cancelled)
        {
            try
            {
                await host.Sales.MarkReportedAsync(merchantOrderId, CancellationToken.None);
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException)
            {
                _error.WriteLine($"Warning: the sales book could not record that sale {merchantOrderId} was shown ({ex.Message}); the next start shows it again, marked recovered.");
            }
        }

        return exitCode;
    }

    /// <summary>Waits for the first outcome, and returns what to report once the waiting has stopped.</summary>
    private async Task<Func<int>> DecideAsync(
        PosOptions options,
        PaymentIntent created,
        StatusLine status,
        Task<Learned> webhook,
        Task<PaymentIntent> polled,
        Task deadline,
        CancellationToken interrupted,
        CancellationToken waiting)
    {
        Task first = await Task.WhenAny(webhook, polled, deadline);
        if (interrupted.IsCancellationRequested)
        {
            return () => Interrupted(created.MerchantOrderId);
        }

        if (webhook.IsCompletedSuccessfully)
        {
            // The webhook's announcement also ends the SDK's wait: whichever of the two came back first, it was the webhook.
            Learned byWebhook = await webhook;
            return () => Finish(byWebhook, options);
        }

        if (first == deadline)
        {
            return () => TimedOut(options, created);
        }

        PaymentIntent final;
        try
        {
            final = await polled;
        }
        catch (AlipayHkPayException ex)
        {
            return () => GatewayFailed("confirm the payment", ex);
        }

        var byPolling = new Learned(final, PaymentProof.QueryOnly, environment.WallClock.GetUtcNow());
        switch (final.Status)
        {
            case PaymentStatus.Cancelled:
                return () => Cancelled(final);
            case PaymentStatus.Succeeded:
                // Paid, by query. The receipt waits for the webhook: it proves the callback path works too.
                // With outcomes on, a webhook that comes after the wait handled the payment is a duplicate, and
                // announces nothing: the receiver's watch still sees it verified.
                Task grace = Task.Delay(options.WebhookGrace, environment.Time, waiting);
                Task verified = host.Webhooks.SeenAsync(created.OrderId);
                status.Say("The gateway reports the payment as paid; waiting for its webhook…");
                await Task.WhenAny(webhook, verified, grace);
                if (webhook.IsCompletedSuccessfully)
                {
                    Learned confirmed = await webhook;
                    return () => Finish(byPolling with { Proof = confirmed.Proof, Payment = confirmed.Payment }, options);
                }

                if (verified.IsCompleted)
                {
                    return () => Finish(byPolling with { Proof = PaymentProof.VerifiedWebhook }, options);
                }

                if (interrupted.IsCancellationRequested)
                {
                    return () => Interrupted(created.MerchantOrderId);
                }

                status.Say($"Warning: no webhook within {Seconds(options.WebhookGrace)}. Check that the gateway can reach {host.NotifyUrl}.");
                return () => Finish(byPolling, options);
            default:
                // Polling gave up while the payment was still pending: its wait has the same length as ours, but
                // should it end early, a webhook may still come before the deadline.
                await Task.WhenAny(webhook, deadline);
                if (webhook.IsCompletedSuccessfully)
                {
                    Learned late = await webhook;
                    return () => Finish(late, options);
                }

                return interrupted.IsCancellationRequested ? () => Interrupted(created.MerchantOrderId) : () => TimedOut(options, created);
        }
    }

    /// <summary>Prints the receipt of a paid payment, or reports a cancelled one.</summary>
    private int Finish(Learned learned, PosOptions options)
    {
        PaymentIntent payment = learned.Payment; // Only final payments are announced, or returned by a wait that did not time out.
        if (payment.Status != PaymentStatus.Succeeded)
        {
            return Cancelled(payment);
        }

        ReceiptPrinter.Print(_out, payment, options.Description, options.Wallet, learned.Proof, _replaced, learned.Source, learned.AfterPayment);
        return ExitCodes.Paid;
    }

    /// <summary>
    /// How the terminal learnt the outcome: from the webhook's announcement (<see cref="PaymentProof.VerifiedWebhook"/>)
    /// or from a poll, and when (by the wall clock, to compare with the gateway's pay time).
    /// </summary>
    private sealed record Learned(PaymentIntent Payment, PaymentProof Proof, DateTimeOffset At)
    {
        /// <summary>What brought the news first: <c>webhook</c> or <c>polling</c>.</summary>
        public string Source { get; init; } = Proof == PaymentProof.VerifiedWebhook ? "webhook" : "polling";

        /// <summary>How long after the gateway's pay time the terminal knew; <see langword="null"/> without a pay time.</summary>
        public TimeSpan? AfterPayment => Payment.PayTime is { } paid ? (At - paid < TimeSpan.Zero ? TimeSpan.Zero : At - paid) : null;
    }

    /// <summary>A recovered order that is already paid or closed: an earlier call with the same merchant order id showed its QR code.</summary>
    private int RecoveredFinal(PaymentIntent recovered, PosOptions options)
    {
        if (recovered.Status != PaymentStatus.Succeeded)
        {
            return Cancelled(recovered);
        }

        _out.WriteLine($"Order {recovered.OrderId} (merchant order {recovered.MerchantOrderId}) is already paid: an earlier call with this merchant order id showed its QR code. No new sale is started.");
        ReceiptPrinter.Print(_out, recovered, options.Description, options.Wallet, PaymentProof.QueryOnly, _replaced, "query at create", null);
        return ExitCodes.Paid;
    }

    private int Cancelled(PaymentIntent payment)
    {
        _error.WriteLine($"Payment was cancelled: order {payment.OrderId} (merchant order {payment.MerchantOrderId}) was closed without payment. The shopper was not charged.");
        return ExitCodes.Cancelled;
    }

    private int TimedOut(PosOptions options, PaymentIntent created)
    {
        _error.WriteLine($"No payment within {Seconds(options.Timeout)}: order {created.OrderId} (merchant order {created.MerchantOrderId}) is still unpaid. The gateway closes unpaid orders by itself; start a new sale to try again.");
        return ExitCodes.TimedOut;
    }

    private int GatewayFailed(string what, AlipayHkPayException ex)
    {
        string code = ex is AlipayHkPayApiException api ? $"code {api.Code}, " : string.Empty;
        _error.WriteLine($"Could not {what}: {ex.Message} ({code}rid {ex.RequestId ?? "none"}).");
        return ExitCodes.GatewayError;
    }

    private int Interrupted(string merchantOrderId)
    {
        _error.WriteLine($"Stopped. Merchant order {merchantOrderId} may still be open at the gateway; it closes unpaid orders by itself.");
        return ExitCodes.Interrupted;
    }

    private static async Task QuietlyAsync(params Task[] tasks)
    {
        foreach (Task task in tasks)
        {
            try
            {
                await task;
            }
            catch (Exception ex) when (ex is OperationCanceledException or AlipayHkPayException)
            {
                // Stopped, or its failure is already reported.
            }
        }
    }

    private static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds >= 1 && duration.TotalSeconds == Math.Floor(duration.TotalSeconds)
            ? duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s"
            : duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms";

    private string NewMerchantOrderId() =>
        "POS-" + environment.Time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + RandomNumberGenerator.GetHexString(4);
}
