using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Identity;
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
/// Erasure and merges against a model: random sequences of merges, unmerges and erasures over a few customers. The
/// model says who is merged away (into whom), which merges are undone and which are redacted; after every step the
/// services' answers (CRM-PRIV-002 naming the end of the chain, CRM-MERGE-005/006) and the stored records agree with it,
/// and no redacted record holds an address of anybody.
/// </summary>
public sealed class ErasureMergeModelBasedProperties
{
    private const int People = 4;
    private static readonly TenantId Tenant = new("erasure-merge-model");

    private enum Op
    {
        Merge,
        Unmerge,
        Erase,
    }

    private sealed record ModelMerge(CustomerMergeId Id, int Survivor, int Merged)
    {
        public bool Undone { get; set; }

        public bool Redacted { get; set; }
    }

    private static readonly Gen<(Op Op, int A, int B)[]> Steps =
        (from op in Gen.Frequency((3, Gen.Constant(Op.Merge)), (2, Gen.Constant(Op.Unmerge)), (2, Gen.Constant(Op.Erase)))
         from a in Gen.Choose(0, People - 1)
         from b in Gen.Choose(0, People - 1)
         select (op, a, b)).ListOf().Select(l => l.Take(25).ToArray());

    [Property(MaxTest = 100)]
    public Property ErasureAndMerges_FollowTheModel() => Prop.ForAll(Steps.ToArbitrary(), steps =>
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 6, 1, 0, 0), Duration.FromSeconds(1));
        var services = new ServiceCollection();
        services.AddCrmKernel(b => b.UseInMemoryStores().UseClock(clock));
        using var provider = services.BuildServiceProvider();
        var erasure = provider.GetRequiredService<ErasureService>();
        var mergeService = provider.GetRequiredService<CustomerMergeService>();
        var store = provider.GetRequiredService<ICustomerMergeStore>();
        var people = new CustomerId[People];
        for (var i = 0; i < People; i++)
        {
            var customer = Customer.Register(Tenant, new PersonProfile($"m{i}", "Model"), clock);
            customer.AddContactPoint(EmailAddress.Parse($"m{i}@merge-model.example"));
            Run(provider.GetRequiredService<CustomerRepository>().SaveAsync(customer));
            people[i] = customer.Id;
        }

        var merges = new List<ModelMerge>();
        var erased = new HashSet<int>();
        ModelMerge? ActiveAway(int who) => merges.LastOrDefault(m => m.Merged == who && !m.Undone);
        int End(int who) => ActiveAway(who) is { } m ? End(m.Survivor) : who;

        foreach (var (op, a, b) in steps)
        {
            switch (op)
            {
                case Op.Merge:
                    if (a == b)
                    {
                        break;
                    }

                    if (erased.Contains(a) || erased.Contains(b))
                    {
                        // An erased customer is never merged (CRM-MERGE-007), after the checks that come first: the same
                        // active merge is returned as it is, and a side merged away is CRM-MERGE-003.
                        var expected = ActiveAway(b) is { } repeat && repeat.Survivor == a ? null
                            : ActiveAway(a) is not null || ActiveAway(b) is not null ? CrmErrorCodes.CustomerMergedAway
                            : CrmErrorCodes.MergeOfErased;
                        try
                        {
                            var record = Run(mergeService.MergeAsync(Tenant, people[a], people[b]));
                            if (expected is not null || record.Id != ActiveAway(b)!.Id)
                            {
                                return false.Label($"merge {b} into {a} with an erased side: accepted");
                            }
                        }
                        catch (CustomerMergeException e) when (e.ErrorCode == expected)
                        {
                        }

                        break;
                    }

                    try
                    {
                        var record = Run(mergeService.MergeAsync(Tenant, people[a], people[b]));
                        if (ActiveAway(b) is { } same && same.Survivor == a)
                        {
                            // The same merge while it is active: the stored record, nothing new.
                            if (record.Id != same.Id)
                            {
                                return false.Label($"merge {b} into {a} again: another record");
                            }

                            break;
                        }

                        if (ActiveAway(a) is not null || ActiveAway(b) is not null)
                        {
                            return false.Label($"merge {b} into {a}: a side is merged away");
                        }

                        merges.Add(new ModelMerge(record.Id, a, b));
                    }
                    catch (CustomerMergeException e) when (e.ErrorCode == CrmErrorCodes.CustomerMergedAway)
                    {
                        if (ActiveAway(a) is null && ActiveAway(b) is null)
                        {
                            return false.Label($"merge {b} into {a}: refused as merged away");
                        }
                    }

                    break;
                case Op.Unmerge:
                    if (merges.LastOrDefault(m => m.Survivor == a || m.Merged == a) is not { } target)
                    {
                        break;
                    }

                    try
                    {
                        var record = Run(mergeService.UnmergeAsync(Tenant, target.Id));
                        var expectedFailure = !target.Undone && (target.Redacted || ActiveAway(target.Survivor) is not null);
                        if (expectedFailure || record.IsActive)
                        {
                            return false.Label($"unmerge {target.Id}: expected a refusal");
                        }

                        target.Undone = true;
                    }
                    catch (CustomerMergeException e)
                    {
                        var expected = target.Redacted ? CrmErrorCodes.UnmergeRedacted : CrmErrorCodes.UnmergeSurvivorMergedAway;
                        if (target.Undone || e.ErrorCode != expected || (!target.Redacted && ActiveAway(target.Survivor) is null))
                        {
                            return false.Label($"unmerge {target.Id}: {e.ErrorCode}, expected {expected}");
                        }
                    }

                    break;
                case Op.Erase:
                    try
                    {
                        var record = Run(erasure.EraseAsync(Tenant, people[a], "dpo"));
                        if (ActiveAway(a) is not null)
                        {
                            return false.Label($"erase {a}: it is merged away");
                        }

                        var first = erased.Add(a);
                        var named = first ? merges.Where(m => (m.Survivor == a || m.Merged == a) && !m.Redacted).ToList() : [];
                        if (first && record.CountOf(ErasureCategories.MergeRecords) != named.Count)
                        {
                            return false.Label($"erase {a}: {record.CountOf(ErasureCategories.MergeRecords)} merge records, expected {named.Count}");
                        }

                        named.ForEach(static m => m.Redacted = true);
                    }
                    catch (PrivacyException e)
                    {
                        if (e.ErrorCode != CrmErrorCodes.ErasureOfMergedAway || ActiveAway(a) is null || e.SurvivorId != people[End(a)])
                        {
                            return false.Label($"erase {a}: {e.ErrorCode} naming {e.SurvivorId}");
                        }
                    }

                    break;
            }

            foreach (var m in merges)
            {
                var stored = Run(store.FindMergeAsync(Tenant, m.Id, default))!;
                var document = CustomerMergeDocuments.Write(stored);
                if (stored.IsRedacted != m.Redacted || stored.IsActive == m.Undone
                    || (m.Redacted && Enumerable.Range(0, People).Any(i => document.Contains($"m{i}@merge-model.example", StringComparison.Ordinal))))
                {
                    return false.Label($"after {op} {a} {b}: merge {m.Id} redacted {stored.IsRedacted}/{m.Redacted}, active {stored.IsActive}/{!m.Undone}");
                }
            }
        }

        return true.ToProperty();
    });

    private static T Run<T>(ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();

    private static void Run(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}
