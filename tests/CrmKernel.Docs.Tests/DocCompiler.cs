using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CrmKernel.Docs.Tests;

/// <summary>
/// Compiles a block (with the blocks it continues) as one top-level-statements program against every assembly the
/// test loads, and runs it in a collectible load context. Diagnostics name the page and line.
/// </summary>
internal static class DocCompiler
{
    /// <summary>The usings every block gets, as in a new console project (ImplicitUsings).</summary>
    public static readonly ImmutableArray<string> ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading",
        "System.Threading.Tasks",
    ];

    /// <summary>
    /// Warnings a short example may have: unused variables, an unused local function, and the assembly version
    /// unification notes the .NET SDK silences too (CS1701, CS1702).
    /// </summary>
    private static readonly ImmutableHashSet<string> AllowedWarnings = ["CS0168", "CS0219", "CS8321", "CS1701", "CS1702"];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>Compiles the block; with <paramref name="run"/>, also runs it. Throws with the diagnostics on failure.</summary>
    /// <param name="block">The block.</param>
    /// <param name="run">Whether to run the compiled program.</param>
    /// <param name="timeout">How long a run may take.</param>
    /// <param name="console">Receives what the block writes to the console while it runs.</param>
    /// <remarks>Runs change <see cref="Console.Out"/>: callers run one block at a time.</remarks>
    public static async Task CompileAndRunAsync(DocBlock block, bool run, TimeSpan timeout, TextWriter console)
    {
        var chain = block.Chain;
        var syntaxErrors = chain
            .SelectMany(b => CSharpSyntaxTree.ParseText(b.Code, ParseOptions).GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"{b.File}:{b.FirstCodeLine + d.Location.GetLineSpan().StartLinePosition.Line}: {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"))
            .ToList();
        if (syntaxErrors.Count > 0)
        {
            throw new DocBlockException(block, "does not parse", syntaxErrors);
        }

        var tree = CSharpSyntaxTree.ParseText(Program(chain), ParseOptions, path: "docs-block.cs", encoding: Encoding.UTF8);
        var hasStatements = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        if (run && !hasStatements)
        {
            throw new DocBlockException(block, "has nothing to run (only declarations): add the statements that use them, or mark it <!-- compile-only: reason -->", []);
        }

        var compilation = CSharpCompilation.Create(
            "DocBlock_" + Guid.NewGuid().ToString("N"),
            [tree],
            LazyReferences.Value,
            new CSharpCompilationOptions(
                hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Debug));

        using var peStream = new MemoryStream();
        using var pdbStream = new MemoryStream();
        var emit = compilation.Emit(peStream, pdbStream);
        var problems = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !AllowedWarnings.Contains(d.Id)))
            .Select(Describe)
            .ToList();
        if (problems.Count > 0)
        {
            throw new DocBlockException(block, "does not compile", problems);
        }

        if (!run)
        {
            return;
        }

        peStream.Position = 0;
        pdbStream.Position = 0;
        var context = new AssemblyLoadContext(block.Id, isCollectible: true);
        var originalOut = Console.Out;
        Console.SetOut(console);
        try
        {
            var entryPoint = context.LoadFromStream(peStream, pdbStream).EntryPoint
                ?? throw new DocBlockException(block, "has no entry point", []);
            object? result;
            try
            {
                result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
                if (result is Task task)
                {
                    await task.WaitAsync(timeout).ConfigureAwait(false);
                    result = task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
                }
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw new DocBlockException(block, "throws when run", [e.InnerException.ToString()], e.InnerException);
            }
            catch (Exception e) when (e is not DocBlockException)
            {
                throw new DocBlockException(block, "throws when run", [e.ToString()], e);
            }

            if (result is int exitCode && exitCode != 0)
            {
                throw new DocBlockException(block, $"returns exit code {exitCode}", []);
            }
        }
        finally
        {
            Console.SetOut(originalOut);
            context.Unload();
        }
    }

    /// <summary>
    /// The program for a chain of blocks: their usings, then their statements, then their declarations (C# wants them in
    /// that order), each preceded by a #line directive so diagnostics and stack traces name the page and line.
    /// </summary>
    /// <param name="chain">The blocks, oldest first.</param>
    internal static string Program(IReadOnlyList<DocBlock> chain)
    {
        var usings = new StringBuilder();
        var statements = new StringBuilder();
        var declarations = new StringBuilder();
        var seenUsings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in ImplicitUsings)
        {
            usings.Append("global using ").Append(name).Append(";\n");
        }

        foreach (var block in chain)
        {
            var unit = CSharpSyntaxTree.ParseText(block.Code, ParseOptions).GetCompilationUnitRoot();
            foreach (var directive in unit.Usings)
            {
                if (seenUsings.Add(directive.ToString()))
                {
                    Append(usings, block, directive);
                }
            }

            foreach (var member in unit.Members)
            {
                Append(member is GlobalStatementSyntax ? statements : declarations, block, member);
            }
        }

        return usings.Append(statements).Append(declarations).ToString();
    }

    private static void Append(StringBuilder text, DocBlock block, SyntaxNode node)
    {
        var line = block.FirstCodeLine + node.GetLocation().GetLineSpan().StartLinePosition.Line;
        var column = node.GetLocation().GetLineSpan().StartLinePosition.Character;
        text.Append("#line ").Append(line).Append(" \"").Append(block.File).Append("\"\n")
            .Append(' ', column).Append(node.ToString()).Append('\n');
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        return $"{span.Path}:{span.StartLinePosition.Line + 1}: {diagnostic.Severity.ToString().ToUpperInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The assemblies the test process can load (the trusted platform assemblies, which include this project's
    /// packages, and the assemblies next to the test), one per simple name.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"));
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (byName.ContainsKey(name) || !IsManaged(path))
            {
                continue;
            }

            byName[name] = path;
        }

        return [.. byName.Values.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            _ = AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}

/// <summary>A block that does not compile or run, with the page and line in the message.</summary>
internal sealed class DocBlockException : Exception
{
    public DocBlockException(DocBlock block, string problem, IReadOnlyList<string> details, Exception? inner = null)
        : base($"{block.Id} {problem}" + (details.Count == 0 ? string.Empty : ":\n  " + string.Join("\n  ", details)), inner)
    {
    }

    public DocBlockException()
    {
    }

    public DocBlockException(string message)
        : base(message)
    {
    }

    public DocBlockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
