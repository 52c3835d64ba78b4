using System.Diagnostics;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Http;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// The SDK's client: the three public operations, each validated, logged and timed. The wire calls are in
/// <see cref="PaymentsGateway"/>, an interrupted create's recovery in <see cref="CreateRecovery"/>, and polling in
/// <see cref="CompletionPoller"/>.
/// </summary>
internal sealed class AlipayHkPayClient : IAlipayHkPayClient
{
    private const string CurrencyHkd = "HKD";
    private const string ChannelAlipayHk = "alipayhk";
    private const string FlowCsbQrCode = "csb_qrcode";
    private const string CreateSpan = TelemetryNames.SpanPrefix + TelemetryNames.CreatePayment;
    private const string GetSpan = TelemetryNames.SpanPrefix + TelemetryNames.GetPayment;
    private const string WaitSpan = TelemetryNames.SpanPrefix + TelemetryNames.WaitForCompletion;

    private readonly PaymentsGateway _gateway;
    private readonly CreateRecovery _recovery;
    private readonly CompletionPoller _poller;
    private readonly Merchant _account;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AlipayHkPayInstruments _instruments;
    private readonly string? _merchant;

    public AlipayHkPayClient(
        IAlipayHkPaymentsApi api,
        Merchant merchant,
        TimeProvider timeProvider,
        ILogger<AlipayHkPayClient> logger,
        AlipayHkPayInstruments instruments,
        IAlipayHkPayCompletionSignals signals)
    {
        _instruments = instruments;
        _account = merchant;
        _merchant = merchant.Name;
        _timeProvider = timeProvider;
        _logger = logger;
        _gateway = new PaymentsGateway(api, logger);
        _recovery = new CreateRecovery(_gateway, instruments, _merchant);
        _poller = new CompletionPoller(this, signals, _merchant, timeProvider, logger);
    }

    public async Task<PaymentIntent> CreatePaymentAsync(CreatePaymentRequest request, CancellationToken cancellationToken = default)
    {
        PaymentValidation.Validate(request);
        CreatePaymentIntentBody body = ToBody(request);
        long started = _timeProvider.GetTimestamp();
        OperationScope scope = OperationScope.Start(_instruments, TelemetryNames.CreatePayment, CreateSpan, ActivityKind.Client, _merchant);
        scope.SetTag(TelemetryNames.MerchantOrderId, body.MerchantOrderId);
        try
        {
            PaymentIntent created;
            try
            {
                created = _gateway.ToIntent(await _gateway.SendCreateAsync(body, cancellationToken).ConfigureAwait(false));
            }
            catch (AlipayHkPayException interrupted) when (interrupted.IsTransient)
            {
                created = await _recovery.RecoverAsync(body, interrupted, scope.Activity, cancellationToken).ConfigureAwait(false);
            }

            scope.SetPayment(created);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                // Guarded: the elapsed time is only read when the line is written.
                Log.CallSucceeded(_logger, "create", body.MerchantOrderId, Elapsed(started), created.OrderId, created.RawStatus, created.RequestId);
            }

            return created;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            if (ex is AlipayHkPayException failure)
            {
                LogFailure("create", body.MerchantOrderId, started, failure);
            }

            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }

    public async Task<PaymentIntent> GetPaymentAsync(PaymentReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        long started = _timeProvider.GetTimestamp();
        OperationScope scope = OperationScope.Start(_instruments, TelemetryNames.GetPayment, GetSpan, ActivityKind.Client, _merchant);
        scope.SetTag(TelemetryNames.OrderId, reference.OrderId);
        scope.SetTag(TelemetryNames.MerchantOrderId, reference.MerchantOrderId);
        try
        {
            PaymentIntent intent = _gateway.ToIntent(await _gateway.SendQueryAsync(reference.OrderId, reference.MerchantOrderId, cancellationToken).ConfigureAwait(false));
            scope.SetPayment(intent);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                // Guarded: the reference's text and the elapsed time are only built when the line is written.
                Log.CallSucceeded(_logger, "query", reference.ToString(), Elapsed(started), intent.OrderId, intent.RawStatus, intent.RequestId);
            }

            return intent;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            if (ex is AlipayHkPayException failure)
            {
                LogFailure("query", reference.ToString(), started, failure);
            }

            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }

    public async Task<PaymentIntent> WaitForCompletionAsync(PaymentReference reference, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        OperationScope scope = OperationScope.Start(_instruments, TelemetryNames.WaitForCompletion, WaitSpan, ActivityKind.Internal, _merchant);
        scope.SetTag(TelemetryNames.OrderId, reference.OrderId);
        scope.SetTag(TelemetryNames.MerchantOrderId, reference.MerchantOrderId);
        try
        {
            PaymentIntent outcome = await _poller.WaitAsync(reference, timeout, _account.Options, cancellationToken).ConfigureAwait(false);
            scope.SetPayment(outcome);
            return outcome;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }

    private static CreatePaymentIntentBody ToBody(CreatePaymentRequest request) => new()
    {
        Amount = AmountFormat.Format(request.Amount),
        Currency = CurrencyHkd,
        MerchantOrderId = request.MerchantOrderId,
        PaymentMethod = request.Wallet == AlipayHkWallet.AlipayHk ? AlipayHkMethod : AlipayCnMethod,
        Description = request.Description,
        NotifyUrl = request.NotifyUrl?.AbsoluteUri,
    };

    /// <summary>The <c>payment_method</c> of an in-store QR create for each wallet: constant, so built once (init-only).</summary>
    private static readonly PaymentMethodBody AlipayHkMethod = QrCodeMethod("ALIPAYHK");

    private static readonly PaymentMethodBody AlipayCnMethod = QrCodeMethod("ALIPAYCN");

    private static PaymentMethodBody QrCodeMethod(string wallet) => new()
    {
        Type = ChannelAlipayHk,
        AlipayHk = new AlipayHkMethodBody { Flow = FlowCsbQrCode, PaymentMethod = wallet },
    };

    private double Elapsed(long started) => _timeProvider.GetElapsedTime(started).TotalMilliseconds;

    private void LogFailure(string operation, string reference, long started, AlipayHkPayException ex) =>
        Log.CallFailed(_logger, operation, reference, Elapsed(started), (int?)ex.StatusCode, ex.RequestId, ex.Message);
}
