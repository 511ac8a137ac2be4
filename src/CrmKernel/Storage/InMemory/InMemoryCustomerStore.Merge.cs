using CrmKernel.Customers;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage.InMemory;

/// <summary>The merge side of the in-memory customer store: <see cref="InMemoryCustomerMergeStore"/> calls it.</summary>
public sealed partial class InMemoryCustomerStore
{
    private static void EnsureNotMergedAway(TenantCustomers tenant, CustomerSnapshot state)
    {
        if (tenant.MergedAway.TryGetValue(state.Id, out var merge))
        {
            throw CustomerMergeException.MergedAway(state.TenantId, state.Id, merge);
        }
    }

    /// <summary>Commits a merge under the tenant's lock (the touchpoint store's lock nested inside): checks first, then changes that cannot fail.</summary>
    internal CustomerMergeRecord CommitMerge(CustomerMergeCommit commit, InMemoryTouchpointStore touchpoints, InMemoryRelationshipStore relationships)
    {
        var state = Freeze(commit.Survivor);
        return _tenants.Write(commit.Record.TenantId, (commit, state, touchpoints, relationships, _outbox), static (t, write) =>
        {
            var (commit, state, touchpoints, relationships, outbox) = write;
            var record = commit.Record;
            if (t.MergedAway.TryGetValue(record.MergedId, out var active) && t.Merges[active] is { } existing && existing.SurvivorId == record.SurvivorId)
            {
                return Materialize(t, existing);
            }

            EnsureNotMergedAway(t, state);
            EnsureNotMergedAway(t, record.MergedBefore);
            var survivor = t.ById.GetValueOrDefault(record.SurvivorId);
            var merged = t.ById.GetValueOrDefault(record.MergedId);
            if (survivor?.Version != record.SurvivorBefore.Version)
            {
                throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, record.SurvivorId.ToString(), record.SurvivorBefore.Version, survivor?.Version);
            }

            if (merged?.Version != record.MergedBefore.Version)
            {
                throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, record.MergedId.ToString(), record.MergedBefore.Version, merged?.Version);
            }

            foreach (var identifier in state.ExternalIdentifiers)
            {
                if (t.ByIdentifier.TryGetValue(identifier, out var holder) && holder != state.Id && holder != record.MergedId)
                {
                    throw new ExternalIdentifierConflictException(state.Id, holder, identifier);
                }
            }

            var moved = touchpoints.WithTable(record.TenantId, table =>
            {
                var rows = table.TimelineOf(record.MergedId).ToArray();
                var ids = new TouchpointId[rows.Length];
                for (var i = 0; i < rows.Length; i++)
                {
                    ids[i] = table.PositionOf(rows[i]).Id;
                    table.Move(rows[i], record.SurvivorId);
                }

                return ids;
            });

            var movedRelationships = relationships.Repoint(record.TenantId, record.MergedId, record.SurvivorId, record.SurvivorId, null);
            t.Remove(merged);
            t.Store(survivor, state);
            var stored = record.WithMoved(moved, movedRelationships);
            t.MergedAway[record.MergedId] = stored.Id;
            t.Merges[stored.Id] = stored;
            Index(t, record.SurvivorId, stored.Id);
            Index(t, record.MergedId, stored.Id);
            outbox.Append(record.TenantId, commit.Events);
            return stored;
        });
    }

    /// <summary>Commits an unmerge under the tenant's lock (the touchpoint store's lock nested inside).</summary>
    internal CustomerMergeRecord CommitUnmerge(CustomerUnmergeCommit commit, InMemoryTouchpointStore touchpoints, InMemoryRelationshipStore relationships)
    {
        var survivorState = Freeze(commit.Survivor);
        var mergedState = Freeze(commit.Merged);
        return _tenants.Write(commit.Record.TenantId, (commit, survivorState, mergedState, touchpoints, relationships, _outbox), static (t, write) =>
        {
            var (commit, survivorState, mergedState, touchpoints, relationships, outbox) = write;
            var tenantId = commit.Record.TenantId;
            if (!t.Merges.TryGetValue(commit.Record.Id, out var stored))
            {
                throw CustomerMergeException.NotFound(tenantId, commit.Record.Id);
            }

            var record = Materialize(t, stored);

            if (!record.IsActive)
            {
                return record;
            }

            if (record.IsRedacted)
            {
                throw CustomerMergeException.Redacted(tenantId, record.Id);
            }

            if (t.MergedAway.ContainsKey(record.SurvivorId))
            {
                throw CustomerMergeException.SurvivorMergedAway(tenantId, record.Id, record.SurvivorId);
            }

            var survivor = t.ById.GetValueOrDefault(record.SurvivorId);
            if (survivor?.Version != commit.SurvivorExpectedVersion)
            {
                throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, record.SurvivorId.ToString(), commit.SurvivorExpectedVersion, survivor?.Version);
            }

            foreach (var identifier in mergedState.ExternalIdentifiers)
            {
                if (t.ByIdentifier.TryGetValue(identifier, out var holder) && holder != record.SurvivorId)
                {
                    throw new ExternalIdentifierConflictException(record.MergedId, holder, identifier);
                }
            }

            foreach (var identifier in survivorState.ExternalIdentifiers)
            {
                if (mergedState.ExternalIdentifiers.Contains(identifier))
                {
                    throw new ExternalIdentifierConflictException(record.SurvivorId, record.MergedId, identifier);
                }

                if (t.ByIdentifier.TryGetValue(identifier, out var holder) && holder != record.SurvivorId)
                {
                    throw new ExternalIdentifierConflictException(record.SurvivorId, holder, identifier);
                }
            }

            touchpoints.WithTable(tenantId, table =>
            {
                MoveBack(table, record.MovedTouchpoints, record.SurvivorId, record.MergedId);
                MoveBack(table, record.RedirectedTouchpoints, record.SurvivorId, record.MergedId);
                return 0;
            });

            if (record.MovedRelationships.Count > 0)
            {
                relationships.Repoint(tenantId, record.SurvivorId, record.MergedId, null, record.MovedRelationships);
            }

            t.Store(survivor, survivorState);
            t.Store(null, mergedState);
            t.MergedAway.Remove(record.MergedId);
            var undone = record.AsUnmerged(commit.UnmergedAt);
            t.Merges[record.Id] = undone;
            t.Redirected.Remove(record.Id);
            outbox.Append(tenantId, commit.Events);
            return undone;
        });

        static void MoveBack(TouchpointTable table, IReadOnlyList<TouchpointId> ids, CustomerId from, CustomerId to)
        {
            foreach (var id in ids)
            {
                var row = table.FindId(id);
                if (row >= 0 && table.CustomerOf(row) == from)
                {
                    table.Move(row, to);
                }
            }
        }
    }

    /// <summary>Reads a merge record.</summary>
    internal CustomerMergeRecord? FindMerge(TenantId tenantId, CustomerMergeId mergeId)
        => _tenants.Read(tenantId, mergeId, static (t, id) => t.Merges.TryGetValue(id, out var record) ? Materialize(t, record) : null, null);

    /// <summary>Reads the active merge that merged a customer away.</summary>
    internal CustomerMergeRecord? FindActiveMerge(TenantId tenantId, CustomerId customerId)
        => _tenants.Read(tenantId, customerId, static (t, id) => t.MergedAway.TryGetValue(id, out var merge) ? Materialize(t, t.Merges[merge]) : null, null);

    /// <summary>The current survivors of those ids that are merged away (following chains), under one lock.</summary>
    internal IReadOnlyDictionary<CustomerId, CustomerId> FindSurvivors(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds)
        => _tenants.Read(tenantId, customerIds, static IReadOnlyDictionary<CustomerId, CustomerId> (t, ids) =>
        {
            if (t.MergedAway.Count == 0)
            {
                return NoSurvivors;
            }

            Dictionary<CustomerId, CustomerId>? survivors = null;
            foreach (var id in ids)
            {
                var at = id;
                while (t.MergedAway.TryGetValue(at, out var merge))
                {
                    at = t.Merges[merge].SurvivorId;
                }

                if (at != id)
                {
                    (survivors ??= [])[id] = at;
                }
            }

            return survivors ?? NoSurvivors;
        }, NoSurvivors);

    private static readonly IReadOnlyDictionary<CustomerId, CustomerId> NoSurvivors = new Dictionary<CustomerId, CustomerId>();

    /// <summary>Lists a customer's merge records in id order.</summary>
    internal IReadOnlyList<CustomerMergeRecord> ListMerges(TenantId tenantId, CustomerId customerId)
        => _tenants.Read(tenantId, customerId, static IReadOnlyList<CustomerMergeRecord> (t, id) =>
            t.MergesByCustomer.TryGetValue(id, out var merges) ? [.. merges.Order().Select(m => Materialize(t, t.Merges[m]))] : [], []);

    /// <summary>Appends touchpoints, redirecting those addressed to merged-away customers to their survivors and noting them in every merge on the way.</summary>
    internal TouchpointAppendResult AppendRedirected(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, InMemoryTouchpointStore store)
        => _tenants.Write(tenantId, (tenantId, touchpoints, store), static (t, write) =>
        {
            var (tenantId, touchpoints, store) = write;
            // Allocated only when a touchpoint is redirected: a batch of known or unknown customers costs one lookup each.
            Touchpoint[]? rerouted = null;
            List<CustomerMergeId>[]? hops = null;
            for (var i = 0; t.MergedAway.Count > 0 && i < touchpoints.Count; i++)
            {
                var target = touchpoints[i].CustomerId;
                while (t.MergedAway.TryGetValue(target, out var merge))
                {
                    hops ??= new List<CustomerMergeId>[touchpoints.Count];
                    (hops[i] ??= []).Add(merge);
                    target = t.Merges[merge].SurvivorId;
                }

                if (target != touchpoints[i].CustomerId)
                {
                    rerouted ??= [.. touchpoints];
                    rerouted[i] = touchpoints[i].WithCustomer(target);
                }
            }

            IReadOnlyList<Touchpoint> routed = rerouted ?? touchpoints;

            return store.WithTable(tenantId, table =>
            {
                var appended = 0;
                List<int>? present = null;
                List<int>? conflicts = null;
                for (var i = 0; i < routed.Count; i++)
                {
                    var stored = table.AddIfFree(routed[i]);
                    if (stored == TouchpointTable.Added)
                    {
                        appended++;
                        foreach (var merge in hops?[i] ?? [])
                        {
                            // Appended in O(1); the record's list is built when the record is read.
                            if (!t.Redirected.TryGetValue(merge, out var redirected))
                            {
                                t.Redirected[merge] = redirected = [];
                            }

                            redirected.Add(routed[i].Id);
                        }
                    }
                    else if (stored == TouchpointTable.IdTaken || !table.Read(stored).HasSameContent(routed[i]))
                    {
                        (conflicts ??= []).Add(i);
                    }
                    else
                    {
                        (present ??= []).Add(i);
                    }
                }

                return new TouchpointAppendResult(appended, present ?? (IReadOnlyList<int>)[], conflicts ?? (IReadOnlyList<int>)[]);
            });
        });

    /// <summary>
    /// Under the tenant's lock (the touchpoint store's nested inside): appends one customer's touchpoints with its commit,
    /// all or none, after verifying that every redirect still holds; notes the redirected ones in every merge on the way.
    /// </summary>
    internal TouchpointAppendResult AppendRedirectedWithCustomer(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, InMemoryTouchpointStore store)
    {
        var state = commit is null ? null : Freeze(commit.Customer);
        return _tenants.Write(tenantId, (tenantId, touchpoints, addressedTo, commit, state, store, _outbox), static (t, write) =>
        {
            var (tenantId, touchpoints, addressedTo, commit, state, store, outbox) = write;
            var target = touchpoints[0].CustomerId;
            var hops = new List<CustomerMergeId>?[touchpoints.Count];
            var existing = state is null ? null : t.ById.GetValueOrDefault(state.Id);
            return store.AppendAllGuarded(
                tenantId,
                touchpoints,
                () =>
                {
                    for (var i = 0; i < touchpoints.Count; i++)
                    {
                        if (addressedTo[i] != target)
                        {
                            hops[i] = Route(t, addressedTo[i], target);
                        }
                    }

                    if (commit is not null)
                    {
                        EnsureNotMergedAway(t, state!);
                        if (existing?.Version != (commit.IsInsert ? null : commit.ExpectedVersion))
                        {
                            throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, state!.Id.ToString(), commit.ExpectedVersion, existing?.Version);
                        }

                        EnsureIdentifiersFree(t, state!);
                    }
                },
                () =>
                {
                    if (commit is not null)
                    {
                        t.Store(existing, state!);
                        outbox.Append(tenantId, commit.Events);
                    }

                    for (var i = 0; i < touchpoints.Count; i++)
                    {
                        foreach (var merge in hops[i] ?? [])
                        {
                            if (!t.Redirected.TryGetValue(merge, out var redirected))
                            {
                                t.Redirected[merge] = redirected = [];
                            }

                            redirected.Add(touchpoints[i].Id);
                        }
                    }
                });
        });

        // The merges from a merged-away customer to its current survivor; a conflict when they no longer lead to the target.
        static List<CustomerMergeId> Route(TenantCustomers t, CustomerId from, CustomerId target)
        {
            var hops = new List<CustomerMergeId>();
            var at = from;
            while (t.MergedAway.TryGetValue(at, out var merge))
            {
                hops.Add(merge);
                at = t.Merges[merge].SurvivorId;
            }

            return hops.Count > 0 && at == target
                ? hops
                : throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, from.ToString(), 0, null);
        }
    }

    /// <summary>Runs <paramref name="inner"/> under the tenant's lock unless a party is merged away (<c>CRM-MERGE-003</c>, naming the survivor).</summary>
    internal TResult WhileNotMergedAway<TResult>(TenantId tenantId, CustomerId from, CustomerId to, Func<TResult> inner)
        => _tenants.Write(tenantId, (tenantId, from, to, inner), static (t, write) =>
        {
            var (tenantId, from, to, inner) = write;
            foreach (var party in (ReadOnlySpan<CustomerId>)[from, to])
            {
                if (t.MergedAway.TryGetValue(party, out var merge))
                {
                    throw CustomerMergeException.MergedAwayParty(tenantId, party, merge, t.Merges[merge].SurvivorId);
                }
            }

            return inner();
        });

    /// <summary>The record with the touchpoints redirected so far (kept apart while the merge is active, so a redirect costs O(1)).</summary>
    private static CustomerMergeRecord Materialize(TenantCustomers tenant, CustomerMergeRecord record)
        => tenant.Redirected.TryGetValue(record.Id, out var redirected) ? record.WithRedirected([.. record.RedirectedTouchpoints, .. redirected]) : record;

    private static void Index(TenantCustomers tenant, CustomerId customerId, CustomerMergeId mergeId)
    {
        if (!tenant.MergesByCustomer.TryGetValue(customerId, out var merges))
        {
            tenant.MergesByCustomer[customerId] = merges = [];
        }

        merges.Add(mergeId);
    }
}
