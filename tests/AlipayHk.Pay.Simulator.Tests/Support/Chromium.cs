using Microsoft.Playwright;

namespace AlipayHk.Pay.Simulator.Tests.Support;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by .ci/run from .ci/apt-packages), driven by Playwright: one launch
/// per test class. No browser is downloaded.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's chromium package (.ci/run does, from .ci/apt-packages).");
        Assertions.SetDefaultExpectTimeout(15_000); // A loaded 2-core CI machine; every wait still ends on its own signal.
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>Where screenshots go: <c>artifacts/screenshots/</c> at the root of the repository, uploaded by CI.</summary>
    public static string ScreenshotPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlipayHk.Pay.sln")))
            {
                string folder = Path.Combine(dir.FullName, "artifacts", "screenshots");
                Directory.CreateDirectory(folder);
                return Path.Combine(folder, name);
            }
        }

        throw new InvalidOperationException("AlipayHk.Pay.sln not found above " + AppContext.BaseDirectory);
    }
}
