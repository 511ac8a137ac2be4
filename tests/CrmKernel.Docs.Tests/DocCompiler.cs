using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace CrmKernel.Docs.Tests;

/// <summary>
/// Compiles a block (with the blocks it continues) as one top-level-statements program against every assembly the
/// test loads, and runs it in a collectible load context: its statements, then the xunit <c>[Fact]</c>s of the test
/// classes it declares (a conformance-kit class a page shows runs the kit). Diagnostics name the page and line.
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
            var assembly = context.LoadFromStream(peStream, pdbStream);
            var facts = Facts(assembly);
            if (assembly.EntryPoint is null && facts.Count == 0)
            {
                throw new DocBlockException(block, "has nothing to run (only declarations, no [Fact]s): add the statements that use them, or mark it <!-- compile-only: reason -->", []);
            }

            if (assembly.EntryPoint is { } entryPoint)
            {
                try
                {
                    var result = await AwaitAsync(entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]), timeout).ConfigureAwait(false);
                    if (result is int exitCode && exitCode != 0)
                    {
                        throw new DocBlockException(block, $"returns exit code {exitCode}", []);
                    }
                }
                catch (Exception e) when (e is not DocBlockException)
                {
                    var thrown = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                    throw new DocBlockException(block, "throws when run", [thrown.ToString()], thrown);
                }
            }

            var failures = new List<string>();
            foreach (var fact in facts)
            {
                var name = $"{fact.ReflectedType!.Name}.{fact.Name}";
                try
                {
                    await RunFactAsync(fact, timeout).ConfigureAwait(false);
                    console.WriteLine($"[Fact] {name}: passed");
                }
                catch (Exception e)
                {
                    var thrown = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                    failures.Add($"{name}: {thrown}");
                }
            }

            if (failures.Count > 0)
            {
                throw new DocBlockException(block, $"has {failures.Count} of {facts.Count} [Fact]s failing", failures);
            }
        }
        finally
        {
            Console.SetOut(originalOut);
            context.Unload();
        }
    }

    /// <summary>
    /// The [Fact]s (exactly xunit's FactAttribute: theories and properties need data) of the public, concrete classes
    /// with a parameterless constructor, inherited ones included, as a test runner would find them.
    /// </summary>
    private static List<MethodInfo> Facts(Assembly assembly) =>
    [
        .. assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.GetParameters().Length == 0
                            && m.GetCustomAttributes<FactAttribute>(inherit: true).Any(a => a.GetType() == typeof(FactAttribute) && a.Skip is null))),
    ];

    private static async Task RunFactAsync(MethodInfo fact, TimeSpan timeout)
    {
        var instance = Activator.CreateInstance(fact.ReflectedType!)!;
        try
        {
            if (instance is IAsyncLifetime lifetime)
            {
                await lifetime.InitializeAsync().WaitAsync(timeout).ConfigureAwait(false);
            }

            await AwaitAsync(fact.Invoke(instance, null), timeout).ConfigureAwait(false);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncLifetime lifetime:
                    await lifetime.DisposeAsync().ConfigureAwait(false);
                    break;
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>Awaits what a method returned when it is a task; returns a <c>Task&lt;T&gt;</c>'s result.</summary>
    private static async Task<object?> AwaitAsync(object? returned, TimeSpan timeout)
    {
        switch (returned)
        {
            case Task task:
                await task.WaitAsync(timeout).ConfigureAwait(false);
                return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask.AsTask().WaitAsync(timeout).ConfigureAwait(false);
                return null;
            default:
                return returned;
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
