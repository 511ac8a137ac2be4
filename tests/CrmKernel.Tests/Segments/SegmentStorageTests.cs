using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Segments;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Segments;

/// <summary>Bad inputs of the in-memory segment store and score source, the service's options and its registration.</summary>
public sealed class SegmentStorageTests
{
    private static readonly TenantId Tenant = new("seg-storage");

    [Fact]
    public async Task InMemoryStore_RefusesBadInput()
    {
        var store = new InMemorySegmentStore();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.FindAsync(default, new SegmentId("s"), null, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.FindAsync(Tenant, new SegmentId("s"), 0, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.PageAsync(Tenant, null, 0, default));
        await Assert.ThrowsAsync<InputLimitExceededException>(async () => await store.PageAsync(Tenant, null, StoreLimits.MaxPageSize + 1, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.PageSnapshotMembersAsync(Tenant, new SegmentId("s"), null, 0, default));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.SaveAsync(Tenant, null!, default));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindLatestSnapshotAsync(Tenant, new SegmentId("s"), cancelled.Token));
    }

    [Fact]
    public async Task InMemoryScoreSource_ReturnsSetValues_PerTenant()
    {
        var source = new InMemoryCustomerScoreSource();
        var (a, b) = (CustomerId.New(), CustomerId.New());
        source.Set(Tenant, "CLV", a, 10m);
        source.Set(Tenant, "clv", a, 12m);
        var scores = new decimal?[2];

        await source.ReadScoresAsync(Tenant, "clv", [a, b], Instant.MinValue, scores, default);
        Assert.Equal(new decimal?[] { 12m, null }, scores);
        await source.ReadScoresAsync(new TenantId("other"), "clv", [a, b], Instant.MinValue, scores, default);
        Assert.Equal(new decimal?[] { null, null }, scores);
        await Assert.ThrowsAsync<ArgumentException>(async () => await source.ReadScoresAsync(Tenant, "clv", [a, b], Instant.MinValue, new decimal?[1], default));
        Assert.Throws<ArgumentException>(() => source.Set(Tenant, "not a score!", a, 1m));
        Assert.Throws<ArgumentException>(() => source.Set(Tenant, "clv", default, 1m));
    }

    [Fact]
    public void Options_CheckThePageSize()
    {
        Assert.Equal(5_000, new SegmentServiceOptions().PageSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentServiceOptions { PageSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentServiceOptions { PageSize = StoreLimits.MaxPageSize + 1 });
        Assert.Throws<ArgumentNullException>(() => new SegmentServiceOptions { Vocabulary = null! });
    }

    [Fact]
    public async Task AddCrmKernel_RegistersTheService_OverTheChosenStores()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new SegmentServiceOptions { Vocabulary = new SegmentVocabulary([KeyValuePair.Create("tier", CustomAttributeType.Number)]) });
        services.AddCrmKernel(kernel => kernel.UseInMemoryStores());
        await using var provider = services.BuildServiceProvider();

        var segments = provider.GetRequiredService<SegmentService>();
        await segments.DefineAsync(Tenant, new SegmentId("tiered"), "Tiered", AttributeRule.Exists("tier"), 0);

        Assert.IsType<InMemorySegmentStore>(provider.GetRequiredService<ISegmentStore>());
        Assert.Equal(1, (await provider.GetRequiredService<ISegmentStore>().FindAsync(Tenant, new SegmentId("tiered"), null, default))!.Version);
    }
}
