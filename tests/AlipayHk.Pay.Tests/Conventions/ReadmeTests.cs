namespace AlipayHk.Pay.Tests.Conventions;

public sealed class ReadmeTests
{
    [Fact]
    public void The_readme_quickstart_is_the_compiled_quickstart_sample_verbatim()
    {
        string root = Repository.Root;
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string sample = File.ReadAllText(Path.Combine(root, "samples", "Quickstart", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        string quickstart = readme[readme.IndexOf("## Quickstart", StringComparison.Ordinal)..];
        int start = quickstart.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        string block = quickstart[start..quickstart.IndexOf("\n```", start, StringComparison.Ordinal)];

        Assert.Equal(sample, block);
    }

    [Fact]
    public void The_configuration_guide_documents_every_setting()
    {
        string guide = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md"));
        var settings = typeof(AlipayHkPayOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name);

        Assert.All(settings, name => Assert.Contains($"| `{name}` |", guide, StringComparison.Ordinal));
    }
}
