using Xunit;
using Xunit.Abstractions;

namespace CrmKernel.Docs.Tests;

/// <summary>
/// Every C# block of README.md and docs/*.md compiles and runs, unless the page marks it compile-only or a fragment,
/// with a reason (see docs/contributing.md, "Docs that compile"). A running block's console output is redirected to its
/// test's output, so the tests that run blocks share one collection and run one at a time.
/// </summary>
[Collection(DocsCollection.Name)]
public sealed class DocsCompileTests(ITestOutputHelper output)
{
    /// <summary>The share of blocks that must be compiled and run.</summary>
    private const double MinimumRunShare = 0.90;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>One row per block, named by page and line.</summary>
    public static TheoryData<string> BlockIds => [.. DocPages.Blocks.Select(b => b.Id)];

    [Theory]
    [MemberData(nameof(BlockIds))]
    public async Task Block_compiles_and_runs_unless_marked(string id)
    {
        var block = DocPages.Blocks.Single(b => b.Id == id);
        Assert.True(block.MarkerErrors.Count == 0, $"{id}: {string.Join("; ", block.MarkerErrors)}");
        if (block.Mode == DocBlockMode.Fragment)
        {
            output.WriteLine($"{id}: fragment ({block.Reason})");
            return;
        }

        using var console = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await DocCompiler.CompileAndRunAsync(block, run: block.Mode == DocBlockMode.Run, RunTimeout, console);
        }
        finally
        {
            output.WriteLine(console.ToString());
        }

        output.WriteLine(block.Mode == DocBlockMode.Run ? $"{id}: compiled and run" : $"{id}: compiled, not run ({block.Reason})");
    }

    [Fact]
    public void Blocks_are_mostly_run_and_hold_no_placeholders()
    {
        var blocks = DocPages.Blocks;
        var run = blocks.Count(b => b.Mode == DocBlockMode.Run);
        var compileOnly = blocks.Where(b => b.Mode == DocBlockMode.CompileOnly).ToList();
        var fragments = blocks.Where(b => b.Mode == DocBlockMode.Fragment).ToList();
        var placeholders = blocks.SelectMany(b => Placeholders.Lines(b).Select(line => $"{b.File}:{line}")).ToList();

        output.WriteLine($"C# blocks in README.md and docs/*.md: {blocks.Count} total, {run} compiled and run, " +
                         $"{compileOnly.Count} compile-only, {fragments.Count} fragments, {placeholders.Count} placeholders");
        foreach (var block in compileOnly)
        {
            output.WriteLine($"  compile-only {block.Id}: {block.Reason}");
        }

        foreach (var block in fragments)
        {
            output.WriteLine($"  fragment {block.Id}: {block.Reason}");
        }

        Assert.NotEmpty(blocks);
        Assert.True(placeholders.Count == 0, "Elided code (… or ...) in: " + string.Join(", ", placeholders));
        Assert.True(
            run >= MinimumRunShare * blocks.Count,
            $"{run} of {blocks.Count} blocks are compiled and run; at least {MinimumRunShare:P0} must be.");
    }
}
