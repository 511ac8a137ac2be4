namespace CrmKernel.Docs.Tests;

/// <summary>What the docs test does with a C# block, as declared by the marker above its fence.</summary>
internal enum DocBlockMode
{
    /// <summary>No marker (or only <c>&lt;!-- continues --&gt;</c>): compiled and run.</summary>
    Run,

    /// <summary><c>&lt;!-- compile-only: reason --&gt;</c>: compiled, not run.</summary>
    CompileOnly,

    /// <summary><c>&lt;!-- fragment: reason --&gt;</c>: neither compiled nor run.</summary>
    Fragment,
}

/// <summary>One fenced C# block of a page.</summary>
/// <param name="File">The page, relative to the repository root, with forward slashes.</param>
/// <param name="FenceLine">The 1-based line of the opening fence.</param>
/// <param name="Code">The block's code, indentation of the fence removed.</param>
/// <param name="Mode">What the test does with it.</param>
/// <param name="Reason">Why a block is a fragment or compile-only; empty otherwise.</param>
/// <param name="Previous">The block this one continues, or <see langword="null"/>.</param>
/// <param name="MarkerErrors">Problems with the markers above the fence (unknown marker, missing reason, ...).</param>
internal sealed record DocBlock(
    string File,
    int FenceLine,
    string Code,
    DocBlockMode Mode,
    string Reason,
    DocBlock? Previous,
    IReadOnlyList<string> MarkerErrors)
{
    /// <summary>The id tests are named by: <c>docs/page.md:12</c>.</summary>
    public string Id => $"{File}:{FenceLine}";

    /// <summary>The 1-based page line of the block's first code line.</summary>
    public int FirstCodeLine => FenceLine + 1;

    /// <summary>The blocks compiled together for this one, oldest first, ending with this block.</summary>
    public IReadOnlyList<DocBlock> Chain
    {
        get
        {
            var chain = new List<DocBlock>();
            for (var block = this; block is not null; block = block.Previous)
            {
                chain.Insert(0, block);
            }

            return chain;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
