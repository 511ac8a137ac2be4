using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Channels;

/// <summary>
/// The conformance kit for <see cref="IPendingDispatchStore"/>: inherit it in your durable store's test project and
/// supply <see cref="CreateStoreAsync"/>. The dispatcher relies on exactly these behaviours to lose no message.
/// </summary>
public abstract class PendingDispatchStoreConformanceTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 3, 1, 9, 0);

    /// <summary>Creates a fresh, empty store for one test.</summary>
    /// <returns>The store.</returns>
    protected abstract ValueTask<IPendingDispatchStore> CreateStoreAsync();

    /// <summary>A saved entry is found by tenant and key with every field; saving the key again replaces it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Save_ThenFind_RoundTrips_AndSavingAgainReplaces()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        var first = Pending(tenant, "order-1/shipped", 1, Start, null);
        await store.SaveAsync(first, CancellationToken.None);

        var found = await store.FindAsync(tenant, "order-1/shipped", CancellationToken.None);
        AssertSame(first, found);

        var second = Pending(tenant, "order-1/shipped", 2, Start + Duration.FromMinutes(5), "HTTP 503");
        await store.SaveAsync(second, CancellationToken.None);
        AssertSame(second, await store.FindAsync(tenant, "order-1/shipped", CancellationToken.None));
        Assert.Single(await StreamAsync(store, tenant));
    }

    /// <summary>Remove reports whether there was an entry, and a removed entry is gone.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Remove_ReportsWhetherThereWasAnEntry()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        await store.SaveAsync(Pending(tenant, "k", 1, Start, null), CancellationToken.None);

        Assert.True(await store.RemoveAsync(tenant, "k", CancellationToken.None));
        Assert.False(await store.RemoveAsync(tenant, "k", CancellationToken.None));
        Assert.Null(await store.FindAsync(tenant, "k", CancellationToken.None));
        Assert.Empty(await StreamAsync(store, tenant));
    }

    /// <summary>ReadAll streams one tenant's entries, oldest last attempt first; tenants never see each other's; keys are case-sensitive.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task ReadAll_IsPerTenant_OldestFirst()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        var other = NewTenant();
        await store.SaveAsync(Pending(tenant, "late", 1, Start + Duration.FromHours(2), null), CancellationToken.None);
        await store.SaveAsync(Pending(tenant, "early", 3, Start, "timeout"), CancellationToken.None);
        await store.SaveAsync(Pending(tenant, "EARLY", 1, Start + Duration.FromHours(1), null), CancellationToken.None);
        await store.SaveAsync(Pending(other, "early", 1, Start, null), CancellationToken.None);

        Assert.Equal(["early", "EARLY", "late"], (await StreamAsync(store, tenant)).Select(p => p.DispatchKey));
        Assert.Equal(["early"], (await StreamAsync(store, other)).Select(p => p.DispatchKey));
        Assert.True(await store.RemoveAsync(other, "early", CancellationToken.None));
        Assert.NotNull(await store.FindAsync(tenant, "early", CancellationToken.None));
    }

    /// <summary>Bad arguments are argument errors; a cancelled token throws <see cref="OperationCanceledException"/>.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task BadArguments_AndCancellation_AreRefused()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.SaveAsync(null!, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.FindAsync(default, "k", CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.RemoveAsync(default, "k", CancellationToken.None));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamAsync(default, CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SaveAsync(Pending(tenant, "k", 1, Start, null), cancelled.Token));
        Assert.Null(await store.FindAsync(tenant, "k", CancellationToken.None));
    }

    private static TenantId NewTenant() => new("kit-" + Guid.NewGuid().ToString("N")[..12]);

    private static PendingDispatch Pending(TenantId tenant, string key, int attempts, Instant at, string? reason)
        => new(
            tenant,
            new DispatchRequest(CustomerId.New(), new ChannelId("kit-email"), ConsentPurpose.Service, CrmFunction.Service, new MessageContent("Kit body ✓", "Kit"), key, kind: new TouchpointKind("order-update"), campaignId: "kit-campaign"),
            attempts,
            at,
            reason);

    private static async Task<List<PendingDispatch>> StreamAsync(IPendingDispatchStore store, TenantId tenant)
    {
        var list = new List<PendingDispatch>();
        await foreach (var entry in store.StreamAsync(tenant, CancellationToken.None))
        {
            list.Add(entry);
        }

        return list;
    }

    private static void AssertSame(PendingDispatch expected, PendingDispatch? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.DispatchKey, actual.DispatchKey);
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected.LastAttemptAt, actual.LastAttemptAt);
        Assert.Equal(expected.LastReason, actual.LastReason);
        var e = expected.Request;
        var a = actual.Request;
        Assert.Equal(e.CustomerId, a.CustomerId);
        Assert.Equal(e.Channel, a.Channel);
        Assert.Equal(e.Purpose, a.Purpose);
        Assert.Equal(e.Function, a.Function);
        Assert.Equal(e.Kind, a.Kind);
        Assert.Equal(e.CampaignId, a.CampaignId);
        Assert.Equal(e.Recipient, a.Recipient);
        Assert.Equal(e.Content.Body, a.Content.Body);
        Assert.Equal(e.Content.Subject, a.Content.Subject);
    }
}
