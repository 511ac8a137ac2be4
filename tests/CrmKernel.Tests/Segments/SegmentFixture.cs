using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Segments;
using CrmKernel.Services.Segments;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Segments;

/// <summary>
/// Six hand-made customers whose segment memberships are worked out by hand in the tests (see the comments on each);
/// evaluated as of <see cref="AsOf"/>, 30 days after <see cref="Base"/>.
/// </summary>
internal sealed class SegmentFixture
{
    public static readonly TenantId Tenant = new("segments");
    public static readonly Instant Base = Instant.FromUtc(2026, 3, 1, 0, 0);
    public static readonly Instant AsOf = Base + Duration.FromDays(30);
    public static readonly LifecycleStage Prospect = new("prospect");
    public static readonly LifecycleStage Active = new("active");
    public static readonly LifecycleStage Lapsed = new("lapsed");

    public static readonly SegmentVocabulary Vocabulary = new(
        [KeyValuePair.Create("tier", CustomAttributeType.Number), KeyValuePair.Create("city", CustomAttributeType.Text), KeyValuePair.Create("vip-since", CustomAttributeType.Date)],
        ["clv"]);

    public SegmentFixture(bool scanStore = true)
    {
        Ids = [.. Enumerable.Range(0, 6).Select(_ => CustomerId.New()).Order()];
        var email = EmailAddress.Parse("c0@example.com");
        var email5 = EmailAddress.Parse("c5@example.com");
        Snapshots =
        [
            // c0: person, vip, tier 5, London; prospect → active at day 1; marketing email granted; 60 EUR purchase (day 20) and an email enquiry (day 25).
            Snapshot(0, new PersonProfile("Ann", "Zero"), ["vip"], [("tier", CustomAttributeValue.FromNumber(5)), ("city", CustomAttributeValue.FromText("London"))], null, [Move(Prospect, Active, 1)], [new CustomerContactPoint(email, true)],
                [new ConsentEntry(ConsentPurpose.Marketing, new ChannelId("email"), null, ConsentStatus.Granted, LawfulBasis.Consent, "web", Base + Duration.FromDays(2))]),
            // c1: person, vip, tier 2; active since registration (no history).
            Snapshot(1, new PersonProfile("Bo", "One"), ["vip"], [("tier", CustomAttributeValue.FromNumber(2))], Active, [], [], []),
            // c2: organisation, tier 7, Paris; active → lapsed at day 10; purchases 100 EUR (day 5) and 30 GBP (day 6).
            Snapshot(2, new OrganizationProfile("Two Ltd"), [], [("tier", CustomAttributeValue.FromNumber(7)), ("city", CustomAttributeValue.FromText("Paris"))], null, [Move(Active, Lapsed, 10)], [], []),
            // c3: person, vip, registered after the as-of instant: in no segment.
            Snapshot(3, new PersonProfile("Cy", "Three"), ["vip", "churned"], [], Active, [], [], [], created: Base + Duration.FromDays(40)),
            // c4: person; prospect → active only after the as-of instant; a 500 EUR purchase an hour after it.
            Snapshot(4, new PersonProfile("Di", "Four"), [], [], null, [Move(Prospect, Active, 31)], [], []),
            // c5: person, vip, no stage; marketing email granted (day 1) then withdrawn (day 3); household with c0.
            Snapshot(5, new PersonProfile("Ed", "Five"), ["vip"], [], null, [], [new CustomerContactPoint(email5, true)],
                [new ConsentEntry(ConsentPurpose.Marketing, new ChannelId("email"), null, ConsentStatus.Granted, LawfulBasis.Consent, "web", Base + Duration.FromDays(1)),
                 new ConsentEntry(ConsentPurpose.Marketing, new ChannelId("email"), null, ConsentStatus.Withdrawn, LawfulBasis.Consent, "web", Base + Duration.FromDays(3))]),
        ];
        Customers = new SnapshotCustomerStore(Snapshots);
        Touchpoints = scanStore ? new InMemoryTouchpointStore() : new TimelineOnlyTouchpointStore(new InMemoryTouchpointStore());
        Add(0, 20, "web", TouchpointKind.Purchase, new Money(60m, Currency.EUR));
        Add(0, 25, "email", TouchpointKind.Enquiry, null);
        Add(2, 5, "web", TouchpointKind.Purchase, new Money(100m, Currency.EUR));
        Add(2, 6, "web", TouchpointKind.Purchase, new Money(30m, Currency.GBP));
        AddAt(4, AsOf + Duration.FromHours(1), "web", TouchpointKind.Purchase, new Money(500m, Currency.EUR));
        Relationships.CommitAsync(Relationship.Create(Tenant, RelationshipId.New(), RelationshipType.Household, Ids[0], Ids[5], false, Base, null, 1), 0, default).AsTask().GetAwaiter().GetResult();
        Scores.Set(Tenant, "clv", Ids[1], 150m);
        Scores.Set(Tenant, "clv", Ids[2], 100m);
        Service = NewService(Vocabulary);
    }

    public CustomerId[] Ids { get; }

    public CustomerSnapshot[] Snapshots { get; }

    public SnapshotCustomerStore Customers { get; }

    public ITouchpointStore Touchpoints { get; }

    public InMemoryRelationshipStore Relationships { get; } = new();

    public InMemoryCustomerScoreSource Scores { get; } = new();

    public InMemorySegmentStore Segments { get; } = new();

    public FakeClock Clock { get; } = new(Base + Duration.FromDays(60));

    public SegmentService Service { get; private set; }

    public SegmentService NewService(SegmentVocabulary vocabulary, int pageSize = 2)
        => new(Segments, Customers, Touchpoints, Clock, new SegmentServiceOptions { Vocabulary = vocabulary, PageSize = pageSize }, Relationships, Scores);

    /// <summary>The customer indexes a rule selects as of <paramref name="asOf"/> (default <see cref="AsOf"/>).</summary>
    public async Task<int[]> MembersAsync(SegmentRule rule, Instant? asOf = null)
    {
        var members = await Service.PreviewAsync(Tenant, rule, asOf ?? AsOf).ToListAsync();
        return [.. members.Select(id => Array.IndexOf(Ids, id))];
    }

    private void Add(int customer, int day, string channel, TouchpointKind kind, Money? revenue) => AddAt(customer, Base + Duration.FromDays(day), channel, kind, revenue);

    private void AddAt(int customer, Instant at, string channel, TouchpointKind kind, Money? revenue)
    {
        var details = new NewTouchpoint
        {
            CustomerId = Ids[customer],
            Channel = new ChannelId(channel),
            Direction = InteractionDirection.Inbound,
            Function = kind == TouchpointKind.Purchase ? CrmFunction.Sales : CrmFunction.Service,
            Kind = kind,
            OccurredAt = at,
            Source = new ExternalIdentifier("fixture", $"{customer}-{at.ToUnixTimeTicks()}"),
            Revenue = revenue,
        };
        Touchpoints.AppendAsync(Tenant, [Touchpoint.Create(Tenant, TouchpointId.New(), at, details)], default).AsTask().GetAwaiter().GetResult();
    }

    private static LifecycleTransitionRecord Move(LifecycleStage from, LifecycleStage to, int day)
        => LifecycleTransitionRecord.Create(from, to, Base + Duration.FromDays(day), "fixture", LifecycleTriggerKind.Command, null, "move", "fixture", "system");

    private CustomerSnapshot Snapshot(int index, PartyProfile profile, string[] tags, (string Name, CustomAttributeValue Value)[] attributes, LifecycleStage? stage, LifecycleTransitionRecord[] history, CustomerContactPoint[] points, ConsentEntry[] consents, Instant? created = null)
        => new()
        {
            Id = Ids[index],
            TenantId = Tenant,
            Profile = profile,
            Tags = [.. tags.Select(t => new CustomerTag(t))],
            CustomAttributes = attributes.ToDictionary(a => a.Name, a => a.Value),
            CreatedAt = created ?? Base,
            UpdatedAt = created ?? Base,
            Version = 1,
            LifecycleStage = history.Length > 0 ? history[^1].To : stage,
            LifecycleHistory = history,
            ContactPoints = points,
            Consents = consents,
        };
}

/// <summary>A customer store over fixed snapshots: just what evaluation reads (pages and lookups by id).</summary>
internal sealed class SnapshotCustomerStore(IEnumerable<CustomerSnapshot> snapshots) : ICustomerStore
{
    private readonly CustomerSnapshot[] _snapshots = [.. snapshots.OrderBy(s => s.Id)];

    public int PagesRead { get; private set; }

    public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
        => ValueTask.FromResult(_snapshots.FirstOrDefault(s => s.TenantId == tenantId && s.Id == customerId));

    public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => ValueTask.FromResult((long)_snapshots.Count(s => s.TenantId == tenantId));

    public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        PagesRead++;
        return ValueTask.FromResult<IReadOnlyList<CustomerSnapshot>>([.. _snapshots.Where(s => s.TenantId == tenantId && (after is null || s.Id.CompareTo(after.Value) > 0)).Take(limit)]);
    }

    public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>A touchpoint store without the scan capability, so evaluation takes the timeline fallback.</summary>
internal sealed class TimelineOnlyTouchpointStore(ITouchpointStore inner) : ITouchpointStore
{
    /// <summary>The customers whose touchpoints evaluation asked for, over all reads.</summary>
    public List<CustomerId> CustomersRead { get; } = [];

    public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken) => inner.AppendAsync(tenantId, touchpoints, cancellationToken);

    public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, touchpointId, cancellationToken);

    public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken) => inner.FindBySourceAsync(tenantId, source, cancellationToken);

    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

    public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
    {
        CustomersRead.AddRange(filter.CustomerIds);
        return inner.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);
    }
}
