using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using CrmKernel.Tests.Api;
using NodaTime;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>Valid samples of the customer-base parameter types, for the reflection-driven API tests.</summary>
internal static class CustomerBaseSamples
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: registers its samples before any test runs.")]
    internal static void Register()
    {
        SampleValues.Add(() => CustomerBaseSummary.Create(
            [new PurchaseRecord(CustomerId.New(), Instant.FromUtc(2026, 1, 1, 12, 0), Money.Of(10m, "EUR"))],
            Currency.EUR,
            DateTimeZone.Utc,
            new LocalDate(2026, 3, 31),
            SummaryTimeUnit.Weeks));
        SampleValues.Add<TransactionModel>(() => new BgNbdModel(0.243, 4.414, 0.793, 2.426));
        SampleValues.Add(() => new BgNbdModel(0.243, 4.414, 0.793, 2.426));
        SampleValues.Add(() => new ParetoNbdModel(0.553, 10.578, 0.606, 11.669));
        SampleValues.Add(() => new GammaGammaModel(6.25, 3.74, 15.44));
        SampleValues.Add(() => new LifetimeValueTerms(12, 52d / 12d, 0.01, 0.3m));
        SampleValues.Add(() => new ShiftedBetaGeometricModel(0.704, 1.182));
        SampleValues.Add(() => new BgBbModel(1.204, 0.750, 0.657, 2.783));
        SampleValues.Add(() => new OpportunityHistory(2, 3, 6, 10));
    }
}
