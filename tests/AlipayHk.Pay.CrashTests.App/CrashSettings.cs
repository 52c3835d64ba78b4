namespace AlipayHk.Pay.CrashTests.App;

/// <summary>The app's own settings (section <c>Crash</c>, from the environment: <c>Crash__Database=postgres</c>, ...).</summary>
public sealed class CrashSettings
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Database { get; set; } = "sqlite";

    /// <summary>The database's connection string.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>This instance's name (<c>a</c>, <c>b</c>, <c>c</c>): written in the books with each outcome it handled.</summary>
    public string Instance { get; set; } = "a";

    /// <summary>Where the gateway sends this instance's callbacks: its own <c>/notify</c>.</summary>
    public Uri? NotifyUrl { get; set; }

    /// <summary>The handler lingers up to this long after it wrote its row (a random time, for the kills to land in).</summary>
    public int HandlerLingerMs { get; set; } = 30;

    /// <summary>Whether the handler writes its HANDLE line (the crash tests' kills wait for it).</summary>
    public bool WriteMarkers { get; set; } = true;
}
