namespace AlipayHk.Pay.Shared;

/// <summary>
/// The running test's cancellation token, as <c>Ct</c> in every test project (a global static using in
/// tests/Directory.Build.props): cancelled when the test times out or the run is aborted.
/// </summary>
internal static class TestCancellation
{
    /// <summary>The current test's cancellation token.</summary>
    internal static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;
}
