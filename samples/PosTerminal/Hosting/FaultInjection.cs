using System.Globalization;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.Logging;
using PosTerminal.Cli;

namespace PosTerminal.Hosting;

/// <summary>
/// <c>--fault</c>: what each fault sets up in the simulator (and, for a stall, the SDK's attempt timeout), and the
/// simulator's own account of every request it serves, so that the recovery can be watched on screen.
/// </summary>
internal static class FaultInjection
{
    /// <summary>The SDK's attempt timeout with <c>create-timeout</c>: short, so that the stall is over in a moment (the default is 10 s).</summary>
    public static readonly TimeSpan StallAttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long the simulator holds a stalled create's answer: well past <see cref="StallAttemptTimeout"/>. It ends as soon as the SDK gives up.</summary>
    public static readonly TimeSpan StallLength = TimeSpan.FromSeconds(30);

    /// <summary>How many queries <c>gateway-flaky</c> fails: as many as one query's attempts (1 + MaxRetryAttempts, 2 by default).</summary>
    public const int FlakyQueries = 3;

    public static void ConfigureClient(SimulatedGatewayFault fault, AlipayHkPayOptions options)
    {
        switch (fault)
        {
            case SimulatedGatewayFault.CreateTimeout:
                options.AttemptTimeout = StallAttemptTimeout;
                break;
            case SimulatedGatewayFault.GatewayFlaky:
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(200); // A local simulator: retry briskly.
                break;
        }
    }

    public static void ConfigureSimulator(AlipayHkGatewaySimulatorOptions options, Action<string> say)
    {
        options.TimeoutFaultDelay = StallLength;
        options.LoggerFactory = new ServedRequests(say);
    }

    /// <summary>Arms the fault: it strikes the next matching request.</summary>
    public static string Inject(SimulatedGatewayFault fault, AlipayHkGatewaySimulator simulator)
    {
        switch (fault)
        {
            case SimulatedGatewayFault.CreateAnswerLost:
                simulator.FailNext(1, SimulatedFault.BadGatewayAfterProcessing, SimulatedEndpoint.Create);
                return "the simulator will record the next create, then answer it 502 Bad Gateway, as a proxy that lost the gateway's answer.";
            case SimulatedGatewayFault.CreateTimeout:
                simulator.FailNext(1, SimulatedFault.Timeout, SimulatedEndpoint.Create);
                return $"the simulator will record the next create, then hold its answer back past the SDK's attempt timeout ({StallAttemptTimeout.TotalSeconds:0} s here).";
            default:
                simulator.FailNext(FlakyQueries, SimulatedFault.ServerError, SimulatedEndpoint.Query);
                return $"the next {FlakyQueries} queries will fail with 503 Service Unavailable, as from an overloaded load balancer.";
        }
    }

    /// <summary>
    /// The simulator's "served" log line, one line on screen per request: method, path, status and the fault injected.
    /// Every request is shown except routine polling: queries are shown until the first fault, when faulted, and the
    /// first one after a fault (the one that shows the recovery).
    /// </summary>
    private sealed class ServedRequests(Action<string> say) : ILoggerFactory, ILogger
    {
        private const int ServedEventId = 2; // Gateway simulator: {Method} {Path} -> {Status}{FaultNote}
        private const string QueryPath = "/payment_intents/query";

        private readonly Lock _gate = new();
        private bool _faultSeen;
        private bool _recoveryShown;
        private bool _quietSaid;

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != ServedEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                return;
            }

            string Field(string name) => Convert.ToString(fields.FirstOrDefault(f => f.Key == name).Value, CultureInfo.InvariantCulture) ?? string.Empty;
            string path = Field("Path");
            string fault = Field("FaultNote");
            lock (_gate)
            {
                bool show = fault.Length > 0 || !path.EndsWith(QueryPath, StringComparison.Ordinal) || !_faultSeen || !_recoveryShown;
                if (fault.Length > 0)
                {
                    (_faultSeen, _recoveryShown) = (true, false);
                }
                else if (_faultSeen && path.EndsWith(QueryPath, StringComparison.Ordinal))
                {
                    _recoveryShown = true;
                }

                if (show)
                {
                    say($"[simulator] {Field("Method")} {path} -> {Field("Status")}{fault}");
                }
                else if (!_quietSaid)
                {
                    _quietSaid = true;
                    say("[simulator] (the terminal's routine queries from here on are not shown)");
                }
            }
        }
    }
}
