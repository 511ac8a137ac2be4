using System.Buffers.Binary;
using System.Collections.Concurrent;
using CrmKernel.Primitives;
using Xunit;

namespace CrmKernel.Tests.Primitives;

/// <summary>The one id generator behind <c>CustomerId.New()</c>, <c>TouchpointId.New()</c>, <c>RelationshipId.New()</c> and event ids.</summary>
public sealed class TimeOrderedGuidTests
{
    [Fact]
    public void Next_HasTheVersion7Layout_VersionAndVariant()
    {
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 1_000; i++)
        {
            var guid = TimeOrderedGuid.Next();
            Assert.Equal(7, guid.Version);
            Assert.True(guid.TryWriteBytes(bytes, bigEndian: true, out _));
            Assert.Equal(0b10, bytes[8] >> 6);
        }
    }

    [Fact]
    public void Next_CarriesTheWallClockMillisecond()
    {
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var guid = TimeOrderedGuid.Next();
        var after = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

        Span<byte> bytes = stackalloc byte[16];
        Assert.True(guid.TryWriteBytes(bytes, bigEndian: true, out _));
        var milliseconds = (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16);
        // The generator reads the wall clock once a second and advances it by the coarse tick count in between.
        Assert.InRange(milliseconds, before - 1_100, after + 1_100);
    }

    [Fact]
    public void Next_OnOneThread_SortsInMintingOrder()
    {
        var previous = TimeOrderedGuid.Next();
        for (var i = 0; i < 200_000; i++)
        {
            var next = TimeOrderedGuid.Next();
            Assert.True(previous.CompareTo(next) < 0, $"id {i + 1} sorts before the id minted before it");
            previous = next;
        }
    }

    [Fact]
    public void Next_OnManyThreadsAtOnce_NeverRepeats()
    {
        const int threads = 8;
        const int perThread = 100_000;
        var all = new ConcurrentBag<Guid[]>();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var ids = new Guid[perThread];
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                ids[i] = TimeOrderedGuid.Next();
            }

            all.Add(ids);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Equal(threads * perThread, all.SelectMany(ids => ids).Distinct().Count());
    }

    [Fact]
    public void TypedIds_ComeFromTheGenerator_AndAreTimeOrdered()
    {
        var customers = Enumerable.Range(0, 1_000).Select(_ => CustomerId.New()).ToList();
        var touchpoints = Enumerable.Range(0, 1_000).Select(_ => TouchpointId.New()).ToList();
        var relationships = Enumerable.Range(0, 1_000).Select(_ => RelationshipId.New()).ToList();

        Assert.Equal(customers, customers.Order());
        Assert.Equal(touchpoints, touchpoints.Order());
        Assert.Equal(relationships, relationships.Order());
        Assert.Equal(3_000, customers.Select(c => c.Value).Concat(touchpoints.Select(t => t.Value)).Concat(relationships.Select(r => r.Value)).Distinct().Count());
    }
}
