using System.Diagnostics;

namespace AlipayHk.Pay.Diagnostics;

/// <summary>
/// One public operation's span and duration measurement. A struct, and every member checks whether anyone listens
/// first: with no listener on the source and the meter, a scope costs two timestamps and no allocation.
/// </summary>
internal struct OperationScope(AlipayHkPayInstruments instruments, string operation, string? merchant, Activity? activity)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _errorType;

    /// <summary>The operation's span, or <see langword="null"/> when nobody listens.</summary>
    internal Activity? Activity { get; } = activity;

    /// <summary>Starts the span <c>AlipayHkPay.{operation}</c> (its name is only built when someone listens) and the duration measurement.</summary>
    internal static OperationScope Start(AlipayHkPayInstruments instruments, string operation, ActivityKind kind, string? merchant)
    {
        Activity? activity = AlipayHkPayInstruments.Source.HasListeners()
            ? AlipayHkPayInstruments.Source.StartActivity(TelemetryNames.SpanPrefix + operation, kind)
            : null;
        if (activity is not null && merchant is not null)
        {
            activity.SetTag(TelemetryNames.Merchant, merchant);
        }

        return new OperationScope(instruments, operation, merchant, activity);
    }

    internal readonly void SetTag(string name, string? value)
    {
        if (value is not null)
        {
            Activity?.SetTag(name, value);
        }
    }

    /// <summary>
    /// Marks the operation failed: <c>error.type</c>, the rid when the gateway sent one, status Error. A cancelled call
    /// is tagged <c>cancelled</c> but not marked an error: the caller gave up (a wait the webhook beat, a shutdown).
    /// </summary>
    internal void Fail(Exception exception)
    {
        _errorType = ErrorTypes.Of(exception);
        if (Activity is { } activity)
        {
            activity.SetTag(TelemetryNames.ErrorType, _errorType);
            if (exception is OperationCanceledException)
            {
                return;
            }

            if (exception is AlipayHkPayException { RequestId: { } rid })
            {
                activity.SetTag(TelemetryNames.RequestId, rid);
            }

            // The message, never the exception: SDK messages carry no secret, but an inner exception's might.
            activity.SetStatus(ActivityStatusCode.Error, exception is AlipayHkPayException ? exception.Message : _errorType);
        }
    }

    /// <summary>Ends the span and records the duration.</summary>
    internal readonly void Dispose()
    {
        if (instruments.OperationDuration.Enabled)
        {
            instruments.OperationDuration.Record(
                Stopwatch.GetElapsedTime(_started).TotalSeconds,
                AlipayHkPayInstruments.Tags(merchant, TelemetryNames.Operation, operation, TelemetryNames.ErrorType, _errorType));
        }

        Activity?.Dispose();
    }
}
