using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace AlipayHk.Pay.Tests.Diagnostics;

/// <summary>
/// The real OpenTelemetry SDK, as an app turns it on (<c>AddSource(AlipayHkPayTelemetry.ActivitySourceName)</c>, plus
/// HttpClient's <c>System.Net.Http</c>), exporting to memory. Each test runs under a root span of its own and keeps only
/// the spans of that trace: tests in other classes run at the same time, and every provider sees every span.
/// </summary>
internal sealed class TraceCapture : IDisposable
{
    internal const string HttpClientSource = "System.Net.Http";

    private static readonly ActivitySource TestSource = new("AlipayHk.Pay.Tests");

    private readonly List<Activity> _exported = [];
    private readonly TracerProvider _provider;

    public TraceCapture()
    {
        var traceId = ActivityTraceId.CreateRandom();
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(TestSource.Name)
            .AddSource(AlipayHkPayTelemetry.ActivitySourceName)
            .AddSource(HttpClientSource)
            .AddProcessor(new OwnTrace(traceId, new SimpleActivityExportProcessor(new InMemoryExporter<Activity>(_exported)), _exported))
            .Build()!;

        // A root of the test's own: everything the SDK does inside it is in this trace.
        Root = TestSource.StartActivity("test", ActivityKind.Internal, new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded))!;
    }

    public Activity Root { get; }

    /// <summary>The spans of this test's trace that have ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_exported)
            {
                return [.. _exported.Where(a => a != Root)];
            }
        }
    }

    /// <summary>The SDK's spans with this name.</summary>
    public IReadOnlyList<Activity> Named(string name) => [.. Spans.Where(a => a.Source.Name == AlipayHkPayTelemetry.ActivitySourceName && a.OperationName == name)];

    /// <summary>HttpClient's per-attempt spans.</summary>
    public IReadOnlyList<Activity> HttpSpans => [.. Spans.Where(a => a.Source.Name == HttpClientSource)];

    /// <summary>The spans whose parent is <paramref name="parent"/>.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) => [.. Spans.Where(a => a.ParentSpanId == parent.SpanId)];

    /// <summary>Whether <paramref name="ancestor"/> is above <paramref name="span"/>, however deep.</summary>
    public bool IsUnder(Activity span, Activity ancestor)
    {
        Dictionary<ActivitySpanId, Activity> bySpan = Spans.ToDictionary(a => a.SpanId);
        for (ActivitySpanId parent = span.ParentSpanId; bySpan.TryGetValue(parent, out Activity? up); parent = up.ParentSpanId)
        {
            if (up == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        Root.Dispose();
        _provider.Dispose();
    }

    /// <summary>Passes on only the spans of one trace.</summary>
    private sealed class OwnTrace(ActivityTraceId traceId, BaseProcessor<Activity> inner, object gate) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.TraceId == traceId)
            {
                // The exporter's list is read by the test while spans of this trace may still end on other threads.
                lock (gate)
                {
                    inner.OnEnd(data);
                }
            }
        }

        protected override bool OnForceFlush(int timeoutMilliseconds) => inner.ForceFlush(timeoutMilliseconds);

        protected override bool OnShutdown(int timeoutMilliseconds) => inner.Shutdown(timeoutMilliseconds);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
