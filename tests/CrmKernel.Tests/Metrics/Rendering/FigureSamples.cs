using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Tests.Api;

namespace CrmKernel.Tests.Metrics.Rendering;

/// <summary>Valid samples of the figure types, for the reflection-driven API tests.</summary>
internal static class FigureSamples
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: registers its samples before any test runs.")]
    internal static void Register()
    {
        SampleValues.Add(() => new Figure("Sample", "x", "y", [new FigureSeries("a", FigureSeriesKind.Line, [new FigurePoint(1, 2)])]));
        SampleValues.Add<TextWriter>(() => new StringWriter());
    }
}
