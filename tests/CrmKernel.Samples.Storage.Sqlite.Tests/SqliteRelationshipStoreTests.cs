using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Storage;
using NodaTime;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>What the SQLite relationship store does beyond the conformance kit: its columns, version checks in SQL and error translation.</summary>
public sealed class SqliteRelationshipStoreTests : IDisposable
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly Instant Since = Instant.FromUtc(2024, 1, 1, 0, 0).PlusNanoseconds(5);
    private static readonly RelationshipType Franchise = new("franchise", "franchisor", "franchisee", RelationshipCategory.Commercial, isHierarchical: true);

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task StoredValues_AreTheWholeTypeAndExactInstants_AsReadableText()
    {
        var (from, to) = (CustomerId.New(), CustomerId.New());
        var relationship = Relationship.Create(Tenant, RelationshipId.New(), Franchise, from, to, true, Since, Since + Duration.FromDays(365), 1);
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.Relationships.CommitAsync(relationship, 0, default);

        Assert.Equal(
            $"{relationship.Id}|franchise|franchisor|franchisee|commercial|1|{from}|{to}|1|2024-01-01T00:00:00.000000005Z|2024-12-31T00:00:00.000000005Z|1",
            _database.Scalar("SELECT concat_ws('|', id, type_id, forward_role, reverse_role, category, is_hierarchical, from_party, to_party, is_primary, valid_from, valid_to, version) FROM relationships"));
        var stored = await store.Relationships.FindAsync(Tenant, relationship.Id, default);
        Assert.Equal(Franchise, stored!.Type);
        Assert.Equal(relationship.ValidTo, stored.ValidTo);
    }

    [Fact]
    public async Task Commit_ChecksTheVersionInSql_SoAnotherStoreOnTheFileCannotOverwrite()
    {
        // Two stores stand for two processes: the second's stale update is refused by the statement's version check.
        var relationship = Relationship.Create(Tenant, RelationshipId.New(), RelationshipType.Employment, CustomerId.New(), CustomerId.New(), false, Since, null, 1);
        await using var first = new SqliteCrmStore(_database.ConnectionString);
        await using var second = new SqliteCrmStore(_database.ConnectionString);
        await first.Relationships.CommitAsync(relationship, 0, default);
        var ended = Relationship.Create(Tenant, relationship.Id, relationship.Type, relationship.From, relationship.To, false, Since, Since + Duration.FromDays(1), 2);
        await first.Relationships.CommitAsync(ended, 1, default);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await second.Relationships.CommitAsync(ended, 1, default));
        Assert.Equal("relationship", conflict.AggregateType);
        Assert.Equal(relationship.Id.ToString(), conflict.AggregateId);
        Assert.Equal(2, conflict.ActualVersion);

        var skipped = Relationship.Create(Tenant, relationship.Id, relationship.Type, relationship.From, relationship.To, false, Since, Since + Duration.FromDays(2), 4);
        Assert.Equal(2, (await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await second.Relationships.CommitAsync(skipped, 2, default))).ActualVersion);
        Assert.Equal(2L, _database.Scalar("SELECT version FROM relationships"));
    }

    /// <summary>A row edited by hand fails loudly, naming the table and the relationship, never the value.</summary>
    [Theory]
    [InlineData("UPDATE relationships SET category = 'romantic'", "romantic")]
    [InlineData("UPDATE relationships SET is_primary = 2", null)]
    [InlineData("UPDATE relationships SET is_hierarchical = 1, reverse_role = forward_role", null)]
    [InlineData("UPDATE relationships SET type_id = 'Franchise'", null)]
    [InlineData("UPDATE relationships SET forward_role = ''", null)]
    [InlineData("UPDATE relationships SET valid_from = 'long ago'", "long ago")]
    [InlineData("UPDATE relationships SET valid_to = valid_from", null)]
    [InlineData("UPDATE relationships SET version = 0", null)]
    public async Task HandEditedRow_IsInvalidStoredState_NamingTableAndRelationship(string edit, string? editedValue)
    {
        var party = CustomerId.New();
        var relationship = Relationship.Create(Tenant, RelationshipId.New(), Franchise, party, CustomerId.New(), false, Since, Since + Duration.FromDays(3), 1);
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.Relationships.CommitAsync(relationship, 0, default);
        }

        Assert.True(_database.Execute(edit) > 0);
        await using var reopened = new SqliteCrmStore(_database.ConnectionString);
        foreach (var read in new Func<Task>[]
        {
            async () => await reopened.Relationships.FindAsync(Tenant, relationship.Id, default),
            async () => await reopened.Relationships.ListByPartyAsync(Tenant, party, default),
        })
        {
            var error = await Assert.ThrowsAsync<InvalidStoredStateException>(read);
            Assert.Equal("relationships", error.Origin);
            Assert.Equal(relationship.Id.ToString(), error.Key);
            if (editedValue is not null)
            {
                Assert.DoesNotContain(editedValue, error.Message, StringComparison.Ordinal);
            }
        }
    }
}
