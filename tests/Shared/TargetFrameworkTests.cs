using System.Reflection;
using System.Runtime.Versioning;

namespace AlipayHk.Pay.Tests.Conventions;

/// <summary>
/// The net8.0 test builds must test the net8.0 builds of the libraries, even on a machine with only a newer runtime
/// (they roll forward to it): the library assemblies loaded are the ones compiled for the test's own framework.
/// </summary>
public sealed class TargetFrameworkTests
{
#if NET10_0
    private const string Expected = ".NETCoreApp,Version=v10.0";
#elif NETFRAMEWORK
    private const string Expected = ".NETFramework,Version=v4.6.2"; // the libraries' lowest; the tests themselves are net472
    private const string ExpectedTests = ".NETFramework,Version=v4.7.2";
#else
    private const string Expected = ".NETCoreApp,Version=v8.0";
#endif

    [Fact]
    public void The_sdk_assemblies_under_test_are_built_for_the_test_projects_own_framework()
    {
        var libraries = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name is { } name && name.StartsWith("AlipayHk.Pay", StringComparison.Ordinal) && !name.EndsWith(".Tests", StringComparison.Ordinal))
            .Append(typeof(IAlipayHkPayClient).Assembly)
            .Distinct();

        Assert.All(libraries, assembly => Assert.Equal(Expected, assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName));
#if NETFRAMEWORK
        Assert.Equal(ExpectedTests, typeof(TargetFrameworkTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);
#else
        Assert.Equal(Expected, typeof(TargetFrameworkTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);
#endif
    }
}
