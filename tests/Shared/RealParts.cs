using System.Globalization;

namespace AlipayHk.Pay.Shared;

/// <summary>
/// The real programs some tests start (a server, a browser, a toolchain), found on this machine or reported missing.
/// <c>./test.sh</c> installs every one of them on Debian or Ubuntu (from <c>.ci/apt-packages</c>). When one is missing,
/// <see cref="RealPart.Require"/> skips the test that needs it (xunit v3's <c>Assert.Skip</c>) with a reason naming the
/// part and how to install it, or fails it when the environment variable <c>CI</c> is <c>true</c>: CI runs everything.
/// Each part can be pointed elsewhere, or hidden with a path that does not exist, through its environment variable
/// (<c>ALIPAYHK_REDIS_SERVER=/nonexistent dotnet test ...</c> shows the skips).
/// </summary>
public static class RealParts
{
    public static RealPart Redis { get; } = new("redis-server", "ALIPAYHK_REDIS_SERVER", "redis-server",
        env => FirstFile(["/usr/bin/redis-server"]) ?? OnPath("redis-server", env));

    /// <summary>Debian's Chromium; on Ubuntu, its <c>chromium-browser</c> or Google Chrome.</summary>
    public static RealPart Chromium { get; } = new("chromium", "ALIPAYHK_CHROMIUM", "chromium",
        env => FirstFile(["/usr/bin/chromium"]) ?? OnPath("chromium", env) ?? OnPath("chromium-browser", env) ?? OnPath("google-chrome", env));

    /// <summary>PostgreSQL's server programs: the folder that holds <c>initdb</c>, <c>postgres</c>, <c>pg_ctl</c> and <c>psql</c>.</summary>
    public static RealPart PostgreSql { get; } = new("PostgreSQL (initdb, postgres, pg_ctl, psql)", "ALIPAYHK_POSTGRES_BIN", "postgresql",
        env => PostgresBinFolder(env), isFolder: true);

    /// <summary>Mono with its .NET Framework 4.x class libraries (lib/mono/4.5 beside it), which runs net472 builds on Linux.</summary>
    public static RealPart Mono { get; } = new("mono (with its 4.5 class libraries)", "ALIPAYHK_MONO", "mono-runtime mono-devel",
        env => OnPath("mono", env) is { } mono && HasClassLibraries(mono) ? mono : null);

    /// <summary>The Native AOT toolchain's compiler and linker driver (the AOT check also needs zlib1g-dev).</summary>
    public static RealPart Clang { get; } = new("clang", "ALIPAYHK_CLANG", "clang zlib1g-dev", env => OnPath("clang", env));

    /// <summary>Whether this run is CI's (<c>CI=true</c>, as GitHub Actions and <c>.ci/run</c> set it): there a missing part fails.</summary>
    public static bool IsCi(Func<string, string?> environment) =>
        environment("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    internal static string? FirstFile(IEnumerable<string> paths) => paths.FirstOrDefault(IsExecutable);

    /// <summary>The first executable <paramref name="name"/> in a folder of the <c>PATH</c>.</summary>
    internal static string? OnPath(string name, Func<string, string?> environment) =>
        (environment("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(IsExecutable);

    internal static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    /// <summary>
    /// Debian and Ubuntu keep each major version's programs in /usr/lib/postgresql/N/bin (only psql and a few wrappers
    /// are on the PATH): the newest there, else the folder of an <c>initdb</c> on the PATH (Homebrew, other Linuxes).
    /// </summary>
    private static string? PostgresBinFolder(Func<string, string?> environment)
    {
        IEnumerable<string> debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int major) ? major : -1)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        if (debian.FirstOrDefault(IsPostgresBinFolder) is { } folder)
        {
            return folder;
        }

        if (OnPath("initdb", environment) is { } initdb)
        {
            string resolved = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
            return Path.GetDirectoryName(resolved) is { } bin && IsPostgresBinFolder(bin) ? bin : null;
        }

        return null;
    }

    /// <summary>Whether the mono at <paramref name="mono"/> (e.g. /usr/bin/mono) has System.dll in ../lib/mono/4.5 (mono-devel pulls it in).</summary>
    internal static bool HasClassLibraries(string mono)
    {
        string resolved = new FileInfo(mono).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? mono;
        return Path.GetDirectoryName(Path.GetDirectoryName(resolved)) is { } prefix && File.Exists(Path.Combine(prefix, "lib", "mono", "4.5", "System.dll"));
    }

    internal static bool IsPostgresBinFolder(string folder) =>
        new[] { "initdb", "postgres", "pg_ctl", "psql" }.All(program => IsExecutable(Path.Combine(folder, program)));
}

/// <summary>One real part: where it is, or why a test that needs it cannot run.</summary>
public sealed partial class RealPart
{
    private readonly Func<Func<string, string?>, string?> _locate;
    private readonly bool _isFolder;

    internal RealPart(string name, string variable, string packages, Func<Func<string, string?>, string?> locate, bool isFolder = false)
    {
        Name = name;
        Variable = variable;
        Packages = packages;
        _locate = locate;
        _isFolder = isFolder;
    }

    /// <summary>What it is, as the reasons name it.</summary>
    public string Name { get; }

    /// <summary>The environment variable that points it elsewhere (or, set to a path that does not exist, hides it).</summary>
    public string Variable { get; }

    /// <summary>The Debian packages that install it (<c>.ci/apt-packages</c> lists them for <c>./test.sh</c>).</summary>
    public string Packages { get; }

    /// <summary>Its path (a folder, for PostgreSQL), or null when this machine does not have it.</summary>
    /// <param name="environment">Reads an environment variable; the process's own when null (tests of this class pass their own).</param>
    public string? Find(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(Variable) is { Length: > 0 } overridden)
        {
            bool there = _isFolder ? RealParts.IsPostgresBinFolder(overridden) : RealParts.IsExecutable(overridden);
            return there ? overridden : null;
        }

        return _locate(environment);
    }

    /// <summary>
    /// Its path; when it is missing, skips the calling test with <see cref="MissingReason"/> (fails it under <c>CI=true</c>).
    /// Call it from a test, or from a fixture member a test calls: xunit v3 turns <c>Assert.Skip</c> into a skip only
    /// there, not in a fixture's <c>InitializeAsync</c>, where it is reported as a failure of every test of the class.
    /// </summary>
    public string Require(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (Find(environment) is { } path)
        {
            return path;
        }

        bool ci = RealParts.IsCi(environment);
        string reason = ci ? $"{MissingReason(environment)} (CI=true: a missing part fails the run instead of skipping)" : MissingReason(environment);
        SkipOrFail(reason, ci);
        throw new InvalidOperationException(reason); // where xunit is not referenced (the benchmarks)
    }

    /// <summary>Why it is not there, and how to get it.</summary>
    public string MissingReason(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string where = environment(Variable) is { Length: > 0 } overridden
            ? $"{Variable}={overridden} is not {(_isFolder ? "a folder with initdb, postgres, pg_ctl and psql" : "an executable file")}"
            : $"not found (set {Variable} to its path if it is installed elsewhere)";
        return $"{Name} is missing: {where}. ./test.sh installs it on Debian or Ubuntu, or run: sudo apt-get install {Packages}";
    }

    /// <summary>Skips the test (or fails it, on CI), where xunit is referenced: RealParts.Xunit.cs.</summary>
    static partial void SkipOrFail(string reason, bool ci);
}
