using AlipayHk.Pay.CrashTests.App;

namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>What the merchant would notice after a crash run, asserted; every message carries the run's report (and its seed).</summary>
internal static class CrashAssert
{
    internal static void ExactlyOnce(CrashReport report, CrashSetup setup)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        string why = "\n" + report;

        Assert.True(report.UnexpectedExits.Count == 0, "the app died on its own:\n" + string.Join("\n", report.UnexpectedExits) + why);
        Assert.True(report.GatewaySales >= setup.Sales, $"only {report.GatewaySales} sales reached the gateway" + why);
        Assert.True(report.Succeeded > 0 && report.Cancelled > 0, "both paid and cancelled sales are needed" + why);
        Assert.True(report.TotalKills >= setup.MinKills, $"only {report.TotalKills} kills" + why);
        foreach (string moment in new[] { Markers.Create, Markers.Handle, Markers.Wait })
        {
            Assert.True(report.KillsAt(moment) > 0, $"no kill landed right after a {moment}" + why);
        }

        // Every open sale resolved within the stated time after the last restart.
        Assert.True(report.ResolutionTime is { } resolved && resolved <= setup.ResolutionBound,
            $"every open sale was to be resolved within {setup.ResolutionBound.TotalSeconds:0} s after the last restart" + why);
        Assert.Equal(0, report.StillPending);
        Assert.Equal(0, report.StoreOpen);

        // Exactly once: every order the gateway holds final is in the books once, and nothing else is.
        Assert.True(report.Doubles.Count == 0, $"{report.Doubles.Count} orders were booked more than once" + why);
        Assert.True(report.Missing.Count == 0, $"{report.Missing.Count} final orders are missing from the books" + why);
        Assert.True(report.NotFinalAtGateway.Count == 0, $"{report.NotFinalAtGateway.Count} booked orders are not final (or not so) at the gateway" + why);
        Assert.True(report.NotCreatedButAtGateway.Count == 0, "payments marked never created are at the gateway" + why);
        Assert.Equal(report.Succeeded + report.Cancelled, report.BookRows);
    }
}
