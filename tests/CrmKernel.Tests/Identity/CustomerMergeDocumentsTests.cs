using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Identity;

/// <summary>The merge record's document (what the SQL adapters store): every field reads back, and a document is checked against its row.</summary>
public sealed class CustomerMergeDocumentsTests
{
    private static readonly TenantId Tenant = new("merge-docs");
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 9, 0), Duration.FromSeconds(1));

    private CustomerMergeRecord Record(Instant? unmergedAt = null)
    {
        var survivor = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        survivor.AddContactPoint(EmailAddress.Parse("ada@docs.example"));
        survivor.AddExternalIdentifier(new ExternalIdentifier("crm", "42"));
        survivor.GrantConsent(ConsentPurpose.Marketing, new ChannelId("email"), null, "web");
        var merged = Customer.Register(Tenant, new PersonProfile("Ada", null, honorific: "Countess"), _clock);
        merged.Tag(new CustomerTag("vip"));
        return new CustomerMergeRecord(
            CustomerMergeId.New(), survivor.ToSnapshot(3), merged.ToSnapshot(2), _clock.GetCurrentInstant(), 4, 1,
            [TouchpointId.New(), TouchpointId.New()], [TouchpointId.New()], [RelationshipId.New()], unmergedAt);
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameRecord_WithNotedRedirectsAfterTheDocumentsOwn()
    {
        var record = Record(Instant.FromUtc(2026, 3, 2, 9, 0));
        var noted = TouchpointId.New();

        var read = CustomerMergeDocuments.Read(Tenant, record.Id, CustomerMergeDocuments.Write(record), [noted]);

        Assert.Equal(record.Id, read.Id);
        Assert.Equal(record.SurvivorBefore.Version, read.SurvivorBefore.Version);
        Assert.Equal(record.SurvivorBefore.ExternalIdentifiers, read.SurvivorBefore.ExternalIdentifiers);
        Assert.Equal(record.SurvivorBefore.Consents, read.SurvivorBefore.Consents);
        Assert.Equal(record.MergedBefore.Tags, read.MergedBefore.Tags);
        Assert.Equal(record.MergedBefore.CreatedAt, read.MergedBefore.CreatedAt);
        Assert.Equal(record.MergedAt, read.MergedAt);
        Assert.Equal(record.SurvivorVersionAfterMerge, read.SurvivorVersionAfterMerge);
        Assert.Equal(record.MergedConsentCount, read.MergedConsentCount);
        Assert.Equal(record.MovedTouchpoints, read.MovedTouchpoints);
        Assert.Equal([.. record.RedirectedTouchpoints, noted], read.RedirectedTouchpoints);
        Assert.Equal(record.MovedRelationships, read.MovedRelationships);
        Assert.Equal(record.UnmergedAt, read.UnmergedAt);
        var active = Record();
        Assert.True(CustomerMergeDocuments.Read(Tenant, active.Id, CustomerMergeDocuments.Write(active)).IsActive);
    }

    [Fact]
    public void Read_RefusesADocumentOfAnotherMerge_OrAMalformedOne()
    {
        var record = Record();
        var document = CustomerMergeDocuments.Write(record);

        Assert.Equal(CrmErrorCodes.InvalidStoredState, Assert.Throws<InvalidStoredStateException>(() => CustomerMergeDocuments.Read(Tenant, CustomerMergeId.New(), document)).ErrorCode);
        Assert.Throws<InvalidStoredStateException>(() => CustomerMergeDocuments.Read(Tenant, record.Id, "{\"id\":"));
        Assert.Throws<ArgumentNullException>(() => CustomerMergeDocuments.Read(Tenant, record.Id, null!));
        Assert.Throws<ArgumentNullException>(() => CustomerMergeDocuments.Write(null!));
    }
}
