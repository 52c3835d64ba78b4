namespace AlipayHk.Pay.Testing.Tests.Support;

/// <summary>A bound on every wait, so a broken test fails instead of hanging.</summary>
internal static class Timeouts
{
    public static CancellationToken Bounded(int seconds = 20)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source.Token;
    }
}
