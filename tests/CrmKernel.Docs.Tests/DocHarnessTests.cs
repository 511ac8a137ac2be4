using System.Globalization;
using Xunit;

namespace CrmKernel.Docs.Tests;

/// <summary>The docs test itself: it reads the markers, and it fails on a block that does not compile or run.</summary>
[Collection(DocsCollection.Name)]
public sealed class DocHarnessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Parse_ReadsBlocksMarkersAndChains()
    {
        var blocks = DocPages.Parse("docs/page.md",
        [
            "# Page",                                   // 1
            "```csharp",                                // 2
            "var x = 1;",                               // 3
            "```",                                      // 4
            "<!-- continues -->",                       // 5
            "```csharp",                                // 6
            "Console.WriteLine(x);",                    // 7
            "```",                                      // 8
            "```bash",                                  // 9
            "```csharp inside bash is not a block",     // 10
            "```",                                      // 11
            "<!-- fragment: an interface excerpt -->",  // 12
            "```cs",                                    // 13
            "int Size { get; }",                        // 14
            "```",                                      // 15
            "<!-- compile-only: needs a server -->",    // 16
            "```csharp",                                // 17
            "var y = 2;",                               // 18
            "```",                                      // 19
        ]);

        Assert.Equal(["docs/page.md:2", "docs/page.md:6", "docs/page.md:13", "docs/page.md:17"], blocks.Select(b => b.Id));
        Assert.Equal([DocBlockMode.Run, DocBlockMode.Run, DocBlockMode.Fragment, DocBlockMode.CompileOnly], blocks.Select(b => b.Mode));
        Assert.Same(blocks[0], blocks[1].Previous);
        Assert.Equal("an interface excerpt", blocks[2].Reason);
        Assert.Equal("needs a server", blocks[3].Reason);
        Assert.All(blocks, b => Assert.Empty(b.MarkerErrors));
    }

    [Fact]
    public void Parse_RejectsAFragmentWithoutReasonAndAContinuationOfNothing()
    {
        var blocks = DocPages.Parse("docs/page.md", ["<!-- continues -->", "```csharp", "var x = 1;", "```", "<!-- fragment: -->", "```csharp", "var y = 2;", "```"]);

        Assert.Contains("nothing to continue", Assert.Single(blocks[0].MarkerErrors), StringComparison.Ordinal);
        Assert.Contains("needs a reason", Assert.Single(blocks[1].MarkerErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileAndRun_FailsOnABlockThatDoesNotCompile_NamingPageAndLine()
    {
        var block = DocPages.Parse("docs/page.md", ["", "```csharp", "var x = 1;", "Console.WriteLine(y);", "```"])[0];

        var e = await Assert.ThrowsAsync<DocBlockException>(() => DocCompiler.CompileAndRunAsync(block, run: true, Timeout, TextWriter.Null));

        Assert.Contains("docs/page.md:4", e.Message, StringComparison.Ordinal);
        Assert.Contains("CS0103", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileAndRun_FailsOnABlockThatThrows()
    {
        var block = DocPages.Parse("docs/page.md", ["```csharp", "await Task.Yield();", "throw new InvalidOperationException(\"boom\");", "```"])[0];

        var e = await Assert.ThrowsAsync<DocBlockException>(() => DocCompiler.CompileAndRunAsync(block, run: true, Timeout, TextWriter.Null));

        Assert.Contains("throws when run", e.Message, StringComparison.Ordinal);
        Assert.Contains("boom", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileAndRun_RunsAContinuationWithItsContext_UsingsHoisted()
    {
        var blocks = DocPages.Parse("docs/page.md",
        [
            "```csharp", "using System.Text;", "var text = new StringBuilder(\"a\");", "record Box(int Value);", "```",
            "<!-- continues -->", "```csharp", "using System.Globalization;", "text.Append(new Box(1).Value.ToString(CultureInfo.InvariantCulture));", "Console.Write(text);", "```",
        ]);
        using var console = new StringWriter(CultureInfo.InvariantCulture);

        await DocCompiler.CompileAndRunAsync(blocks[1], run: true, Timeout, console);

        Assert.Equal("a1", console.ToString());
    }

    [Fact]
    public async Task CompileAndRun_RunsTheFactsOfTheTestClassesABlockDeclares()
    {
        var block = DocPages.Parse("docs/page.md",
        [
            "```csharp", "using Xunit;",
            "public sealed class Passing { [Fact] public void Passes() { } [Theory, InlineData(1)] public void NotRun(int x) => throw new InvalidOperationException(); }",
            "public sealed class Failing { [Fact] public async Task Fails() { await Task.Yield(); Assert.Equal(1, 2); } }",
            "```",
        ])[0];
        using var console = new StringWriter(CultureInfo.InvariantCulture);

        var e = await Assert.ThrowsAsync<DocBlockException>(() => DocCompiler.CompileAndRunAsync(block, run: true, Timeout, console));

        Assert.Contains("1 of 2 [Fact]s failing", e.Message, StringComparison.Ordinal);
        Assert.Contains("Failing.Fails", e.Message, StringComparison.Ordinal);
        Assert.Contains("Passing.Passes: passed", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileAndRun_FailsOnABlockWithNothingToRun()
    {
        var block = DocPages.Parse("docs/page.md", ["```csharp", "public interface IShape { double Area { get; } }", "```"])[0];

        var e = await Assert.ThrowsAsync<DocBlockException>(() => DocCompiler.CompileAndRunAsync(block, run: true, Timeout, TextWriter.Null));

        Assert.Contains("nothing to run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholders_AreFoundOutsideLiteralsOnly()
    {
        var block = DocPages.Parse("docs/page.md",
        [
            "```csharp", "var ok = \"loading…\";", "foreach (var x in xs) { … }", "// ...", "var range = items[..2];", "```",
        ])[0];

        Assert.Equal([3, 4], Placeholders.Lines(block));
    }
}
