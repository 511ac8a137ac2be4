using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CrmKernel.Docs.Tests;

/// <summary>Finds elided code (<c>…</c> or <c>...</c>) in a block: anywhere but inside a string or character literal.</summary>
internal static class Placeholders
{
    private static readonly string[] Marks = ["…", "..."];

    /// <summary>The 1-based page lines of the block that hold a placeholder.</summary>
    /// <param name="block">The block.</param>
    public static IReadOnlyList<int> Lines(DocBlock block)
    {
        var root = CSharpSyntaxTree.ParseText(block.Code).GetRoot();
        var lines = new SortedSet<int>();
        foreach (var token in root.DescendantTokens(descendIntoTrivia: true))
        {
            if (!IsLiteral(token) && HasMark(token.Text))
            {
                lines.Add(LineOf(block, token.GetLocation()));
            }

            foreach (var trivia in token.LeadingTrivia.Concat(token.TrailingTrivia))
            {
                if (!trivia.HasStructure && HasMark(trivia.ToString()))
                {
                    lines.Add(LineOf(block, trivia.GetLocation()));
                }
            }
        }

        return [.. lines];
    }

    private static bool HasMark(string text) => Marks.Any(mark => text.Contains(mark, StringComparison.Ordinal));

    private static bool IsLiteral(SyntaxToken token) => token.Kind() is SyntaxKind.StringLiteralToken
        or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringTextToken
        or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken
        or SyntaxKind.Utf8StringLiteralToken or SyntaxKind.Utf8SingleLineRawStringLiteralToken
        or SyntaxKind.Utf8MultiLineRawStringLiteralToken;

    private static int LineOf(DocBlock block, Location location) =>
        block.FirstCodeLine + location.GetLineSpan().StartLinePosition.Line;
}
