namespace AlipayHk.Pay.CrashTests.App;

/// <summary>
/// Lines on standard output that tell the crash tests where the app is (<c>READY</c>, <c>CREATE</c>, <c>WAIT</c>,
/// <c>HANDLE</c>), so they can kill it with SIGKILL at such a moment. Ids and sources only: no secret, no QR code URL.
/// </summary>
public static class Markers
{
    public const string Ready = "READY";
    public const string Create = "CREATE";
    public const string Wait = "WAIT";
    public const string Handle = "HANDLE";

    public static void Write(string marker, string detail) => Console.Out.WriteLine($"@{marker} {detail}");

    /// <summary>The marker of a line the app wrote, or <see langword="null"/> for any other line (a log line).</summary>
    public static string? Of(string line) =>
        line.Length > 1 && line[0] == '@' ? line[1..(line.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : line.Length)] : null;
}
