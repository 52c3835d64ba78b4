// Opens the packed .nupkg and .snupkg files and checks what a NuGet consumer sees. Run by .ci/checks/20-packages.sh:
//   dotnet run eng/check-packages.cs -- <packages folder> <version> <commit> <repository root url> <Directory.Packages.props>
// Prints one line per failed expectation and exits 1 when there is any.
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: check-packages.cs <packages folder> <version> <commit> <repository root url> <Directory.Packages.props>");
    return 2;
}

string folder = args[0], version = args[1], commit = args[2], repositoryRoot = args[3].TrimEnd('/');
string[] frameworks = ["net8.0", "net10.0"];
// The packages that also target .NET Framework 4.6.2 (the core and Redis: issue 16); the others stay on .NET 8 and later.
string[] netFrameworkPackages = ["AlipayHk.Pay", "AlipayHk.Pay.StackExchangeRedis"];
string[] FrameworksOf(string id) => netFrameworkPackages.Contains(id) ? ["net462", .. frameworks] : frameworks;

// The pinned version of each package for each framework. A PackageVersion with the condition
// "'$(TargetFramework)' == 'net8.0'" (or "!= 'net8.0'") pins it for that framework (or for the others) only: EF Core 10
// targets net10.0 alone, so the net8.0 build of AlipayHk.Pay.EntityFrameworkCore depends on EF Core 8.
var pinned = new Dictionary<(string Id, string Framework), string>();
foreach (XElement packageVersion in XDocument.Load(args[4]).Descendants("PackageVersion"))
{
    string condition = ((string?)packageVersion.Attribute("Condition") ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
    Match framework = Regex.Match(condition, @"^'\$\(TargetFramework\)'(==|!=)'([^']+)'$");
    foreach (string tfm in (string[])["net462", .. frameworks])
    {
        if (condition.Length == 0 || (framework.Success && (framework.Groups[1].Value == "==") == (framework.Groups[2].Value == tfm)))
        {
            pinned.TryAdd(((string)packageVersion.Attribute("Include")!, tfm), (string)packageVersion.Attribute("Version")!);
        }
    }
}

// What each package must depend on, in every framework: its NuGet dependencies (versions from Directory.Packages.props,
// or this version for our own packages) and its framework references. Nothing else: build-only packages stay private.
// "X@net8.0" is a dependency of that framework only (on net10.0 System.Text.Json is part of the framework, so NuGet prunes it).
var expected = new Dictionary<string, (string[] Packages, string[] FrameworkReferences)>
{
    ["AlipayHk.Pay"] = (["Microsoft.Extensions.Caching.Abstractions", "Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Http", "Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Options.ConfigurationExtensions", "Refit", "System.Text.Json@net8.0", "Microsoft.Bcl.TimeProvider@net462", "System.Net.Http.Json@net462", "System.Text.Json@net462"], []),
    ["AlipayHk.Pay.AspNetCore"] = (["AlipayHk.Pay"], ["Microsoft.AspNetCore.App"]),
    ["AlipayHk.Pay.Testing"] = (["AlipayHk.Pay"], ["Microsoft.AspNetCore.App"]),
    ["AlipayHk.Pay.StackExchangeRedis"] = (["AlipayHk.Pay", "StackExchange.Redis", "System.IO.Hashing"], []),
    ["AlipayHk.Pay.EntityFrameworkCore"] = (["AlipayHk.Pay", "Microsoft.EntityFrameworkCore.Relational"], []),
};

var failures = new List<string>();
void Expect(bool condition, string package, string what)
{
    if (!condition)
    {
        failures.Add($"{package}: {what}");
    }
}

foreach ((string id, (string[] packages, string[] frameworkReferences)) in expected)
{
    string nupkg = Path.Combine(folder, $"{id}.{version}.nupkg");
    string snupkg = Path.Combine(folder, $"{id}.{version}.snupkg");
    if (!File.Exists(nupkg) || !File.Exists(snupkg))
    {
        failures.Add($"{id}: {Path.GetFileName(nupkg)} and {Path.GetFileName(snupkg)} expected in {folder}; found {string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName))}");
        continue;
    }

    using ZipArchive package = ZipFile.OpenRead(nupkg);
    XDocument nuspecDocument = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
    XNamespace ns = nuspecDocument.Root!.Name.Namespace;
    XElement metadata = nuspecDocument.Root.Element(ns + "metadata")!;
    string? Field(string name) => (string?)metadata.Element(ns + name);

    // Identity and metadata.
    Expect(Field("id") == id, id, $"id is '{Field("id")}'");
    Expect(Field("version") == version, id, $"version is '{Field("version")}', expected '{version}' (MinVer, from the git tags)");
    Expect(Field("license") == "MIT" && (string?)metadata.Element(ns + "license")!.Attribute("type") == "expression", id, "license is not the MIT expression");
    Expect(Field("projectUrl") == repositoryRoot, id, $"projectUrl is '{Field("projectUrl")}', expected '{repositoryRoot}'");
    XElement? repository = metadata.Element(ns + "repository");
    Expect((string?)repository?.Attribute("url") == repositoryRoot + ".git", id, $"repository url is '{(string?)repository?.Attribute("url")}'");
    Expect((string?)repository?.Attribute("commit") == commit, id, $"repository commit is '{(string?)repository?.Attribute("commit")}', expected '{commit}'");
    Expect(!string.IsNullOrWhiteSpace(Field("description")) && Field("description")!.Length > 40, id, "no real description");
    Expect(Field("releaseNotes") is { Length: > 0 } notes && notes.Contains(repositoryRoot, StringComparison.Ordinal), id, "no release notes pointing to the repository");
    Expect(Field("authors") is { Length: > 0 }, id, "no authors");
    Expect(Field("tags")?.Contains("alipay", StringComparison.Ordinal) == true, id, "no tags");

    // The package README: its own, short, written for nuget.org.
    Expect(Field("readme") == "README.md", id, $"readme is '{Field("readme")}'");
    if (package.GetEntry("README.md") is { } readmeEntry)
    {
        string readme = new StreamReader(readmeEntry.Open()).ReadToEnd();
        Expect(readme.StartsWith($"# {id}", StringComparison.Ordinal), id, "the README does not start with the package's name");
        Expect(readme.Length < 8_000, id, $"the README is {readme.Length} characters: the package README is meant to be short");
        Expect(!readme.Contains("clone", StringComparison.OrdinalIgnoreCase), id, "the README speaks of a clone");
        foreach (Match link in Regex.Matches(readme, @"\]\(([^)\s]+)\)"))
        {
            string target = link.Groups[1].Value;
            Expect(target.StartsWith("https://", StringComparison.Ordinal), id, $"the README links to '{target}', which is not an absolute https URL");
        }
    }
    else
    {
        failures.Add($"{id}: no README.md in the package");
    }

    // The icon.
    Expect(Field("icon") == "icon.png", id, $"icon is '{Field("icon")}'");
    if (package.GetEntry("icon.png") is { } iconEntry)
    {
        byte[] header = new byte[8];
        iconEntry.Open().ReadExactly(header);
        Expect(header.AsSpan().SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), id, "icon.png is not a PNG");
    }
    else
    {
        failures.Add($"{id}: no icon.png in the package");
    }

    // Dependencies and framework references, per framework.
    XElement? dependencies = metadata.Element(ns + "dependencies");
    XElement? references = metadata.Element(ns + "frameworkReferences");
    foreach (string tfm in FrameworksOf(id))
    {
        XElement? group = dependencies?.Elements(ns + "group").FirstOrDefault(g => TfmOf((string?)g.Attribute("targetFramework")) == tfm);
        string[] wanted = packages.Where(p => !p.Contains('@', StringComparison.Ordinal) || p.EndsWith("@" + tfm, StringComparison.Ordinal))
            .Select(p => p.Split('@')[0]).ToArray();
        var actual = group?.Elements(ns + "dependency").ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!) ?? [];
        Expect(actual.Keys.Order(StringComparer.Ordinal).SequenceEqual(wanted.Order(StringComparer.Ordinal)), id, $"{tfm} depends on [{string.Join(", ", actual.Keys.Order(StringComparer.Ordinal))}], expected [{string.Join(", ", wanted)}]");
        foreach ((string dependency, string range) in actual)
        {
            string want = dependency.StartsWith("AlipayHk.Pay", StringComparison.Ordinal) ? version : pinned.GetValueOrDefault((dependency, tfm), "?");
            Expect(range == want || range == $"[{want}, )", id, $"{tfm} depends on {dependency} {range}, expected {want}");
        }

        var actualReferences = references?.Elements(ns + "group").FirstOrDefault(g => TfmOf((string?)g.Attribute("targetFramework")) == tfm)
            ?.Elements(ns + "frameworkReference").Select(r => (string)r.Attribute("name")!).Order(StringComparer.Ordinal).ToArray() ?? [];
        Expect(actualReferences.SequenceEqual(frameworkReferences), id, $"{tfm} framework references are [{string.Join(", ", actualReferences)}], expected [{string.Join(", ", frameworkReferences)}]");

        Expect(package.GetEntry($"lib/{tfm}/{id}.dll") is not null, id, $"no lib/{tfm}/{id}.dll");
        Expect(package.GetEntry($"lib/{tfm}/{id}.xml") is not null, id, $"no lib/{tfm}/{id}.xml (XML docs)");
    }

    // Symbols: a portable PDB per framework, matching the DLL, with SourceLink to the commit and no build machine paths.
    using ZipArchive symbols = ZipFile.OpenRead(snupkg);
    foreach (string tfm in FrameworksOf(id))
    {
        ZipArchiveEntry? pdbEntry = symbols.GetEntry($"lib/{tfm}/{id}.pdb");
        ZipArchiveEntry? dllEntry = package.GetEntry($"lib/{tfm}/{id}.dll");
        if (pdbEntry is null || dllEntry is null)
        {
            failures.Add($"{id}: no lib/{tfm}/{id}.pdb in the symbol package");
            continue;
        }

        using var pdbStream = new MemoryStream();
        pdbEntry.Open().CopyTo(pdbStream);
        pdbStream.Position = 0;
        using var dllStream = new MemoryStream();
        dllEntry.Open().CopyTo(dllStream);
        dllStream.Position = 0;

        using MetadataReaderProvider pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        MetadataReader pdb = pdbProvider.GetMetadataReader();
        using var pe = new PEReader(dllStream);
        DebugDirectoryEntry codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        CodeViewDebugDirectoryData data = pe.ReadCodeViewDebugDirectoryData(codeView);
        Expect(new BlobContentId(pdb.DebugMetadataHeader!.Id).Guid == data.Guid, id, $"{tfm}: the PDB does not match the DLL");
        Expect(!Path.IsPathRooted(data.Path) || data.Path.StartsWith("/_/", StringComparison.Ordinal), id, $"{tfm}: the DLL names its PDB by a build machine path '{data.Path}' (ContinuousIntegrationBuild off?)");

        var documents = pdb.Documents.Select(h => pdb.GetString(pdb.GetDocument(h).Name)).ToList();
        string? machinePath = documents.FirstOrDefault(d => !d.StartsWith("/_/", StringComparison.Ordinal) && !d.Contains("/obj/", StringComparison.Ordinal) && Path.IsPathRooted(d));
        Expect(documents.Count > 0 && documents.All(d => d.StartsWith("/_/", StringComparison.Ordinal) || IsEmbeddedPackageSource(pdb, d)), id, $"{tfm}: the PDB has build machine paths such as '{machinePath ?? documents.FirstOrDefault(d => !d.StartsWith("/_/", StringComparison.Ordinal))}' (ContinuousIntegrationBuild off?)");

        var sourceLinkGuid = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        string? sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(pdb.GetCustomDebugInformation)
            .Where(c => pdb.GetGuid(c.Kind) == sourceLinkGuid)
            .Select(c => System.Text.Encoding.UTF8.GetString(pdb.GetBlobBytes(c.Value)))
            .FirstOrDefault();
        if (sourceLink is null)
        {
            failures.Add($"{id}: {tfm}: the PDB has no SourceLink");
            continue;
        }

        string[] targets = JsonDocument.Parse(sourceLink).RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()!).ToArray();
        string rawRoot = repositoryRoot.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal) + "/" + commit + "/";
        Expect(targets.Length > 0 && targets.All(t => t.StartsWith(rawRoot, StringComparison.Ordinal)), id, $"{tfm}: SourceLink maps to [{string.Join(", ", targets)}], expected {rawRoot}*");
    }
}

foreach (string failure in failures)
{
    Console.WriteLine("FAIL " + failure);
}

Console.WriteLine(failures.Count == 0
    ? $"packages OK: {string.Join(", ", expected.Keys)} {version} (metadata, README, icon, license, project URL, dependencies for {string.Join(" and ", frameworks)} (and net462 for {string.Join(" and ", netFrameworkPackages)}), symbols with SourceLink to {commit[..7]})"
    : $"{failures.Count} package problem(s)");
return failures.Count == 0 ? 0 : 1;

// A source file of a source-only package (Polyfill, in the net462 builds): under the NuGet folder's deterministic root
// ("/_1/polyfill/..."), not a build machine path, and embedded in the PDB (EmbedUntrackedSources), so a debugger has it.
static bool IsEmbeddedPackageSource(MetadataReader pdb, string document)
{
    if (!Regex.IsMatch(document, "^/_[0-9]+/"))
    {
        return false;
    }

    var embeddedSource = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    DocumentHandle handle = pdb.Documents.First(h => pdb.GetString(pdb.GetDocument(h).Name) == document);
    return pdb.GetCustomDebugInformation(handle).Any(c => pdb.GetGuid(pdb.GetCustomDebugInformation(c).Kind) == embeddedSource);
}

static string? TfmOf(string? nugetFramework) => nugetFramework switch
{
    "net8.0" or ".NETCoreApp8.0" => "net8.0",
    "net10.0" or ".NETCoreApp10.0" => "net10.0",
    "net462" or ".NETFramework4.6.2" => "net462",
    _ => nugetFramework,
};
