using System.Diagnostics;
using System.Globalization;
using System.Text;
using AlipayHk.Pay;

namespace PosTerminal.Diagnostics;

/// <summary>
/// <c>--trace</c>: the sale's spans, printed when it ends, one line per span, indented by nesting. A plain
/// <see cref="ActivityListener"/> (no OpenTelemetry package) on the SDK's source (<see cref="AlipayHkPayTelemetry.ActivitySourceName"/>)
/// and HttpClient's (<c>System.Net.Http</c>), under a root span for the sale. It also listens to ASP.NET Core's, without
/// printing them, so that the webhook's processing, on the receiver's side of the gateway's callback, joins the trace.
/// Only the sale's trace is kept.
/// </summary>
internal sealed class SaleTrace : IDisposable
{
    public const string SourceName = "PosTerminal";
    private const string HttpClientSource = "System.Net.Http";
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    private static readonly ActivitySource Source = new(SourceName);

    private readonly ActivityListener _listener;
    private readonly List<Activity> _ended = [];
    private ActivityTraceId _traceId;

    private SaleTrace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SourceName or AlipayHkPayTelemetry.ActivitySourceName or HttpClientSource or AspNetCoreSource,
            Sample = Sample,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == _traceId)
                {
                    lock (_ended)
                    {
                        _ended.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        Sale = Source.StartActivity("PosTerminal.Sale")!;
        _traceId = Sale.TraceId;
    }

    /// <summary>The sale's root span: current from here on, in this flow.</summary>
    public Activity Sale { get; }

    /// <summary>Starts listening, and the sale's root span.</summary>
    public static SaleTrace Start() => new();

    /// <summary>Ends the root span and prints every span of the sale that has ended.</summary>
    public void Print(TextWriter output)
    {
        Sale.Stop();
        List<Activity> spans;
        lock (_ended)
        {
            spans = [.. _ended];
        }

        var byId = spans.ToDictionary(s => s.SpanId);
        output.WriteLine();
        output.WriteLine($"Spans of this sale (--trace; {AlipayHkPayTelemetry.ActivitySourceName} and {HttpClientSource}, durations in ms):");
        foreach (Activity span in spans.Where(Printed).OrderBy(s => s.StartTimeUtc))
        {
            output.WriteLine(new string(' ', 2 * Depth(span, byId)) + Line(span));
        }
    }

    public void Dispose()
    {
        Sale.Dispose();
        _listener.Dispose();
    }

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options) =>
        options.Parent.TraceId == _traceId && _traceId != default ? ActivitySamplingResult.AllDataAndRecorded
        : options.Source == Source && options.Parent == default ? ActivitySamplingResult.AllDataAndRecorded // the sale's root
        : ActivitySamplingResult.None;

    private static bool Printed(Activity span) => span.Source.Name != AspNetCoreSource;

    /// <summary>How many printed spans are above <paramref name="span"/>.</summary>
    private static int Depth(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        int depth = 0;
        for (ActivitySpanId parent = span.ParentSpanId; byId.TryGetValue(parent, out Activity? up); parent = up.ParentSpanId)
        {
            depth += Printed(up) ? 1 : 0;
        }

        return depth;
    }

    /// <summary>Name, duration, status, and the attributes that say what happened (never a URL's query: it is not recorded).</summary>
    private static string Line(Activity span)
    {
        var line = new StringBuilder();
        if (span.Source.Name == HttpClientSource)
        {
            string url = span.GetTagItem("url.full") as string ?? string.Empty;
            string path = Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? parsed.AbsolutePath : string.Empty;
            line.Append(span.DisplayName).Append(' ').Append(path);
        }
        else
        {
            line.Append(span.OperationName);
        }

        line.Append("  ").Append(span.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture))
            .Append("  ").Append(span.Status == ActivityStatusCode.Error ? "Error" : "Ok");
        foreach (KeyValuePair<string, object?> tag in span.TagObjects)
        {
            if (tag.Key.StartsWith("alipayhk.", StringComparison.Ordinal) || tag.Key is "error.type" or "http.response.status_code")
            {
                line.Append("  ").Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
            }
        }

        return line.ToString();
    }
}
