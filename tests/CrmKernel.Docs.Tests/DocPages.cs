using System.Text.RegularExpressions;

namespace CrmKernel.Docs.Tests;

/// <summary>
/// Finds the pages (README.md and docs/*.md, relative to the folder holding CrmKernel.sln) and their C# blocks.
/// </summary>
internal static partial class DocPages
{
    private static readonly Lazy<string> LazyRoot = new(FindRepositoryRoot);
    private static readonly Lazy<IReadOnlyList<DocBlock>> LazyBlocks = new(ReadAllBlocks);

    /// <summary>The repository root: the first folder above the test assembly that holds CrmKernel.sln.</summary>
    public static string RepositoryRoot => LazyRoot.Value;

    /// <summary>Every C# block of every page, in page order.</summary>
    public static IReadOnlyList<DocBlock> Blocks => LazyBlocks.Value;

    /// <summary>The pages the test reads, relative to the repository root.</summary>
    public static IEnumerable<string> Pages()
    {
        var root = RepositoryRoot;
        yield return "README.md";
        foreach (var page in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(root, page).Replace('\\', '/');
        }
    }

    /// <summary>Reads the C# blocks of one page.</summary>
    /// <param name="relativePath">The page, relative to the repository root.</param>
    /// <param name="lines">The page's lines.</param>
    public static IReadOnlyList<DocBlock> Parse(string relativePath, IReadOnlyList<string> lines)
    {
        var blocks = new List<DocBlock>();
        for (var i = 0; i < lines.Count; i++)
        {
            var fence = OpeningFence().Match(lines[i]);
            if (!fence.Success)
            {
                // Skip other fenced blocks whole, so a ```csharp line inside them is not taken for a block.
                if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    i = ClosingFence(lines, i + 1);
                }

                continue;
            }

            var indent = fence.Groups["indent"].Value.Length;
            var end = ClosingFence(lines, i + 1);
            var code = string.Join('\n', lines.Skip(i + 1).Take(end - i - 1).Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart()));
            var errors = new List<string>();
            if (end >= lines.Count)
            {
                errors.Add("the block has no closing fence");
            }

            var mode = DocBlockMode.Run;
            var reason = string.Empty;
            var continues = false;
            for (var m = i - 1; m >= 0 && lines[m].TrimStart().StartsWith("<!--", StringComparison.Ordinal); m--)
            {
                var marker = Marker().Match(lines[m].Trim());
                if (!marker.Success)
                {
                    continue; // an ordinary HTML comment
                }

                var kind = marker.Groups["kind"].Value;
                var text = marker.Groups["reason"].Value.Trim();
                if (kind == "continues")
                {
                    continues = true;
                    continue;
                }

                if (mode != DocBlockMode.Run)
                {
                    errors.Add("more than one of fragment / compile-only");
                }

                mode = kind == "fragment" ? DocBlockMode.Fragment : DocBlockMode.CompileOnly;
                reason = text;
                if (reason.Length == 0)
                {
                    errors.Add($"<!-- {kind}: reason --> needs a reason");
                }
            }

            DocBlock? previous = null;
            if (continues)
            {
                previous = blocks.Count > 0 ? blocks[^1] : null;
                if (previous is null)
                {
                    errors.Add("<!-- continues --> on the first block of the page: there is nothing to continue");
                }
                else if (previous.Mode == DocBlockMode.Fragment)
                {
                    errors.Add($"<!-- continues --> continues {previous.Id}, a fragment, which is never compiled");
                }
                else if (previous.Mode == DocBlockMode.CompileOnly && mode == DocBlockMode.Run)
                {
                    errors.Add($"the block continues {previous.Id}, which is compile-only, so it cannot run either: say so with <!-- compile-only: reason -->");
                }
            }

            blocks.Add(new DocBlock(relativePath, i + 1, code, mode, reason, previous, errors));
            i = end;
        }

        return blocks;
    }

    private static int ClosingFence(IReadOnlyList<string> lines, int from)
    {
        var end = from;
        while (end < lines.Count && !ClosingFenceLine().IsMatch(lines[end]))
        {
            end++;
        }

        return end;
    }

    private static IReadOnlyList<DocBlock> ReadAllBlocks() =>
        [.. Pages().SelectMany(page => Parse(page, File.ReadAllLines(Path.Combine(RepositoryRoot, page))))];

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmKernel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds CrmKernel.sln.");
    }

    [GeneratedRegex(@"^(?<indent>\s*)```\s*(csharp|cs|c#)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex OpeningFence();

    /// <summary>A closing fence: backticks only (an info string would make it an opening fence).</summary>
    [GeneratedRegex(@"^\s*```+\s*$")]
    private static partial Regex ClosingFenceLine();

    [GeneratedRegex(@"^<!--\s*(?<kind>continues|fragment|compile-only)\s*(:(?<reason>.*?))?\s*-->$")]
    private static partial Regex Marker();
}
