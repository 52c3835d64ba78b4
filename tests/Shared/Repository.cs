namespace AlipayHk.Pay.Shared;

/// <summary>The clone the tests run from.</summary>
internal static class Repository
{
    /// <summary>The clone's root: the folder above the test's output that holds AlipayHk.Pay.sln.</summary>
    internal static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlipayHk.Pay.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AlipayHk.Pay.sln not found above " + AppContext.BaseDirectory);
    }
}
