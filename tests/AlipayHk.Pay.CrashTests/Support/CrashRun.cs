using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using AlipayHk.Pay.CrashTests.App;
using AlipayHk.Pay.Testing;
using Microsoft.EntityFrameworkCore;

namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>What one crash run does: how many instances on which database, how many sales and kills at least, and the bound on resolution.</summary>
internal sealed record CrashSetup
{
    public required string Variant { get; init; }

    public required int Instances { get; init; }

    public required int CashiersPerInstance { get; init; }

    /// <summary>Sales the gateway must have at least (the cashiers go on until then, and until <see cref="MinKills"/>).</summary>
    public required int Sales { get; init; }

    public required int MinKills { get; init; }

    /// <summary>How many new sales at the gateway between two kills: a random number between these.</summary>
    public required (int Min, int Max) SalesPerKill { get; init; }

    /// <summary>
    /// Every open sale resolved within this after the last restart: every order the gateway holds final in the books,
    /// every payment the store tracks closed (final, or found never created).
    /// </summary>
    public required TimeSpan ResolutionBound { get; init; }

    /// <summary>Whether every callback goes to two instances (the one that created the payment and the next).</summary>
    public required bool CallbacksToTwo { get; init; }

    /// <summary>The app's database settings (<c>Crash__Database</c>, <c>Crash__ConnectionString</c>).</summary>
    public required IReadOnlyDictionary<string, string> Database { get; init; }

    /// <summary>A context on the same database, for the test to read the books and the store.</summary>
    public required Func<ShopDb> OpenDb { get; init; }
}

/// <summary>
/// One crash run: the simulator (in this process, on 127.0.0.1) with callbacks lost, delayed and duplicated
/// (<see cref="ChaosCallbacks"/>) and shoppers who pay, cancel or walk away (<see cref="Shoppers"/>); the merchant app as
/// real child processes on one database; cashiers selling through it; and a monkey that kills an instance with SIGKILL
/// at random moments (right after it starts a create, starts a handler run, starts a wait, or anywhere) and restarts it
/// each time. When the sales are made, every instance is killed and restarted once more (the last restart), and the run
/// waits for every open sale to be resolved, then for the gateway's callbacks to be over, and reads the books.
/// </summary>
internal static class CrashRun
{
    private const string Anywhere = "ANYWHERE";
    private static readonly string[] KillKinds = [Markers.Create, Markers.Handle, Markers.Wait, Anywhere];

    internal static async Task<CrashReport> RunAsync(CrashSetup setup, CancellationToken ct)
    {
        var chance = new Chance(Chance.NewSeed());
        var report = new CrashReport { Variant = setup.Variant, Seed = chance.Seed };
        long runStarted = Stopwatch.GetTimestamp();
        AppProcess[] instances = [];
        using var chaos = new ChaosCallbacks(chance, notifyUrl =>
        {
            int i = Array.FindIndex(instances, a => a.Port == notifyUrl.Port);
            return setup.CallbacksToTwo ? [instances[i].Address, instances[(i + 1) % instances.Length].Address] : [instances[i].Address];
        });
        await using AlipayHkGatewaySimulator simulator = await AlipayHkGatewaySimulator.StartAsync(
            new AlipayHkGatewaySimulatorOptions
            {
                CallbackHandler = chaos,
                CallbackRetryDelays = [TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300)],
                CallbackTimeScale = 0.01, // five notifications: at once, then 150 ms, 450 ms, 1.05 s and 4.05 s after
                PaymentTimeout = TimeSpan.FromSeconds(3),
            },
            ct);
        var sdk = new AlipayHkPayOptions();
        simulator.ConfigureClient(sdk);
        instances = [.. Enumerable.Range(0, setup.Instances).Select(i => AppProcess.Create(((char)('a' + i)).ToString(), address =>
            new Dictionary<string, string>(setup.Database)
            {
                ["AlipayHkPay__BaseAddress"] = sdk.BaseAddress!.AbsoluteUri,
                ["AlipayHkPay__Uid"] = sdk.Uid!,
                ["AlipayHkPay__ClientSecret"] = sdk.ClientSecret!,
                ["AlipayHkPay__WebhookKey"] = sdk.WebhookKey!,
                ["AlipayHkPay__WebhookSignatureHeader"] = sdk.WebhookSignatureHeader,
                ["Crash__Instance"] = ((char)('a' + i)).ToString(),
                ["Crash__NotifyUrl"] = new Uri(address, "/notify").AbsoluteUri,
            }))];
        try
        {
            await Task.WhenAll(instances.Select(i => i.StartAsync()));
            await using (var shoppers = new Shoppers(simulator, chance))
            {
                await SellAndKillAsync(setup, simulator, instances, chance, report, ct);

                // The last restart: every instance killed at once, wherever it is, and started again.
                await Task.WhenAll(instances.Select(i => i.KillAsync()));
                report.Kills[Anywhere + " (the last restart)"] = instances.Length;
                long lastRestart = Stopwatch.GetTimestamp();
                await Task.WhenAll(instances.Select(i => i.StartAsync()));
                await ResolveAsync(setup, simulator, report, lastRestart, ct);
                (report.Paying, report.Cancelling, report.WalkingAway) = (shoppers.Paying, shoppers.Cancelling, shoppers.WalkingAway);
            }

            // No callback in flight or still to come: the books can change no more.
            await SettleAsync(simulator, chaos, ct);
            await ReadBooksAsync(setup, simulator, report, ct);
            report.Callbacks = (chaos.Attempts, chaos.Forwarded, chaos.Refused);
            report.Fates = chaos.Fates;
            report.Starts = instances.Sum(i => i.Starts);
            report.MeanStart = instances.Aggregate(TimeSpan.Zero, (sum, i) => sum + i.StartingTime) / Math.Max(1, report.Starts);
            report.UnexpectedExits = [.. instances.SelectMany(i => i.UnexpectedExits)];
            report.RunTime = Stopwatch.GetElapsedTime(runStarted);
            if (Environment.GetEnvironmentVariable("ALIPAYHK_CRASH_LOGS") is { Length: > 0 } logs)
            {
                await File.WriteAllLinesAsync(Path.Combine(logs, "gateway-journal.log"), simulator.Journal.Select(e => $"{e.Timestamp:HH:mm:ss.fff} {e.Path} {e.Body} -> {e.StatusCode} {e.ResponseBody}"), ct);
            }

            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"The crash run failed (seed {chance.Seed}: ALIPAYHK_CRASH_SEED={chance.Seed} replays its decisions). {ex.Message}\n"
                + string.Join("\n", instances.Select(i => $"--- instance {i.Name}, last lines:\n{i.Output}")), ex);
        }
        finally
        {
            await Task.WhenAll(instances.Select(i => i.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The cashiers sell until the gateway has the sales and the monkey has made its kills; the monkey kills meanwhile.</summary>
    private static async Task SellAndKillAsync(CrashSetup setup, AlipayHkGatewaySimulator simulator, AppProcess[] instances, Chance chance, CrashReport report, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        int issued = 0;
        int kills = 0;
        bool Done() => (simulator.Payments.Count >= setup.Sales && Volatile.Read(ref kills) >= setup.MinKills) || Volatile.Read(ref issued) >= setup.Sales * 3;
        using var selling = CancellationTokenSource.CreateLinkedTokenSource(ct);

        async Task CashierAsync(AppProcess till)
        {
            while (!Done())
            {
                string order = $"S{Interlocked.Increment(ref issued).ToString("D5", CultureInfo.InvariantCulture)}";
                int wait = chance.Between(100, 800);
                while (true)
                {
                    await till.Up.WaitAsync(TimeSpan.FromSeconds(120), ct);
                    try
                    {
                        // A connection per sale: HttpClient never re-sends a request on its own after a kill.
                        using var sale = new HttpRequestMessage(HttpMethod.Post, new Uri(till.Address, $"/sell?order={order}&wait={wait.ToString(CultureInfo.InvariantCulture)}"));
                        sale.Headers.ConnectionClose = true;
                        using HttpResponseMessage answer = await http.SendAsync(sale, ct);
                        report.Count(answer.IsSuccessStatusCode ? "sales answered" : $"sales answered {(int)answer.StatusCode} ({Short(await answer.Content.ReadAsStringAsync(ct))})");
                        break;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
                    {
                        // The app is down, or was killed during the sale (a kill between connect and the first byte can
                        // surface as a bare SocketException, "Transport endpoint is not connected"). Once it is up again (and every line of the
                        // killed process has been read), its CREATE line tells whether the sale reached it.
                        await till.Up.WaitAsync(TimeSpan.FromSeconds(120), ct);
                        if (!till.BeganCreate(order))
                        {
                            continue; // it never began: the same sale again
                        }

                        // It may or may not be at the gateway. Half the time the cashier rings it up again under the same
                        // merchant order id (the gateway refuses it if the first create landed), half the time starts a new sale.
                        if (chance.Odds(0.5))
                        {
                            report.Count("sales cut off by a kill and rung up again");
                            continue;
                        }

                        report.Count("sales cut off by a kill and given up");
                        break;
                    }
                }
            }
        }

        async Task MonkeyAsync()
        {
            var restarts = new List<Task>();
            var bag = new List<string>(KillKinds.Length);
            while (!Done())
            {
                // A kill every few sales: the sales and the kills end together.
                int due = simulator.Payments.Count + chance.Between(setup.SalesPerKill.Min, setup.SalesPerKill.Max);
                if (!await Poll.UntilAsync(() => simulator.Payments.Count >= due || Done(), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(120), ct))
                {
                    throw new TimeoutException($"No new sale reached the gateway for 120 s ({simulator.Payments.Count} so far).");
                }

                AppProcess[] up = [.. instances.Where(i => i.Up.IsCompletedSuccessfully)];
                if (up.Length == 0)
                {
                    continue;
                }

                AppProcess victim = chance.Pick(up);
                if (bag.Count == 0)
                {
                    // The moments come in shuffled rounds of all four, so that every kind of moment is hit in every run.
                    bag.AddRange(KillKinds.OrderBy(_ => chance.Next()));
                }

                string kind = bag[^1];
                bag.RemoveAt(bag.Count - 1);
                if (kind != Anywhere)
                {
                    if (await victim.WaitForMarkerAsync(kind, TimeSpan.FromSeconds(3)) is null)
                    {
                        kind = $"{Anywhere} (no {kind} within 3 s)";
                    }
                    else
                    {
                        TimeSpan after = kind switch
                        {
                            Markers.Create => chance.Millis(0, 15),
                            Markers.Handle => chance.Millis(0, 25),
                            _ => chance.Millis(0, 300),
                        };
                        if (after > TimeSpan.Zero)
                        {
                            // Not a wait for something to happen: a random moment within the step just begun, to kill it in.
                            await Task.Delay(after, ct);
                        }
                    }
                }

                await victim.KillAsync();
                Interlocked.Increment(ref kills);
                lock (report.Kills)
                {
                    report.Kills[kind] = report.Kills.GetValueOrDefault(kind) + 1;
                }

                Task restart = victim.StartAsync();
                if (instances.Length == 1)
                {
                    await restart;
                }
                else
                {
                    restarts.Add(restart);
                }
            }

            await Task.WhenAll(restarts);
        }

        Task[] cashiers = [.. instances.SelectMany(till => Enumerable.Range(0, setup.CashiersPerInstance).Select(_ => CashierAsync(till)))];
        await Task.WhenAll([.. cashiers, MonkeyAsync()]);
        report.SalesIssued = issued;
        report.SellingTime = Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Polls (every 200 ms: the app is another process) until every open sale is resolved, or twice the bound has passed;
    /// records the time from the last restart.
    /// </summary>
    private static async Task ResolveAsync(CrashSetup setup, AlipayHkGatewaySimulator simulator, CrashReport report, long lastRestart, CancellationToken ct)
    {
        Snapshot? now = null;
        if (await Poll.UntilAsync(async () => (now = await Snapshot.TakeAsync(setup, simulator, ct)).Resolved, TimeSpan.FromMilliseconds(200), 2 * setup.ResolutionBound, ct))
        {
            report.ResolutionTime = Stopwatch.GetElapsedTime(lastRestart);
            return;
        }

        report.ResolutionTime = null;
        report.Unresolved = now?.Describe();
    }

    /// <summary>Waits (bounded) until no callback is being delivered and every paid payment's schedule is over.</summary>
    private static async Task SettleAsync(AlipayHkGatewaySimulator simulator, ChaosCallbacks chaos, CancellationToken ct)
    {
        bool Settled()
        {
            HashSet<string> settled = [.. simulator.CallbackDeliveries.Where(d => d.NextAttemptAt is null).Select(d => d.OrderId)];
            return chaos.InFlight == 0 && simulator.Payments.Where(p => p.Status == PaymentStatus.Succeeded).All(p => settled.Contains(p.OrderId));
        }

        if (!await Poll.UntilAsync(Settled, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60), ct))
        {
            throw new TimeoutException("The gateway's callbacks were not over 60 s after the sales were resolved.");
        }
    }

    private static async Task ReadBooksAsync(CrashSetup setup, AlipayHkGatewaySimulator simulator, CrashReport report, CancellationToken ct)
    {
        await using ShopDb db = setup.OpenDb();
        List<BookEntry> books = await db.Books.AsNoTracking().ToListAsync(ct);
        List<TrackedPayment> tracked = await db.Payments.AsNoTracking().ToListAsync(ct);
        IReadOnlyList<SimulatedPayment> gateway = simulator.Payments;
        Dictionary<string, SimulatedPayment> byId = gateway.ToDictionary(p => p.MerchantOrderId, StringComparer.Ordinal);
        ILookup<string, BookEntry> booked = books.ToLookup(b => b.MerchantOrderId, StringComparer.Ordinal);

        report.GatewaySales = gateway.Count;
        report.Succeeded = gateway.Count(p => p.Status == PaymentStatus.Succeeded);
        report.Cancelled = gateway.Count(p => p.Status == PaymentStatus.Cancelled);
        report.StillPending = gateway.Count(p => !IsFinal(p));
        report.BookRows = books.Count;
        report.BySource = books.GroupBy(b => b.Source).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        report.ByInstance = books.GroupBy(b => b.Instance).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        report.Doubles = [.. booked.Where(g => g.Count() > 1).Select(g => $"{g.Key}: {g.Count()} rows ({string.Join(", ", g.Select(b => $"{b.Source} on {b.Instance}/{b.Pid}"))})")];
        report.Missing = [.. gateway.Where(IsFinal).Where(p => !booked.Contains(p.MerchantOrderId)).Select(p => $"{p.MerchantOrderId} ({p.OrderId}, {p.Status}): store says {tracked.FirstOrDefault(t => t.MerchantOrderId == p.MerchantOrderId)?.ToString() ?? "not tracked"}")];
        report.NotFinalAtGateway = [.. books.Where(b => !byId.TryGetValue(b.MerchantOrderId, out SimulatedPayment? p) || !IsFinal(p) || p.OrderId != b.OrderId || Wire(p.Status) != b.Status)
            .Select(b => $"{b.MerchantOrderId} booked {b.Status} (order {b.OrderId}); the gateway has {(byId.TryGetValue(b.MerchantOrderId, out SimulatedPayment? p) ? $"{p.OrderId} {p.Status}" : "no such order")}")];
        report.StoreOpen = tracked.Count(t => t.IsOpen);
        report.NotCreated = tracked.Count(t => t.State == TrackedPaymentState.NotCreated);
        report.NotCreatedButAtGateway = [.. tracked.Where(t => t.State == TrackedPaymentState.NotCreated && byId.ContainsKey(t.MerchantOrderId)).Select(t => t.MerchantOrderId)];
    }

    private static string Short(string text) => text.Length <= 90 ? text : text[..90] + "...";

    private static bool IsFinal(SimulatedPayment p) => p.Status is PaymentStatus.Succeeded or PaymentStatus.Cancelled;

    private static string Wire(PaymentStatus status) => status == PaymentStatus.Succeeded ? "SUCCEEDED" : status == PaymentStatus.Cancelled ? "CANCELLED" : status.ToString();

    /// <summary>Where the sales stand: at the gateway, in the books, in the store.</summary>
    private sealed record Snapshot(int Pending, IReadOnlyList<string> NotBooked, int StoreOpen, IReadOnlyList<string> OpenRows)
    {
        internal bool Resolved => Pending == 0 && NotBooked.Count == 0 && StoreOpen == 0;

        internal static async Task<Snapshot> TakeAsync(CrashSetup setup, AlipayHkGatewaySimulator simulator, CancellationToken ct)
        {
            IReadOnlyList<SimulatedPayment> gateway = simulator.Payments;
            await using ShopDb db = setup.OpenDb();
            HashSet<string> booked = [.. await db.Books.AsNoTracking().Select(b => b.MerchantOrderId).Distinct().ToListAsync(ct)];
            List<TrackedPayment> open = await db.Payments.AsNoTracking()
                .Where(p => p.State == TrackedPaymentState.Creating || p.State == TrackedPaymentState.Pending || p.State == TrackedPaymentState.Expired)
                .ToListAsync(ct);
            return new Snapshot(
                gateway.Count(p => !IsFinal(p)),
                [.. gateway.Where(IsFinal).Where(p => !booked.Contains(p.MerchantOrderId)).Select(p => $"{p.MerchantOrderId} ({p.Status})")],
                open.Count,
                [.. open.Select(p => $"{p} next check {p.NextCheckAt:HH:mm:ss.fff}, checks {p.Checks}")]);
        }

        internal string Describe() =>
            $"{Pending} payments still pending at the gateway; {NotBooked.Count} final ones not in the books ({string.Join(", ", NotBooked.Take(20))}); {StoreOpen} open in the store ({string.Join("; ", OpenRows.Take(20))})";
    }
}

/// <summary>The numbers of one crash run, and what a merchant would notice: doubles, missing outcomes, outcomes the gateway does not have.</summary>
internal sealed class CrashReport
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public string Variant { get; init; } = string.Empty;

    public int Seed { get; init; }

    public int SalesIssued { get; set; }

    public int GatewaySales { get; set; }

    public int Succeeded { get; set; }

    public int Cancelled { get; set; }

    public int StillPending { get; set; }

    public int Paying { get; set; }

    public int Cancelling { get; set; }

    public int WalkingAway { get; set; }

    public Dictionary<string, int> Kills { get; } = new(StringComparer.Ordinal);

    public int Starts { get; set; }

    public TimeSpan MeanStart { get; set; }

    public (int Attempts, int Forwarded, int Refused) Callbacks { get; set; }

    public IReadOnlyDictionary<ChaosCallbacks.Fate, int> Fates { get; set; } = new Dictionary<ChaosCallbacks.Fate, int>();

    public int BookRows { get; set; }

    public IReadOnlyDictionary<string, int> BySource { get; set; } = new Dictionary<string, int>();

    public IReadOnlyDictionary<string, int> ByInstance { get; set; } = new Dictionary<string, int>();

    public IReadOnlyList<string> Doubles { get; set; } = [];

    public IReadOnlyList<string> Missing { get; set; } = [];

    public IReadOnlyList<string> NotFinalAtGateway { get; set; } = [];

    public int StoreOpen { get; set; }

    public int NotCreated { get; set; }

    public IReadOnlyList<string> NotCreatedButAtGateway { get; set; } = [];

    public IReadOnlyList<string> UnexpectedExits { get; set; } = [];

    public TimeSpan? ResolutionTime { get; set; }

    public string? Unresolved { get; set; }

    public TimeSpan SellingTime { get; set; }

    public TimeSpan RunTime { get; set; }

    public int TotalKills => Kills.Values.Sum();

    public int KillsAt(string marker) => Kills.GetValueOrDefault(marker);

    public void Count(string what)
    {
        lock (_counts)
        {
            _counts[what] = _counts.GetValueOrDefault(what) + 1;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Crash run: {Variant}; seed {Seed} (ALIPAYHK_CRASH_SEED={Seed} replays its decisions)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  sales: {SalesIssued} rung up, {GatewaySales} at the gateway: {Succeeded} succeeded, {Cancelled} cancelled ({Cancelling} by the shopper, {WalkingAway} timed out), {StillPending} still pending");
        lock (_counts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  cashiers: {string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  kills (SIGKILL): {TotalKills}: {string.Join(", ", Kills.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} at {k.Key}"))}; {Starts} starts, {MeanStart.TotalSeconds:0.0} s each to READY on average");
        text.AppendLine(CultureInfo.InvariantCulture, $"  callbacks: {Callbacks.Attempts} attempts by the gateway, {Callbacks.Forwarded} requests to instances, {Callbacks.Refused} refused or cut off; fates: {string.Join(", ", Fates.OrderBy(f => f.Key).Select(f => $"{f.Value} {f.Key}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  books: {BookRows} rows; learned by {string.Join(", ", BySource.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"))}; by instance {string.Join(", ", ByInstance.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  doubles: {Doubles.Count}; missing: {Missing.Count}; booked but not final at the gateway: {NotFinalAtGateway.Count}; store: {StoreOpen} open, {NotCreated} not created (never reached the gateway)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  resolution after the last restart: {(ResolutionTime is { } r ? $"{r.TotalSeconds:0.0} s" : "NOT RESOLVED")}; selling {SellingTime.TotalSeconds:0.0} s; whole run {RunTime.TotalSeconds:0.0} s");
        foreach (string line in Doubles.Concat(Missing).Concat(NotFinalAtGateway).Concat(NotCreatedButAtGateway.Select(id => $"{id}: not created in the store, but at the gateway")).Take(40))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {line}");
        }

        if (Unresolved is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  unresolved: {Unresolved}");
        }

        return text.ToString();
    }
}
