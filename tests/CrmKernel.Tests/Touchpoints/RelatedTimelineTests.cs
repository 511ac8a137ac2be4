using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Touchpoints;

public sealed class RelatedTimelineTests
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly Instant At = Instant.FromUtc(2026, 5, 1, 12, 0);

    [Fact]
    public async Task StreamWithRelated_IncludesAnOrganisationsPeople_WithTheRelationshipThatBroughtThemIn()
    {
        var touchpoints = new InMemoryTouchpointStore();
        var graph = new RelationshipGraph(new InMemoryRelationshipStore());
        var ingestion = new TouchpointIngestion(touchpoints, new FakeClock(At));
        var (org, ada, former, stranger) = (CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New());
        var employment = await graph.EstablishAsync(Tenant, RelationshipType.Employment, org, ada, At - Duration.FromDays(100));
        var ended = await graph.EstablishAsync(Tenant, RelationshipType.Employment, org, former, At - Duration.FromDays(100));
        await graph.EndAsync(Tenant, ended.Id, At - Duration.FromDays(10));
        await ingestion.RecordAsync(Tenant, TouchpointTests.Purchase(org, At - Duration.FromDays(3), "org-order"));
        await ingestion.RecordAsync(Tenant, TouchpointTests.Purchase(ada, At - Duration.FromDays(2), "ada-order"));
        await ingestion.RecordAsync(Tenant, TouchpointTests.Purchase(former, At - Duration.FromDays(1), "former-order"));
        await ingestion.RecordAsync(Tenant, TouchpointTests.Purchase(stranger, At, "stranger-order"));

        var entries = new List<TimelineEntry>();
        await foreach (var entry in new CustomerTimeline(touchpoints, graph).StreamWithRelatedAsync(Tenant, new TimelineFilter([org]), At))
        {
            entries.Add(entry);
        }

        Assert.Equal(["org-order", "ada-order"], entries.Select(e => e.Touchpoint.Source.Key));
        Assert.Null(entries[0].Via);
        Assert.Equal(employment.Id, entries[1].Via?.Id);
        Assert.Equal("employee", entries[1].Via!.RoleOf(ada));
    }

    [Fact]
    public void StreamWithRelated_WithoutARelationshipStore_IsNotSupported()
        => Assert.Throws<NotSupportedException>(() => new CustomerTimeline(new InMemoryTouchpointStore()).StreamWithRelatedAsync(Tenant, new TimelineFilter([CustomerId.New()]), At));
}
