using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Ingestion;

/// <summary>
/// A generated sequence of single and bulk recordings — new contacts, re-deliveries and conflicting contacts under
/// taken keys, within one batch and across calls, for a known and an unknown customer — agrees with a pure model in
/// which the first contact under a key, in input order, wins; with and without lifecycle.
/// </summary>
public sealed class TouchpointIngestionModelBasedProperties
{
    private static readonly TenantId Tenant = new("ingestion-model");
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);
    private static readonly CustomerId Known = CustomerId.New();
    private static readonly CustomerId Unknown = CustomerId.New();

    /// <summary>One contact: its source key and, as the rest of its content, customer, minute and kind.</summary>
    public sealed record Item(int Key, bool KnownCustomer, int Minute, bool Purchase)
    {
        public (bool, int, bool) Content => (KnownCustomer, Minute, Purchase);

        public ExternalIdentifier Source => new("model", $"k{Key}");

        public NewTouchpoint ToTouchpoint() => new()
        {
            CustomerId = KnownCustomer ? Known : Unknown,
            Channel = new ChannelId("web"),
            Direction = InteractionDirection.Inbound,
            Function = Purchase ? CrmFunction.Sales : CrmFunction.Service,
            Kind = Purchase ? TouchpointKind.Purchase : TouchpointKind.Enquiry,
            OccurredAt = Start + Duration.FromMinutes(Minute),
            Source = Source,
        };
    }

    /// <summary>A single recording (one item) or a bulk one.</summary>
    public sealed record Op(bool Bulk, Item[] Items)
    {
        public override string ToString() => $"{(Bulk ? "bulk" : "single")}[{string.Join(", ", Items.Select(i => $"k{i.Key}:{(i.KnownCustomer ? "known" : "unknown")}@{i.Minute}{(i.Purchase ? "P" : "E")}"))}]";
    }

    public static class Arbitraries
    {
        private static readonly Gen<Item> Items =
            from key in Gen.Choose(0, 3)
            from known in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            from minute in Gen.Choose(0, 2)
            from purchase in Gen.Elements(true, false)
            select new Item(key, known, minute, purchase);

        private static readonly Gen<Op> Ops = Gen.OneOf(
            Items.Select(static i => new Op(false, [i])),
            Gen.Choose(1, 6).SelectMany(static n => Items.ArrayOf(n)).Select(static items => new Op(true, items)));

        public static Arbitrary<Op[]> Scripts() => Gen.Choose(1, 10).SelectMany(static n => Ops.ArrayOf(n)).ToArbitrary();
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 200)]
    public void Recordings_AgreeWithTheFirstWriterWinsModel(Op[] script) => Run(async () =>
    {
        foreach (var withLifecycle in new[] { false, true })
        {
            var clock = new FakeClock(Start + Duration.FromDays(1));
            var outbox = new InMemoryCrmOutbox();
            var customers = new InMemoryCustomerStore(outbox);
            var touchpoints = new InMemoryTouchpointStore();
            await new CustomerRepository(customers, clock, null, outbox).SaveAsync(Customer.Register(Tenant, Known, new PersonProfile("Ada", "Lovelace"), clock));
            var ingestion = withLifecycle
                ? new TouchpointIngestion(touchpoints, clock, DefaultLifecycleModel.Create(), customers, new InMemoryCustomerTouchpointStore(customers, touchpoints), null, outbox)
                : new TouchpointIngestion(touchpoints, clock);
            var model = new Dictionary<int, Item>();
            var step = 0;
            foreach (var op in script)
            {
                step++;
                var at = $"lifecycle={withLifecycle}, step {step} {op}";
                if (!op.Bulk)
                {
                    var item = op.Items[0];
                    if (!model.TryGetValue(item.Key, out var held))
                    {
                        var result = await ingestion.RecordAsync(Tenant, item.ToTouchpoint());
                        Assert.True(result.Recorded == 1, at);
                        model[item.Key] = item;
                    }
                    else if (held.Content == item.Content)
                    {
                        Assert.True((await ingestion.RecordAsync(Tenant, item.ToTouchpoint())).AlreadyRecorded, at);
                    }
                    else
                    {
                        var e = await Assert.ThrowsAsync<TouchpointConflictException>(async () => await ingestion.RecordAsync(Tenant, item.ToTouchpoint()));
                        Assert.True(item.Source.Equals(e.SourceKey), at);
                    }

                    continue;
                }

                var expectedRecorded = 0;
                var expectedPresent = new List<int>();
                var expectedConflicts = new List<int>();
                for (var i = 0; i < op.Items.Length; i++)
                {
                    var item = op.Items[i];
                    if (!model.TryGetValue(item.Key, out var held))
                    {
                        model[item.Key] = item;
                        expectedRecorded++;
                    }
                    else
                    {
                        (held.Content == item.Content ? expectedPresent : expectedConflicts).Add(i);
                    }
                }

                var report = await ingestion.RecordManyAsync(Tenant, op.Items.Select(i => i.ToTouchpoint()));
                Assert.True(expectedRecorded == report.Recorded, $"{at}: recorded {report.Recorded}, expected {expectedRecorded}");
                Assert.True(expectedPresent.SequenceEqual(report.AlreadyPresent), $"{at}: present [{string.Join(",", report.AlreadyPresent)}], expected [{string.Join(",", expectedPresent)}]");
                Assert.True(expectedConflicts.SequenceEqual(report.Conflicts.Select(c => c.Index)), $"{at}: conflicts [{string.Join(",", report.Conflicts.Select(c => c.Index))}], expected [{string.Join(",", expectedConflicts)}]");
                Assert.All(report.Conflicts, c => Assert.Equal(op.Items[c.Index].Source, c.SourceKey));
            }

            Assert.Equal(model.Count, await touchpoints.CountAsync(Tenant, default));
            foreach (var (key, item) in model)
            {
                var stored = await touchpoints.FindBySourceAsync(Tenant, item.Source, default);
                Assert.True(stored is not null && stored.HasSameContent(Touchpoint.Create(Tenant, stored.Id, stored.RecordedAt, item.ToTouchpoint())), $"lifecycle={withLifecycle}: k{key} holds other content");
            }

            if (withLifecycle)
            {
                // Every stored purchase of the known customer is counted once, however often it was delivered.
                var customer = Customer.Rehydrate((await customers.FindAsync(Tenant, Known, default))!, clock);
                Assert.Equal(model.Values.Count(i => i.KnownCustomer && i.Purchase), customer.Lifecycle.Facts.PurchaseCount);
            }
        }
    });

    private static void Run(Func<Task> body) => Task.Run(body).GetAwaiter().GetResult();
}
