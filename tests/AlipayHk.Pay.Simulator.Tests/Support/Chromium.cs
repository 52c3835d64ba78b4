using AlipayHk.Pay.Shared;
using Microsoft.Playwright;

namespace AlipayHk.Pay.Simulator.Tests.Support;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, found by <see cref="RealParts.Chromium"/>; ./test.sh installs it), driven by
/// Playwright: one launch per test class. No browser is downloaded. Without Chromium, each test that uses
/// <see cref="Browser"/> is skipped with the reason (fails under CI=true).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser; skips the calling test when Chromium is missing.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(RealParts.Chromium.Require() + " was found but not launched");

    public async ValueTask InitializeAsync()
    {
        // A skip thrown here would fail every test of the class: a missing browser is reported by Browser, in each test.
        if (RealParts.Chromium.Find() is not { } executable)
        {
            return;
        }

        Assertions.SetDefaultExpectTimeout(15_000); // A loaded 2-core CI machine; every wait still ends on its own signal.
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>Where screenshots go: <c>artifacts/screenshots/</c> at the root of the repository, uploaded by CI.</summary>
    public static string ScreenshotPath(string name)
    {
        string folder = Path.Combine(Repository.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
