using AlipayHk.Pay.Docs.Tests.Support;
using Xunit;

namespace AlipayHk.Pay.Docs.Tests;

/// <summary>
/// The convention of README.md, "Building and testing": every <c>```csharp</c> block of a README (the repository's and
/// each package's) is found verbatim, as a whole file or a run of lines at any one indentation, in a <c>.cs</c> file
/// under <c>samples/</c>, <c>tests/AlipayHk.Pay.Docs.Tests/</c> or <c>tests/AlipayHk.Pay.Docs.NetFramework/</c> (.NET Framework 4.8, System.Web), which CI compiles (and runs, where it can); and the
/// line just before each block starts with <c>Needs:</c>, naming the packages and usings it needs.
/// </summary>
public sealed class ReadmeBlockTests
{
    private static readonly string[] SnippetFolders = ["samples", Path.Combine("tests", "AlipayHk.Pay.Docs.Tests"), Path.Combine("tests", "AlipayHk.Pay.Docs.NetFramework")];

    public static TheoryData<string> Readmes => new(ReadmeFiles());

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Every_csharp_block_is_in_a_compiled_file_verbatim(string readme)
    {
        List<string[]> sources = SourceFiles().Select(f => File.ReadAllText(f).ReplaceLineEndings("\n").Split('\n')).ToList();

        var missing = Blocks(readme)
            .Where(block => !sources.Any(lines => Contains(lines, block.Lines)))
            .Select(block => $"{readme}:{block.Line}: {block.Lines[0].Trim()}")
            .ToList();

        Assert.True(missing.Count == 0,
            "These ```csharp blocks are not found verbatim in any .cs file under samples/ or tests/AlipayHk.Pay.Docs.Tests/ "
            + "(put each in one, as a whole file or a run of lines, so that CI compiles it):\n" + string.Join("\n", missing));
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Every_csharp_block_says_what_it_needs(string readme)
    {
        var silent = Blocks(readme)
            .Where(block => !block.Preceding.StartsWith("Needs:", StringComparison.Ordinal))
            .Select(block => $"{readme}:{block.Line}: {block.Lines[0].Trim()}")
            .ToList();

        Assert.True(silent.Count == 0,
            "The line before each ```csharp block must start with 'Needs:' and name its packages and usings:\n" + string.Join("\n", silent));
    }

    [Fact]
    public void The_convention_finds_the_blocks_it_checks()
    {
        Assert.Contains("README.md", ReadmeFiles());
        Assert.True(Blocks("README.md").Count() >= 10);
        Assert.True(Contains(["class C", "{", "    void M()", "    {", "        a();", "", "        b();", "    }", "}"], ["a();", "", "b();"]));
        Assert.False(Contains(["    a();", "  b();"], ["a();", "b();"]));
    }

    private static IEnumerable<string> ReadmeFiles() =>
        new[] { "README.md" }.Concat(Directory.GetDirectories(Path.Combine(Repository.Root, "src"))
            .Select(d => Path.Combine(d, "README.md"))
            .Where(File.Exists)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    private static IEnumerable<string> SourceFiles() =>
        SnippetFolders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    /// <summary>Every <c>```csharp</c> block: its lines, the README line of its first line, and the last non-blank line before it.</summary>
    private static IEnumerable<(string[] Lines, int Line, string Preceding)> Blocks(string readme)
    {
        string[] lines = File.ReadAllText(Path.Combine(Repository.Root, readme)).ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            string preceding = lines.Take(i).LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? string.Empty;
            string indent = lines[i][..lines[i].IndexOf('`', StringComparison.Ordinal)]; // a block in a list item is indented
            string[] block = lines[(i + 1)..end].Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l).ToArray();
            yield return (block, i + 2, preceding);
            i = end;
        }
    }

    /// <summary>Whether <paramref name="block"/> is a run of <paramref name="file"/>'s lines, all under one extra indentation.</summary>
    private static bool Contains(string[] file, string[] block)
    {
        for (int start = 0; start + block.Length <= file.Length; start++)
        {
            if (!file[start].EndsWith(block[0], StringComparison.Ordinal))
            {
                continue;
            }

            string indent = file[start][..^block[0].Length];
            if (indent.Trim().Length == 0 && block.Select((line, k) => line.Length == 0 ? file[start + k].Trim().Length == 0 : file[start + k] == indent + line).All(same => same))
            {
                return true;
            }
        }

        return false;
    }
}
