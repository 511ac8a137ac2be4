using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// A model-based test of a customer store: generated sequences of registrations, updates, identifier moves
/// and stale writes run against the store through <see cref="CustomerRepository"/> and against a pure model;
/// every outcome (success, concurrency conflict, identifier conflict) and the final state must agree.
/// Part of <see cref="CustomerStoreConformanceTests"/>.
/// </summary>
public abstract partial class CustomerStoreConformanceTests
{
    /// <summary>How many generated sequences <see cref="GeneratedSequences_AgreeWithAPureModel"/> runs.</summary>
    protected virtual int ModelSequences => 40;

    /// <summary>Generated operation sequences give the outcomes and final state a pure model predicts.</summary>
    [Fact]
    public virtual async Task GeneratedSequences_AgreeWithAPureModel()
    {
        await using var stores = await CreateStoresAsync();
        var failures = new List<string>();
        foreach (var sequence in Operations.ListOf().Select(l => l.Take(30).ToArray()).Sample(size: 25, numberOfSamples: ModelSequences))
        {
            var failure = await RunSequenceAsync(stores, sequence);
            if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {ModelSequences} sequences disagreed with the model:\n" + string.Join("\n\n", failures));
    }

    private static readonly Gen<ModelOperation> Operations = Gen.OneOf(
        Gen.Choose(0, 3).Select(key => (ModelOperation)new RegisterOperation(key)),
        Gen.Choose(0, 5).Select(target => (ModelOperation)new TagOperation(target)),
        Gen.Choose(0, 5).SelectMany(target => Gen.Choose(0, 3).Select(key => (ModelOperation)new TakeIdentifierOperation(target, key))),
        Gen.Choose(0, 5).Select(target => (ModelOperation)new DropIdentifiersOperation(target)),
        Gen.Choose(0, 5).Select(target => (ModelOperation)new StaleWriteOperation(target)));

    private async Task<string?> RunSequenceAsync(CrmStores stores, ModelOperation[] sequence)
    {
        var tenant = NewTenant();
        var repository = Repository(stores);
        var model = new StoreModel();
        var ids = new List<CustomerId>();
        var log = new List<string>();
        foreach (var operation in sequence)
        {
            var expected = operation.Apply(model, ids);
            string actual;
            try
            {
                await operation.RunAsync(this, repository, tenant, ids);
                actual = "ok";
            }
            catch (ConcurrencyConflictException)
            {
                actual = "concurrency-conflict";
            }
            catch (ExternalIdentifierConflictException)
            {
                actual = "identifier-conflict";
            }

            log.Add($"  {operation} -> expected {expected}, got {actual}");
            if (actual != expected)
            {
                return "Sequence:\n" + string.Join("\n", log);
            }
        }

        if (await stores.Customers.CountAsync(tenant, default) != model.Versions.Count)
        {
            return "Final count differs. Sequence:\n" + string.Join("\n", log);
        }

        foreach (var (id, version) in model.Versions)
        {
            var stored = await stores.Customers.FindAsync(tenant, id, default);
            var identifiers = model.Owners.Where(o => o.Value == id).Select(o => o.Key).Order();
            if (stored is null || stored.Version != version || !stored.ExternalIdentifiers.Select(i => i.Key).Order().SequenceEqual(identifiers))
            {
                return $"Final state of {id} differs. Sequence:\n" + string.Join("\n", log);
            }
        }

        foreach (var (key, owner) in model.Owners)
        {
            if ((await stores.Customers.FindByExternalIdentifierAsync(tenant, Identifier(key), default))?.Id != owner)
            {
                return $"Identifier {key} does not find {owner}. Sequence:\n" + string.Join("\n", log);
            }
        }

        return null;
    }

    private static ExternalIdentifier Identifier(string key) => new("model", key);

    private sealed class StoreModel
    {
        public Dictionary<CustomerId, long> Versions { get; } = [];

        public Dictionary<string, CustomerId> Owners { get; } = new(StringComparer.Ordinal);
    }

    private abstract record ModelOperation
    {
        /// <summary>Applies the operation to the model (ids grows on registration) and returns the expected outcome.</summary>
        public abstract string Apply(StoreModel model, List<CustomerId> ids);

        public abstract Task RunAsync(CustomerStoreConformanceTests kit, CustomerRepository repository, TenantId tenant, List<CustomerId> ids);

        protected static CustomerId? Target(List<CustomerId> ids, int index) => ids.Count == 0 ? null : ids[index % ids.Count];
    }

    private sealed record RegisterOperation(int Key) : ModelOperation
    {
        private CustomerId _id;

        public override string Apply(StoreModel model, List<CustomerId> ids)
        {
            _id = CustomerId.New();
            var key = $"K{Key}";
            if (model.Owners.ContainsKey(key))
            {
                return "identifier-conflict";
            }

            model.Versions[_id] = 1;
            model.Owners[key] = _id;
            return "ok";
        }

        public override async Task RunAsync(CustomerStoreConformanceTests kit, CustomerRepository repository, TenantId tenant, List<CustomerId> ids)
        {
            var customer = Customer.Register(tenant, _id, new PersonProfile("Model", $"Customer {Key}"), kit.Clock);
            customer.AddExternalIdentifier(Identifier($"K{Key}"));
            await repository.SaveAsync(customer);
            ids.Add(_id);
        }
    }

    private sealed record TagOperation(int TargetIndex) : ModelOperation
    {
        public override string Apply(StoreModel model, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is { } id)
            {
                model.Versions[id]++;
            }

            return "ok";
        }

        public override async Task RunAsync(CustomerStoreConformanceTests kit, CustomerRepository repository, TenantId tenant, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is { } id)
            {
                var customer = await repository.GetAsync(tenant, id);
                customer.Tag(new CustomerTag($"t{customer.Tags.Count}"));
                await repository.SaveAsync(customer);
            }
        }
    }

    private sealed record TakeIdentifierOperation(int TargetIndex, int Key) : ModelOperation
    {
        public override string Apply(StoreModel model, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is not { } id)
            {
                return "ok";
            }

            var key = $"X{Key}";
            if (model.Owners.TryGetValue(key, out var owner))
            {
                return owner == id ? "ok" : "identifier-conflict";
            }

            model.Owners[key] = id;
            model.Versions[id]++;
            return "ok";
        }

        public override async Task RunAsync(CustomerStoreConformanceTests kit, CustomerRepository repository, TenantId tenant, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is { } id)
            {
                var customer = await repository.GetAsync(tenant, id);
                if (!customer.ExternalIdentifiers.Contains(Identifier($"X{Key}")))
                {
                    customer.AddExternalIdentifier(Identifier($"X{Key}"));
                    await repository.SaveAsync(customer);
                }
            }
        }
    }

    private sealed record DropIdentifiersOperation(int TargetIndex) : ModelOperation
    {
        public override string Apply(StoreModel model, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is { } id)
            {
                var owned = model.Owners.Where(o => o.Value == id).Select(o => o.Key).ToList();
                if (owned.Count > 0)
                {
                    owned.ForEach(k => model.Owners.Remove(k));
                    model.Versions[id]++;
                }
            }

            return "ok";
        }

        public override async Task RunAsync(CustomerStoreConformanceTests kit, CustomerRepository repository, TenantId tenant, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is { } id)
            {
                var customer = await repository.GetAsync(tenant, id);
                foreach (var identifier in customer.ExternalIdentifiers.ToList())
                {
                    customer.RemoveExternalIdentifier(identifier);
                }

                await repository.SaveAsync(customer);
            }
        }
    }

    private sealed record StaleWriteOperation(int TargetIndex) : ModelOperation
    {
        public override string Apply(StoreModel model, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is { } id)
            {
                model.Versions[id]++;
                return "concurrency-conflict";
            }

            return "ok";
        }

        public override async Task RunAsync(CustomerStoreConformanceTests kit, CustomerRepository repository, TenantId tenant, List<CustomerId> ids)
        {
            if (Target(ids, TargetIndex) is { } id)
            {
                var stale = await repository.GetAsync(tenant, id);
                var fresh = await repository.GetAsync(tenant, id);
                fresh.Tag(new CustomerTag($"fresh{fresh.Tags.Count}"));
                await repository.SaveAsync(fresh);
                stale.Tag(new CustomerTag($"stale{stale.Tags.Count}"));
                await repository.SaveAsync(stale);
            }
        }
    }
}
