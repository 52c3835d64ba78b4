using AlipayHk.Pay.Shared;
using Xunit.Sdk;

namespace AlipayHk.Pay.StackExchangeRedis.Tests.Machine;

/// <summary>
/// What a test that needs a real part (redis-server, Chromium, PostgreSQL, Mono, clang) does when this machine lacks
/// it: skipped with the reason and how to install it; failed instead under CI=true; run when the part is there. Each
/// test reads its own environment, so hiding a part here hides it from no other test.
/// </summary>
public sealed class RealPartTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("alipayhk-realparts-");

    [Fact]
    public void A_missing_part_skips_the_test_naming_the_part_and_how_to_install_it()
    {
        var environment = Environment(("ALIPAYHK_REDIS_SERVER", "/nonexistent/redis-server"));

        SkipException skip = Thrown<SkipException>(() => RealParts.Redis.Require(environment));

        Assert.Null(RealParts.Redis.Find(environment));
        Assert.Contains("redis-server is missing: ALIPAYHK_REDIS_SERVER=/nonexistent/redis-server is not an executable file", skip.Message, StringComparison.Ordinal);
        Assert.Contains("./test.sh installs it", skip.Message, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install redis-server", skip.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("1")]
    public void Under_CI_a_missing_part_fails_the_test_instead(string ci)
    {
        var environment = Environment(("ALIPAYHK_REDIS_SERVER", "/nonexistent/redis-server"), ("CI", ci));

        FailException failure = Assert.Throws<FailException>(() => RealParts.Redis.Require(environment));

        Assert.Contains("redis-server is missing", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CI=true: a missing part fails the run", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CI_set_to_anything_else_still_skips()
    {
        var environment = Environment(("ALIPAYHK_CLANG", "/nonexistent/clang"), ("CI", "false"));

        SkipException skip = Thrown<SkipException>(() => RealParts.Clang.Require(environment));

        Assert.Contains("sudo apt-get install clang zlib1g-dev", skip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_is_found_on_the_PATH_when_it_is_executable_there()
    {
        string clang = Program("clang");
        string plain = Directory.CreateDirectory(Path.Combine(_folder.FullName, "plain")).FullName;
        File.WriteAllText(Path.Combine(plain, "mono"), ""); // not executable

        Assert.Equal(clang, RealParts.Clang.Require(Environment(("PATH", $"/nonexistent{Path.PathSeparator}{_folder.FullName}"))));
        Assert.Null(RealParts.Mono.Find(Environment(("PATH", plain))));
        Thrown<SkipException>(() => RealParts.Mono.Require(Environment(("PATH", plain))));
    }

    [Fact]
    public void The_environment_variable_points_to_a_part_installed_elsewhere()
    {
        string chromium = Program("my-chromium");

        Assert.Equal(chromium, RealParts.Chromium.Require(Environment(("ALIPAYHK_CHROMIUM", chromium), ("PATH", ""))));
    }

    [Fact]
    public void Mono_counts_only_with_its_class_libraries_beside_it()
    {
        string bin = Directory.CreateDirectory(Path.Combine(_folder.FullName, "bin")).FullName;
        string mono = Program(Path.Combine("bin", "mono"));
        var environment = Environment(("PATH", bin));
        SkipException skip = Thrown<SkipException>(() => RealParts.Mono.Require(environment)); // mono-runtime alone
        string library = Directory.CreateDirectory(Path.Combine(_folder.FullName, "lib", "mono", "4.5")).FullName;
        File.WriteAllText(Path.Combine(library, "System.dll"), "");

        Assert.Contains("sudo apt-get install mono-runtime mono-devel", skip.Message, StringComparison.Ordinal);
        Assert.Equal(mono, RealParts.Mono.Require(environment));
    }

    [Fact]
    public void PostgreSQL_is_a_folder_with_its_server_programs()
    {
        foreach (string program in new[] { "initdb", "postgres", "pg_ctl" })
        {
            Program(program);
        }

        var environment = Environment(("ALIPAYHK_POSTGRES_BIN", _folder.FullName));
        SkipException skip = Thrown<SkipException>(() => RealParts.PostgreSql.Require(environment)); // no psql yet
        Program("psql");

        Assert.Contains("is not a folder with initdb, postgres, pg_ctl and psql", skip.Message, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install postgresql", skip.Message, StringComparison.Ordinal);
        Assert.Equal(_folder.FullName, RealParts.PostgreSql.Require(environment));
    }

    [Fact]
    public async Task A_Redis_fixture_without_redis_server_starts_and_skips_each_test_that_uses_it()
    {
        await using var redis = new RedisServer(Environment(("ALIPAYHK_REDIS_SERVER", "/nonexistent/redis-server")));
        await redis.InitializeAsync(); // as xunit does for a class fixture: a skip thrown here would fail the class's tests

        Thrown<SkipException>(() => redis.Configuration);
        await ThrownAsync<SkipException>(redis.StartAsync);
    }

    [Fact]
    public async Task A_PostgreSQL_fixture_without_PostgreSQL_starts_and_skips_each_test_that_uses_it_or_fails_under_CI()
    {
        await using var postgres = new PostgresServer(Environment(("ALIPAYHK_POSTGRES_BIN", "/nonexistent")));
        await using var onCi = new PostgresServer(Environment(("ALIPAYHK_POSTGRES_BIN", "/nonexistent"), ("CI", "true")));
        await postgres.InitializeAsync();
        await onCi.InitializeAsync();

        Thrown<SkipException>(() => postgres.ConnectionString("outcomes"));
        await ThrownAsync<SkipException>(() => postgres.CreateDatabaseAsync("outcomes"));
        Assert.Throws<FailException>(() => onCi.ConnectionString("outcomes"));
        Assert.Null(postgres.DataDirectory); // nothing was created
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private string Program(string name)
    {
        string path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>
    /// The exception <paramref name="act"/> throws: Assert.Throws cannot catch a skip (xunit's assertions let a dynamic
    /// skip through, so that code under test can skip the test), hence a catch of its own.
    /// </summary>
    private static T Thrown<T>(Func<object?> act)
        where T : Exception
    {
        try
        {
            act();
        }
        catch (Exception e)
        {
            return Assert.IsType<T>(e);
        }

        throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name}, but nothing was thrown.");
    }

    private static async Task<T> ThrownAsync<T>(Func<Task> act)
        where T : Exception
    {
        try
        {
            await act();
        }
        catch (Exception e)
        {
            return Assert.IsType<T>(e);
        }

        throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name}, but nothing was thrown.");
    }

    /// <summary>An environment with only these variables (no CI, no PATH unless given).</summary>
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();
}
