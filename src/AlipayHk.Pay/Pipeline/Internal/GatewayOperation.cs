using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Pipeline;

/// <summary>
/// One gateway operation, declared in one place: its name, its retry declaration, its validation, how it is sent (a
/// method of a Refit interface), its wire types and how its answer maps to the result. <see cref="GatewayPipeline"/>
/// runs every operation the same way and gives it what it does not declare: the span and the duration metric, the log
/// lines, the typed errors with the gateway's <c>rid</c>, the redaction, and the recovery hook.
/// </summary>
/// <remarks>docs/architecture.md, "Add an operation", walks through adding one.</remarks>
/// <typeparam name="TApi">The Refit interface the operation's method is on.</typeparam>
/// <typeparam name="TRequest">What the caller passes.</typeparam>
/// <typeparam name="TData">The envelope's <c>data</c> on the wire.</typeparam>
/// <typeparam name="TResult">What the caller gets.</typeparam>
internal abstract class GatewayOperation<TApi, TRequest, TData, TResult>
    where TApi : class
    where TData : class
{
    /// <summary>The operation's telemetry name: the span <c>AlipayHkPay.{Name}</c>, the metric tag <c>alipayhk.operation</c>.</summary>
    internal abstract string Name { get; }

    /// <summary>How messages name one call, in lower case: <c>the create</c>.</summary>
    internal abstract string Noun { get; }

    /// <summary>Whether the request may be sent again after a transient failure. Sent with the request.</summary>
    internal abstract GatewayRetry Retry { get; }

    /// <summary>The source-generated JSON metadata of the request body and of <see cref="Envelope"/>.</summary>
    internal abstract JsonSerializerContext Json { get; }

    /// <summary>The answer's type on the wire.</summary>
    internal abstract JsonTypeInfo<GatewayEnvelope<TData>> Envelope { get; }

    /// <summary>Whether <see cref="RecoverAsync"/> replaces a transient failure's exception.</summary>
    internal virtual bool Recovers => false;

    /// <summary>Checks the request before anything is sent; throws an <see cref="ArgumentException"/> naming the field.</summary>
    internal virtual void Validate(TRequest request)
    {
    }

    /// <summary>How log lines name the request: no secret, no QR code URL.</summary>
    internal abstract string Describe(TRequest request);

    /// <summary>Sends the request through <paramref name="api"/>, passing <paramref name="retry"/> as the method's retry property.</summary>
    internal abstract Task<HttpResponseMessage> SendAsync(TApi api, TRequest request, GatewayRetry retry, CancellationToken cancellationToken);

    /// <summary>The caller's result from the answer's <c>data</c> and <c>rid</c>. Lenient: an odd field is logged with <paramref name="logger"/>, never fatal.</summary>
    internal abstract TResult Map(TData data, string? requestId, ILogger logger);

    /// <summary>How the success log line describes the result (no secret, no QR code URL).</summary>
    internal abstract string Summarize(TResult result);

    /// <summary>Sets the request's attributes on the operation's span.</summary>
    internal virtual void TagRequest(Activity span, TRequest request)
    {
    }

    /// <summary>Sets the result's attributes on the operation's span (never a secret or the QR code URL).</summary>
    internal virtual void TagResult(Activity span, TResult result)
    {
    }

    /// <summary>
    /// The recovery hook, when <see cref="Recovers"/>: called instead of failing when the call failed transiently (its
    /// outcome is unknown). It may send more requests through <paramref name="pipeline"/> (in the same span).
    /// </summary>
    internal virtual Task<TResult> RecoverAsync(GatewayPipeline pipeline, TRequest request, AlipayHkPayException interrupted, Activity? span, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Name} declares no recovery.");
}
