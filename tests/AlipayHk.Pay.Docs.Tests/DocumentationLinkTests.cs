using System.Text;
using System.Text.RegularExpressions;
using AlipayHk.Pay.Docs.Tests.Support;
using Xunit;

namespace AlipayHk.Pay.Docs.Tests;

/// <summary>
/// The documentation holds together: the root README stays a package user's page (at most 500 lines; the guides are in
/// docs/), and every link between the documentation's files points at a file that exists and, with a <c>#fragment</c>,
/// at a heading of it. A package README (src/*/README.md, shown on nuget.org) links with absolute URLs into this
/// repository's main branch; those are checked against the files here too.
/// </summary>
public sealed partial class DocumentationLinkTests
{
    private const int ReadmeMaxLines = 500;

    public static TheoryData<string> MarkdownFiles => new(LinkedFiles());

    [Fact]
    public void The_readme_has_at_most_500_lines()
    {
        int lines = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Length;

        Assert.True(lines <= ReadmeMaxLines, $"README.md has {lines} lines, more than {ReadmeMaxLines}: move a guide's detail to docs/ and link it.");
    }

    [Fact]
    public void The_readme_keeps_its_two_commands_and_links_every_guide()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

        Assert.Contains("dotnet run --project samples/PosTerminal", readme, StringComparison.Ordinal);
        Assert.Contains("./test.sh", readme, StringComparison.Ordinal);
        Assert.All(
            Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md"),
            page => Assert.Contains($"(docs/{Path.GetFileName(page)}", readme, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_link_to_a_file_of_the_repository_resolves(string file)
    {
        var broken = Links(file)
            .Select(link => (link.Line, link.Target, Problem: Problem(file, link.Target)))
            .Where(link => link.Problem is not null)
            .Select(link => $"{file}:{link.Line}: ({link.Target}) {link.Problem}")
            .ToList();

        Assert.True(broken.Count == 0, "These links point at no file or heading of the repository:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_check_sees_links_and_headings_as_github_does()
    {
        Assert.Equal("on-net-framework", Slug("On .NET Framework"));
        Assert.Equal("retries-and-why-a-create-is-never-duplicated", Slug("Retries, and why a create is never duplicated"));
        Assert.Equal("4-a-webhooks-verification-and-parse", Slug("4. A webhook's verification and parse"));
        Assert.Equal("scale-several-instances-webhooks-and-redis-issue-10", Slug("Scale: several instances, webhooks and Redis (issue 10)"));
        Assert.Contains("going-live", Anchors("README.md"));
        Assert.Contains(Links("README.md"), link => link.Target == "docs/webhooks.md");
        Assert.NotNull(Problem("README.md", "docs/no-such-page.md"));
        Assert.NotNull(Problem("README.md", "#no-such-heading"));
        Assert.NotNull(Problem("src/AlipayHk.Pay/README.md", RepositoryUrl() + "/blob/main/docs/no-such-page.md"));
        Assert.Null(Problem("src/AlipayHk.Pay/README.md", RepositoryUrl() + "/blob/main/docs/webhooks.md#answers"));
    }

    /// <summary>The README, CHANGELOG.md, every page under docs/, and each sample's and package's README.</summary>
    private static IEnumerable<string> LinkedFiles() => ReadmeBlockTests.ReadmeFiles().Append("CHANGELOG.md").Distinct().Order(StringComparer.Ordinal);

    /// <summary>Why <paramref name="target"/>, linked from <paramref name="file"/>, does not resolve; null when it does, or when it leaves the repository.</summary>
    private static string? Problem(string file, string target)
    {
        string repository = RepositoryUrl();
        string local;
        if (target.StartsWith(repository + "/blob/main/", StringComparison.Ordinal) || target.StartsWith(repository + "/tree/main/", StringComparison.Ordinal))
        {
            local = target[(repository.Length + "/blob/main/".Length)..];
        }
        else if (target == repository || target.StartsWith(repository + "#", StringComparison.Ordinal))
        {
            local = "README.md" + target[repository.Length..];
        }
        else if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
        {
            return null; // outside the repository
        }
        else
        {
            string folder = Path.GetDirectoryName(file) ?? string.Empty;
            local = target.StartsWith('#') ? Path.GetFileName(file) + target : target;
            local = Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.Root, folder, local.Split('#')[0]))).Replace('\\', '/')
                + (local.Contains('#', StringComparison.Ordinal) ? "#" + local.Split('#', 2)[1] : string.Empty);
        }

        string[] parts = local.Split('#', 2);
        string path = Uri.UnescapeDataString(parts[0]);
        string full = Path.Combine(Repository.Root, path);
        if (path.StartsWith("..", StringComparison.Ordinal))
        {
            return "leaves the repository";
        }

        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return $"no file {path}";
        }

        if (parts.Length == 2 && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(path).Contains(parts[1]))
        {
            return $"no heading #{parts[1]} in {path}";
        }

        return null;
    }

    /// <summary>The links of a Markdown file, outside code blocks and code spans: line and target.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string file)
    {
        string[] lines = File.ReadAllText(Path.Combine(Repository.Root, file)).ReplaceLineEndings("\n").Split('\n');
        bool fenced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            string text = CodeSpan().Replace(lines[i], string.Empty);
            foreach (Match match in Link().Matches(text))
            {
                yield return (i + 1, match.Groups["target"].Value);
            }
        }
    }

    /// <summary>The anchors GitHub gives a Markdown file's headings.</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        bool fenced = false;
        foreach (string line in File.ReadAllText(Path.Combine(Repository.Root, file)).ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }
            else if (!fenced && Heading().Match(line) is { Success: true } heading)
            {
                string slug = Slug(heading.Groups["text"].Value);
                string anchor = slug;
                for (int n = 1; !anchors.Add(anchor); n++)
                {
                    anchor = $"{slug}-{n}";
                }
            }
        }

        return anchors;
    }

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string Slug(string heading)
    {
        string text = Link().Replace(heading, "${text}").Replace("`", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();
        var slug = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private static string RepositoryUrl() =>
        RootUrl().Match(File.ReadAllText(Path.Combine(Repository.Root, "Directory.Build.props"))).Groups["url"].Value.TrimEnd('/');

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"<RepositoryRootUrl>(?<url>[^<]+)</RepositoryRootUrl>")]
    private static partial Regex RootUrl();
}
