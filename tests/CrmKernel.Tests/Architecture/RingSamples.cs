namespace CrmKernel.Tests.Architecture
{
    /// <summary>Two sample namespaces that break the ring rule, so that the check itself is tested.</summary>
    internal static class RingSamples
    {
        public const string Prefix = "CrmKernel.Tests.Architecture.Samples";
    }
}

namespace CrmKernel.Tests.Architecture.Samples.Model
{
    /// <summary>A model type that uses a service in a method body only: no signature shows the back edge.</summary>
    public sealed class SampleValue
    {
        public static string Describe() => new Services.SampleService().Name;
    }
}

namespace CrmKernel.Tests.Architecture.Samples.Services
{
    using CrmKernel.Tests.Architecture.Samples.Model;

    /// <summary>A service that uses the model, as it may.</summary>
    public sealed class SampleService
    {
        public SampleValue? Value { get; init; }

        public string Name => nameof(SampleService);
    }
}
