using System.Text;
using System.Text.Json;
using CrmKernel.Cases;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Privacy;
using CrmKernel.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Privacy;

/// <summary>
/// The erasure workflow against a model: random sequences of erasures, case openings and resolutions, host holds placed
/// and released, and exports over a few customers. The model says who is erased (and by which record) and who is on
/// hold; after every step the service's answer and the export agree with it.
/// </summary>
public sealed class ErasureModelBasedProperties
{
    private const int People = 3;
    private static readonly TenantId Tenant = new("privacy-model");

    private enum Op
    {
        Erase,
        OpenCase,
        ResolveCases,
        HoldInvoice,
        PayInvoice,
        Export,
    }

    private static readonly Gen<(Op Op, int Who)[]> Steps =
        Gen.Elements(Enum.GetValues<Op>()).SelectMany(op => Gen.Choose(0, People - 1).Select(who => (op, who))).ListOf().Select(l => l.Take(30).ToArray());

    [Property(MaxTest = 100)]
    public Property Erasure_FollowsTheModel() => Prop.ForAll(Steps.ToArbitrary(), steps =>
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 6, 1, 0, 0), Duration.FromSeconds(1));
        var invoices = new HashSet<CustomerId>();
        var services = new ServiceCollection();
        services.AddCrmKernel(b => b.UseInMemoryStores().UseClock(clock));
        services.AddSingleton<ILawfulHoldCheck>(new Invoices(invoices));
        using var provider = services.BuildServiceProvider();
        var erasure = provider.GetRequiredService<ErasureService>();
        var cases = provider.GetRequiredService<ICaseStore>();
        var people = new CustomerId[People];
        for (var i = 0; i < People; i++)
        {
            var customer = Customer.Register(Tenant, new PersonProfile($"p{i}", "Model"), clock);
            customer.AddContactPoint(EmailAddress.Parse($"p{i}@model.example"));
            Run(provider.GetRequiredService<CustomerRepository>().SaveAsync(customer));
            people[i] = customer.Id;
        }

        var erased = new Dictionary<int, ErasureRecord>();
        var openCases = new Dictionary<int, List<CaseId>>();
        foreach (var (op, who) in steps)
        {
            var id = people[who];
            switch (op)
            {
                case Op.Erase:
                    var onHold = !erased.ContainsKey(who) && ((openCases.TryGetValue(who, out var open) && open.Count > 0) || invoices.Contains(id));
                    try
                    {
                        var record = Run(erasure.EraseAsync(Tenant, id, "dpo"));
                        if (onHold || (erased.TryGetValue(who, out var earlier) && !earlier.Equals(record)))
                        {
                            return false.Label($"erase {who}: expected hold or the earlier record");
                        }

                        erased[who] = record;
                    }
                    catch (PrivacyException e)
                    {
                        if (!onHold || e.ErrorCode != global::CrmKernel.Diagnostics.CrmErrorCodes.ErasureOnHold)
                        {
                            return false.Label($"erase {who}: unexpected hold {e.Hold}");
                        }
                    }

                    break;
                case Op.OpenCase:
                    var serviceCase = ServiceCase.Open(Tenant, CaseId.New(), id, "Model case", "model", CasePriority.Normal, null, false, null, clock.GetCurrentInstant(), "agent");
                    Run(cases.CommitAsync(CaseCommit.Create(serviceCase), default));
                    (openCases.TryGetValue(who, out var list) ? list : openCases[who] = []).Add(serviceCase.Id);
                    break;
                case Op.ResolveCases:
                    foreach (var c in openCases.GetValueOrDefault(who) ?? [])
                    {
                        var stored = Run(cases.FindAsync(Tenant, c, default))!;
                        stored.Start(clock.GetCurrentInstant(), "agent", "working");
                        stored.Resolve(clock.GetCurrentInstant(), "agent", null, null);
                        Run(cases.CommitAsync(CaseCommit.Create(stored), default));
                    }

                    openCases.Remove(who);
                    break;
                case Op.HoldInvoice:
                    invoices.Add(id);
                    break;
                case Op.PayInvoice:
                    invoices.Remove(id);
                    break;
                case Op.Export:
                    using (var buffer = new MemoryStream())
                    {
                        Run(provider.GetRequiredService<PersonalDataExporter>().ExportAsync(Tenant, id, buffer));
                        using var document = JsonDocument.Parse(buffer.ToArray());
                        var isErased = erased.ContainsKey(who);
                        var shows = document.RootElement.GetProperty("erasure").ValueKind != JsonValueKind.Null;
                        var points = document.RootElement.GetProperty("customer").GetProperty("contactPoints").GetArrayLength();
                        var leaks = Encoding.UTF8.GetString(buffer.ToArray()).Contains($"p{who}@model.example", StringComparison.Ordinal);
                        if (shows != isErased || points != (isErased ? 0 : 1) || leaks == isErased)
                        {
                            return false.Label($"export {who}: erased {isErased}, shows {shows}, {points} points");
                        }
                    }

                    break;
            }
        }

        return true.ToProperty();
    });

    private static T Run<T>(ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();

    private static void Run(ValueTask task) => task.AsTask().GetAwaiter().GetResult();

    private sealed class Invoices(HashSet<CustomerId> debtors) : ILawfulHoldCheck
    {
        public ValueTask<LawfulHold?> FindHoldAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
            => ValueTask.FromResult(debtors.Contains(customerId) ? new LawfulHold("open-invoice", "billing") : null);
    }
}
