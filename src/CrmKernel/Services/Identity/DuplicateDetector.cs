using System.Runtime.InteropServices;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Services.Identity;

/// <summary>
/// Finds customers of a tenant that are probably one person or organisation: a scan of the whole tenant
/// (<see cref="FindCandidatesAsync"/>, e.g. nightly, feeding a review queue or a merge), or the check of one customer
/// against the others (<see cref="FindCandidatesForAsync(TenantId, CustomerId, CancellationToken)"/>, e.g. when a
/// customer is created or edited). Registered by <c>AddCrmKernel</c>.
/// </summary>
/// <remarks>
/// A scan reads the tenant once, page by page, keeping one compact <see cref="MatchRecord"/> per customer; builds the
/// blocking keys of each (<see cref="DuplicateDetectionOptions.KeyBuilders"/>); compares only customers that share a
/// key, each pair once however many keys it shares, persons only with persons and organisations only with
/// organisations; and skips (and reports) blocks larger than <see cref="DuplicateDetectionOptions.MaxBlockSize"/>. Work
/// grows with the number of customers times the (capped) block sizes, not with its square. It reads, never writes.
/// </remarks>
public sealed class DuplicateDetector
{
    /// <summary>How many customers a scan reads per page.</summary>
    public const int PageSize = 1_000;

    private const int MaxBlockSizeCeiling = 10_000;

    private readonly ICustomerStore _store;
    private readonly DuplicateDetectionOptions _options;
    private readonly IMatchKeyBuilder[] _keyBuilders;

    /// <summary>Creates the detector (DI does this for you).</summary>
    /// <param name="store">The customer store to read.</param>
    /// <param name="options">Rules, keys and limits; the defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/>, a rule or a key builder is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The block cap is outside 2 to 10,000.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="DuplicateDetectionOptions.MaxKeyBuilders"/> key builders.</exception>
    public DuplicateDetector(ICustomerStore store, DuplicateDetectionOptions? options = null)
    {
        _store = Preconditions.NotNull(store);
        _options = options ?? new DuplicateDetectionOptions();
        Preconditions.Check(_options.PersonRule is not null && _options.OrganizationRule is not null, "The options need a person and an organisation rule.", nameof(options));
        Preconditions.Check(_options.KeyBuilders is not null, "The options need key builders.", nameof(options));
        Preconditions.MaxCount(_options.KeyBuilders!.Count, DuplicateDetectionOptions.MaxKeyBuilders, "key builders", nameof(options));
        Preconditions.Check(_options.KeyBuilders.All(static b => b is not null), "A key builder is null.", nameof(options));
        if (_options.MaxBlockSize is < 2 or > MaxBlockSizeCeiling)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxBlockSize, "The block cap (MaxBlockSize) must be 2 to 10,000.");
        }

        _keyBuilders = [.. _options.KeyBuilders];
    }

    /// <summary>The options in use.</summary>
    public DuplicateDetectionOptions Options => _options;

    /// <summary>Scans the whole tenant for duplicate candidates.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The candidates at or above the rule's probable threshold, highest first, with what was scanned and skipped.</returns>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public async ValueTask<DuplicateScanResult> FindCandidatesAsync(TenantId tenantId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        var records = new List<MatchRecord>();
        var blocks = new Dictionary<MatchKey, Block>();
        var members = new List<int>();
        var next = new List<int>();
        var keys = new List<MatchKey>(8);
        await foreach (var page in _store.CustomerPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            for (var p = 0; p < page.Count; p++)
            {
                var record = MatchRecord.FromSnapshot(page[p], _options.FoldEmailAliases);
                var index = records.Count;
                records.Add(record);
                keys.Clear();
                foreach (var builder in _keyBuilders)
                {
                    builder.AddKeys(record, keys);
                }

                foreach (var key in keys)
                {
                    ref var block = ref CollectionsMarshal.GetValueRefOrAddDefault(blocks, key, out var exists);
                    if (exists && members[block.Head] == index)
                    {
                        continue; // the same key twice for one customer
                    }

                    members.Add(index);
                    next.Add(exists ? block.Head : -1);
                    block.Head = members.Count - 1;
                    block.Count++;
                }
            }
        }

        var seen = new HashSet<long>();
        var candidates = new List<DuplicateCandidate>();
        var skipped = new List<SkippedBlock>();
        var buffer = new int[_options.MaxBlockSize];
        long pairs = 0;
        foreach (var (key, block) in blocks)
        {
            if (block.Count < 2)
            {
                continue;
            }

            if (block.Count > _options.MaxBlockSize)
            {
                skipped.Add(new SkippedBlock(key.Kind, block.Count));
                continue;
            }

            var n = 0;
            for (var node = block.Head; node >= 0; node = next[node])
            {
                buffer[n++] = members[node];
            }

            for (var i = 0; i < n; i++)
            {
                var a = records[buffer[i]];
                for (var j = i + 1; j < n; j++)
                {
                    var b = records[buffer[j]];
                    if (a.Kind != b.Kind)
                    {
                        continue;
                    }

                    var (low, high) = buffer[i] < buffer[j] ? (buffer[i], buffer[j]) : (buffer[j], buffer[i]);
                    if (!seen.Add(((long)low << 32) | (uint)high))
                    {
                        continue;
                    }

                    pairs++;
                    var rule = RuleFor(a.Kind);
                    if (rule.Score(a, b) >= rule.ProbableThreshold)
                    {
                        candidates.Add(rule.Evaluate(a, b));
                    }
                }
            }
        }

        candidates.Sort(CompareCandidates);
        skipped.Sort(static (x, y) => string.CompareOrdinal(x.Kind, y.Kind) is var byKind and not 0 ? byKind : y.Size.CompareTo(x.Size));
        return new DuplicateScanResult(candidates, records.Count, pairs, skipped);
    }

    /// <summary>
    /// Checks one stored customer against the others: those that share an email, a phone, a postal address (the
    /// store's contact point lookup) or an external id, scored with the rule. Name keys are not looked up (a store
    /// has no index for them): a full scan finds those.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The candidates at or above the probable threshold, highest first.</returns>
    /// <exception cref="ArgumentException">The tenant or the customer id is the default.</exception>
    /// <exception cref="CustomerNotFoundException">The customer does not exist in the tenant.</exception>
    public async ValueTask<DuplicateScanResult> FindCandidatesForAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        var snapshot = await _store.FindAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false)
                       ?? throw new CustomerNotFoundException(tenantId, customerId);
        return await FindCandidatesForAsync(snapshot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a customer, stored or not yet (e.g. <c>customer.ToSnapshot()</c> of one just registered, before it is
    /// committed), against the stored customers of its tenant, like
    /// <see cref="FindCandidatesForAsync(TenantId, CustomerId, CancellationToken)"/>.
    /// </summary>
    /// <param name="customer">The customer to check.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The candidates at or above the probable threshold, highest first (the customer itself is never one);
    /// <see cref="DuplicateScanResult.CustomersScanned"/> counts the customers the lookups returned, and
    /// <see cref="DuplicateScanResult.PairsScored"/> those of them scored (other customers of the same kind).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    public async ValueTask<DuplicateScanResult> FindCandidatesForAsync(CustomerSnapshot customer, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(customer);
        var record = MatchRecord.FromSnapshot(customer, _options.FoldEmailAliases);
        var others = new Dictionary<CustomerId, CustomerSnapshot>();
        var skipped = new List<SkippedBlock>();
        foreach (var contactPoint in customer.ContactPoints)
        {
            if (contactPoint.Kind == ContactPointKind.SocialHandle)
            {
                continue; // no comparator weighs social handles
            }

            var found = await _store.ListByContactPointAsync(customer.TenantId, contactPoint.Value, cancellationToken).ConfigureAwait(false);
            if (found.Count > _options.MaxBlockSize)
            {
                skipped.Add(new SkippedBlock(KindOf(contactPoint.Kind), found.Count));
                continue;
            }

            foreach (var other in found)
            {
                others.TryAdd(other.Id, other);
            }
        }

        foreach (var identifier in customer.ExternalIdentifiers)
        {
            if (await _store.FindByExternalIdentifierAsync(customer.TenantId, identifier, cancellationToken).ConfigureAwait(false) is { } other)
            {
                others.TryAdd(other.Id, other);
            }
        }

        var rule = RuleFor(record.Kind);
        var candidates = new List<DuplicateCandidate>();
        var scored = 0;
        foreach (var other in others.Values)
        {
            if (other.Id == customer.Id || other.Profile.Kind != record.Kind)
            {
                continue;
            }

            scored++;
            var candidate = rule.Evaluate(record, MatchRecord.FromSnapshot(other, _options.FoldEmailAliases));
            if (candidate.Decision != MatchDecision.Unlikely)
            {
                candidates.Add(candidate);
            }
        }

        candidates.Sort(CompareCandidates);
        return new DuplicateScanResult(candidates, others.Count, scored, skipped);
    }

    private MatchRule RuleFor(PartyKind kind) => kind == PartyKind.Person ? _options.PersonRule : _options.OrganizationRule;

    private static string KindOf(ContactPointKind kind) => kind switch
    {
        ContactPointKind.Email => "email",
        ContactPointKind.Phone => "phone",
        _ => "postal-address",
    };

    private static int CompareCandidates(DuplicateCandidate x, DuplicateCandidate y)
    {
        var byScore = y.Score.CompareTo(x.Score);
        if (byScore != 0)
        {
            return byScore;
        }

        var byFirst = x.FirstId.CompareTo(y.FirstId);
        return byFirst != 0 ? byFirst : x.SecondId.CompareTo(y.SecondId);
    }

    private struct Block
    {
        public int Head;
        public int Count;
    }
}
