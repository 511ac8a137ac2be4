using System.Runtime.CompilerServices;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// One tenant's touchpoints in columns: a struct row per touchpoint in append-only segments, repeated values (channel,
/// kind, source system, outcome) interned per tenant, source keys in a character arena, and open-addressing indexes of
/// row numbers by id and by source. Nothing per touchpoint is a heap object, so the garbage collector has nothing to
/// trace per row and a stored touchpoint costs about a hundred bytes instead of the four hundred of a kept
/// <see cref="Touchpoint"/> with its dictionaries. Reads rebuild <see cref="Touchpoint"/> objects. Not thread-safe:
/// <see cref="InMemoryTouchpointStore"/> holds the tenant's lock around every call.
/// </summary>
internal sealed class TouchpointTable
{
    private const int SegmentBits = 14;
    private const int SegmentSize = 1 << SegmentBits;
    private const int ArenaBits = 20;
    private const ushort Spilled = ushort.MaxValue;
    private const ushort Utf16Key = 0x8000;
    private const int ArenaChunk = 1 << ArenaBits;
    private const long NanosecondsPerDay = 86_400_000_000_000L;
    private const long WideInstant = long.MinValue;

    // Days either side of the epoch whose nanoseconds fit a long (about 292 years): 1678 to 2261.
    private const int MaxCompactDays = 106_000;

    private readonly TenantId _tenantId;
    private readonly Interned<ChannelId> _channels = new();
    private readonly Interned<TouchpointKind> _kinds = new();
    private readonly Interned<string> _systems = new(StringComparer.Ordinal);
    private readonly Interned<TouchpointOutcome> _outcomes = new();
    private readonly List<Extras> _extras = [null!];
    private Row[][] _segments = [];
    private byte[][] _arena = [];
    private int _arenaUsed = ArenaChunk;
    private CustomerId[] _customers = new CustomerId[16];
    private Timeline[] _timelines = new Timeline[16];
    private readonly TimelinePool _timelinePool = new();
    // Open-addressing indexes: each slot holds a hash in its high half and row + 1 in its low half (0: empty), so a probe
    // reads a row only when the hashes agree and growing never reads a row at all.
    private long[] _byId = new long[64];
    private long[] _bySource = new long[64];
    // Customer id to customer number, open addressing as the two indexes above (the customer's number + 1 in the low half).
    private long[] _customerSlots = new long[64];
    private int _customerCount;
    private int _count;

    public TouchpointTable(TenantId tenantId) => _tenantId = tenantId;

    /// <summary>How many touchpoints are stored.</summary>
    public int Count => _count;

    /// <summary>What <see cref="AddIfFree"/> returns when it stored the touchpoint.</summary>
    public const int Added = -1;

    /// <summary>What <see cref="AddIfFree"/> returns when the source key is free but the id is taken.</summary>
    public const int IdTaken = -2;

    /// <summary>The row of a stored source key, or -1.</summary>
    public int FindSource(ExternalIdentifier source)
        => _systems.TryGetIndex(source.Source, out var system) ? FindSource(system, source.Key, SourceHash(system, source.Key)) : -1;

    /// <summary>
    /// Stores a touchpoint unless its source key or id is taken, hashing the key once: <see cref="Added"/>,
    /// <see cref="IdTaken"/>, or the row (0 or more) that holds the source key.
    /// </summary>
    public int AddIfFree(Touchpoint touchpoint)
    {
        var source = touchpoint.Source;
        if (_systems.TryGetIndex(source.Source, out var system))
        {
            var hash = SourceHash(system, source.Key);
            var stored = FindSource(system, source.Key, hash);
            if (stored >= 0)
            {
                return stored;
            }

            if (FindId(touchpoint.Id) >= 0)
            {
                return IdTaken;
            }

            Store(touchpoint, system, hash);
            return Added;
        }

        if (FindId(touchpoint.Id) >= 0)
        {
            return IdTaken;
        }

        system = _systems.Add(source.Source);
        Store(touchpoint, system, SourceHash(system, source.Key));
        return Added;
    }

    /// <summary>
    /// Before <see cref="AddIfFree"/> of <c>touchpoints[index]</c> in a bulk append, asks the processor to start loading
    /// what later touchpoints' appends will touch, in three steps as each address becomes known from what the step before
    /// loaded: eight ahead the index slots (source, id, customer), four ahead the customer's timeline, two ahead the end of
    /// its timeline chunk. A large tenant's indexes do not fit in the processor's caches, so without this each append waits
    /// for several memory reads in turn; with it they overlap. A hint: it changes nothing, and does nothing on processors
    /// without a prefetch instruction.
    /// </summary>
    public void PrefetchAhead(IReadOnlyList<Touchpoint> touchpoints, int index)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        var count = touchpoints.Count;
        if (index + 8 < count)
        {
            var touchpoint = touchpoints[index + 8];
            var source = touchpoint.Source;
            if (_systems.TryGetIndex(source.Source, out var system))
            {
                Prefetch(ref _bySource[Slot(SourceHash(system, source.Key), _bySource.Length - 1)]);
            }

            Prefetch(ref _byId[Slot(IdHash(touchpoint.Id), _byId.Length - 1)]);
            PrefetchCustomerSlot(touchpoint.CustomerId);
        }

        if (index + 4 < count)
        {
            PrefetchCustomer(touchpoints[index + 4].CustomerId);
        }

        if (index + 2 < count && GuessCustomer(touchpoints[index + 2].CustomerId) is var next and >= 0)
        {
            _timelines[next].PrefetchEnd(_timelinePool);
        }
    }

    /// <summary>
    /// Before a scan reads the timeline of <c>customerIds[index]</c>, asks the processor to start loading what the next
    /// customers' reads will touch, in steps as each address becomes known from what the step before loaded: eight ahead
    /// the customer's index slot, four ahead its number and timeline, two ahead its timeline chunk, one ahead each of its
    /// rows. A scan of a large tenant otherwise waits for a memory read per step and per row in turn (a customer's rows
    /// lie wherever they were appended). A hint: it changes nothing, and does nothing without a prefetch instruction.
    /// </summary>
    public void PrefetchScan(IReadOnlyList<CustomerId> customerIds, int index)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        var count = customerIds.Count;
        if (index + 8 < count)
        {
            PrefetchCustomerSlot(customerIds[index + 8]);
        }

        if (index + 4 < count)
        {
            PrefetchCustomer(customerIds[index + 4]);
        }

        if (index + 2 < count && GuessCustomer(customerIds[index + 2]) is var next and >= 0)
        {
            _timelines[next].PrefetchStart(_timelinePool);
        }

        if (index + 1 < count && GuessCustomer(customerIds[index + 1]) is var following and >= 0)
        {
            foreach (var row in _timelines[following].Rows(_timelinePool))
            {
                Prefetch(ref RowAt(row));
            }
        }
    }

    /// <summary>The first step of both prefetches: the customer's slot in the customer index.</summary>
    private void PrefetchCustomerSlot(CustomerId customerId)
        => Prefetch(ref _customerSlots[Slot(customerId.GetHashCode(), _customerSlots.Length - 1)]);

    /// <summary>The second step of both prefetches: the customer's id and timeline entry (found by hash, unconfirmed).</summary>
    private void PrefetchCustomer(CustomerId customerId)
    {
        if (GuessCustomer(customerId) is var customer and >= 0)
        {
            Prefetch(ref _customers[customer]);
            Prefetch(ref _timelines[customer]);
        }
    }

    private static unsafe void Prefetch<T>(ref T location)
        => System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref location));

    private int FindSource(int system, ReadOnlySpan<char> key, int hash)
    {
        var mask = _bySource.Length - 1;
        for (var slot = Slot(hash, mask); ; slot = (slot + 1) & mask)
        {
            var entry = _bySource[slot];
            if (entry == 0)
            {
                return -1;
            }

            if ((int)(entry >> 32) == hash)
            {
                var index = (int)entry - 1;
                ref readonly var row = ref RowAt(index);
                if (SystemOf(in row) == system && KeyEquals(in row, key))
                {
                    return index;
                }
            }
        }
    }

    /// <summary>The row of a stored id, or -1.</summary>
    public int FindId(TouchpointId id)
    {
        var hash = IdHash(id);
        var mask = _byId.Length - 1;
        for (var slot = Slot(hash, mask); ; slot = (slot + 1) & mask)
        {
            var entry = _byId[slot];
            if (entry == 0)
            {
                return -1;
            }

            if ((int)(entry >> 32) == hash && RowAt((int)entry - 1).Id == id)
            {
                return (int)entry - 1;
            }
        }
    }

    /// <summary>Stores a touchpoint whose source key and id are known to be free.</summary>
    public void Add(Touchpoint touchpoint)
    {
        var system = _systems.Add(touchpoint.Source.Source);
        Store(touchpoint, system, SourceHash(system, touchpoint.Source.Key));
    }

    private void Store(Touchpoint touchpoint, int system, int sourceHash)
    {
        var index = _count;
        if ((index & (SegmentSize - 1)) == 0 && (index >> SegmentBits) == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length + 1);
            _segments[^1] = new Row[SegmentSize];
        }

        ref var row = ref _segments[index >> SegmentBits][index & (SegmentSize - 1)];
        row = default;
        Extras? extras = null;
        row.Id = touchpoint.Id;
        row.OccurredAt = Compact(touchpoint.OccurredAt, ref extras, static (e, i) => e.OccurredAt = i);
        row.RecordedAt = Compact(touchpoint.RecordedAt, ref extras, static (e, i) => e.RecordedAt = i);
        row.Customer = CustomerIndex(touchpoint.CustomerId);
        row.Channel = _channels.Add(touchpoint.Channel);
        row.System = Narrow(system, touchpoint.Source.Source, ref extras, static (e, v) => e.System = v);
        row.Kind = Narrow(_kinds.Add(touchpoint.Kind), touchpoint.Kind, ref extras, static (e, v) => e.Kind = v);
        row.Outcome = touchpoint.Outcome is { } outcome ? Narrow(_outcomes.Add(outcome) + 1, outcome, ref extras, static (e, v) => e.Outcome = v) : (ushort)0;
        row.Function = (byte)touchpoint.Function;
        row.Direction = (byte)touchpoint.Direction;
        if (touchpoint.Satisfaction is { } satisfaction)
        {
            row.SatisfactionScale = (byte)satisfaction.Scale;
            row.SatisfactionValue = (byte)satisfaction.Value;
        }

        var currency = touchpoint.Revenue?.Currency ?? touchpoint.Cost?.Currency ?? default;
        row.Currency = currency;
        if (touchpoint.Revenue is { } revenue && !Amount.TryPack(revenue.Amount, out row.Revenue, out row.RevenueFlags))
        {
            (extras ??= new Extras()).Revenue = revenue;
        }

        if (touchpoint.Cost is { } cost && !Amount.TryPack(cost.Amount, out row.Cost, out row.CostFlags))
        {
            (extras ??= new Extras()).Cost = cost;
        }

        if (touchpoint.Participants.Count > 0 || touchpoint.ProductIds.Count > 0 || touchpoint.CampaignId is not null || touchpoint.Sentiment is not null)
        {
            extras ??= new Extras();
            extras.Participants = touchpoint.Participants;
            extras.ProductIds = touchpoint.ProductIds;
            extras.CampaignId = touchpoint.CampaignId;
            extras.Sentiment = touchpoint.Sentiment;
        }

        var key = touchpoint.Source.Key;
        var ascii = System.Text.Ascii.IsValid(key);
        var bytes = ascii ? key.Length : key.Length * sizeof(char);
        if (_arenaUsed + bytes > ArenaChunk)
        {
            Array.Resize(ref _arena, _arena.Length + 1);
            _arena[^1] = new byte[ArenaChunk];
            _arenaUsed = 0;
        }

        var target = _arena[^1].AsSpan(_arenaUsed, bytes);
        if (ascii)
        {
            System.Text.Encoding.ASCII.GetBytes(key, target);
        }
        else
        {
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(key.AsSpan()).CopyTo(target);
        }

        row.Key = ((_arena.Length - 1) << ArenaBits) | _arenaUsed;
        row.KeyLength = (ushort)(bytes | (ascii ? 0 : Utf16Key));
        _arenaUsed += bytes;

        _count++;
        if (_count * 4 > _byId.Length * 3)
        {
            _byId = Grow(_byId);
            _bySource = Grow(_bySource);
        }

        Insert(_byId, IdHash(row.Id), index);
        Insert(_bySource, sourceHash, index);
        if (extras is not null)
        {
            row.Extra = _extras.Count;
            _extras.Add(extras);
        }

        _timelines[row.Customer].Add(this, index, row.OccurredAt);
    }

    /// <summary>Rebuilds the touchpoint of a row.</summary>
    public Touchpoint Read(int index)
    {
        ref readonly var row = ref RowAt(index);
        var extras = row.Extra == 0 ? null : _extras[row.Extra];
        var currency = row.Currency;
        Money? revenue = extras?.Revenue ?? (row.RevenueFlags == 0 ? null : new Money(Amount.Unpack(row.Revenue, row.RevenueFlags), currency));
        Money? cost = extras?.Cost ?? (row.CostFlags == 0 ? null : new Money(Amount.Unpack(row.Cost, row.CostFlags), currency));
        return new Touchpoint(
            _tenantId,
            row.Id,
            Expand(row.RecordedAt, extras?.RecordedAt),
            _customers[row.Customer],
            _channels[row.Channel],
            (InteractionDirection)row.Direction,
            (CrmFunction)row.Function,
            row.Kind == Spilled ? extras!.Kind : _kinds[row.Kind],
            OccurredAt(in row),
            new ExternalIdentifier(row.System == Spilled ? extras!.System! : _systems[row.System], KeyText(in row), trusted: true),
            extras?.Participants ?? [],
            row.Outcome == 0 ? null : row.Outcome == Spilled ? extras!.Outcome : _outcomes[row.Outcome - 1],
            row.SatisfactionScale == 0 ? null : SatisfactionScore.Create((SatisfactionScale)row.SatisfactionScale, row.SatisfactionValue),
            extras?.Sentiment,
            cost,
            revenue,
            extras?.ProductIds ?? [],
            extras?.CampaignId);
    }

    /// <summary>The facts of a row a metric scan reads, without rebuilding the touchpoint.</summary>
    public TouchpointScanRow ScanRow(int index)
    {
        ref readonly var row = ref RowAt(index);
        var extras = row.Extra == 0 ? null : _extras[row.Extra];
        decimal? revenue = row.RevenueFlags != 0 ? Amount.Unpack(row.Revenue, row.RevenueFlags) : extras?.Revenue?.Amount;
        decimal? cost = row.CostFlags != 0 ? Amount.Unpack(row.Cost, row.CostFlags) : extras?.Cost?.Amount;
        return new TouchpointScanRow(
            _customers[row.Customer],
            OccurredAt(in row),
            _channels[row.Channel],
            row.Kind == Spilled ? extras!.Kind : _kinds[row.Kind],
            row.Function,
            row.Direction,
            row.Outcome == 0 ? default : row.Outcome == Spilled ? extras!.Outcome : _outcomes[row.Outcome - 1],
            row.SatisfactionScale,
            row.SatisfactionValue,
            cost,
            revenue,
            row.Currency);
    }

    /// <summary>The rows of a customer in timeline order (empty when it has none).</summary>
    public ReadOnlySpan<int> TimelineOf(CustomerId customerId)
        => FindCustomer(customerId) is var customer and >= 0 ? _timelines[customer].Rows(_timelinePool) : [];

    /// <summary>The customer a row belongs to.</summary>
    public CustomerId CustomerOf(int index) => _customers[RowAt(index).Customer];

    /// <summary>Moves a row to another customer's timeline (a merge or unmerge re-points it).</summary>
    public void Move(int index, CustomerId to)
    {
        var target = CustomerIndex(to);
        ref var row = ref RowAt(index);
        if (row.Customer == target)
        {
            return;
        }

        _timelines[row.Customer].Remove(this, index);
        row.Customer = target;
        _timelines[target].Add(this, index, row.OccurredAt);
    }

    /// <summary>When a row's touchpoint occurred.</summary>
    public Instant OccurredAt(int index) => OccurredAt(in RowAt(index));

    /// <summary>A row's timeline position.</summary>
    public TimelinePosition PositionOf(int index)
    {
        ref readonly var row = ref RowAt(index);
        return new TimelinePosition(OccurredAt(in row), row.Id);
    }

    /// <summary>Whether a row's touchpoint passes the filter's channel, function and kind sets (not its customers or times).</summary>
    public bool MatchesSets(int index, TimelineFilter filter)
    {
        ref readonly var row = ref RowAt(index);
        return (filter.Channels is null || filter.Channels.Contains(_channels[row.Channel]))
               && (filter.Functions is null || filter.Functions.Contains((CrmFunction)row.Function))
               && (filter.Kinds is null || filter.Kinds.Contains(row.Kind == Spilled ? _extras[row.Extra].Kind : _kinds[row.Kind]));
    }

    private static int Slot(int hash, int mask) => (int)(((uint)hash * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    private static int IdHash(TouchpointId id) => id.Value.GetHashCode();

    private static int SourceHash(int system, ReadOnlySpan<char> key) => string.GetHashCode(key) ^ (system * 16_777_619);

    private static void Insert(long[] table, int hash, int index)
    {
        var mask = table.Length - 1;
        var slot = Slot(hash, mask);
        while (table[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        table[slot] = ((long)hash << 32) | (uint)(index + 1);
    }

    private static long[] Grow(long[] table)
    {
        var grown = new long[table.Length * 2];
        var mask = grown.Length - 1;
        foreach (var entry in table)
        {
            if (entry != 0)
            {
                var slot = Slot((int)(entry >> 32), mask);
                while (grown[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                grown[slot] = entry;
            }
        }

        return grown;
    }

    /// <summary>An interned number for a row's 16-bit column; past 65,534 distinct values the value itself goes to the extras.</summary>
    private static ushort Narrow<T>(int index, T value, ref Extras? extras, Action<Extras, T> keep)
    {
        if (index < Spilled)
        {
            return (ushort)index;
        }

        keep(extras ??= new Extras(), value);
        return Spilled;
    }

    private static long Compact(Instant instant, ref Extras? extras, Action<Extras, Instant> keep)
    {
        var since = instant - Instant.FromUnixTimeTicks(0);
        if (since.Days is > -MaxCompactDays and < MaxCompactDays)
        {
            return (since.Days * NanosecondsPerDay) + since.NanosecondOfDay;
        }

        keep(extras ??= new Extras(), instant);
        return WideInstant;
    }

    private static Instant Expand(long compact, Instant? wide)
        => compact == WideInstant ? wide!.Value : Instant.FromUnixTimeTicks(0) + Duration.FromNanoseconds(compact);

    private Instant OccurredAt(ref readonly Row row)
        => Expand(row.OccurredAt, row.OccurredAt == WideInstant ? _extras[row.Extra].OccurredAt : null);

    /// <summary>Orders two rows by timeline position: occurred-at, then id.</summary>
    private int ComparePositions(int a, int b)
    {
        ref readonly var x = ref RowAt(a);
        ref readonly var y = ref RowAt(b);
        var byTime = x.OccurredAt != WideInstant && y.OccurredAt != WideInstant
            ? x.OccurredAt.CompareTo(y.OccurredAt)
            : OccurredAt(in x).CompareTo(OccurredAt(in y));
        return byTime != 0 ? byTime : x.Id.CompareTo(y.Id);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Row RowAt(int index) => ref _segments[index >> SegmentBits][index & (SegmentSize - 1)];

    private ReadOnlySpan<byte> KeyBytes(ref readonly Row row) => _arena[row.Key >> ArenaBits].AsSpan(row.Key & (ArenaChunk - 1), row.KeyLength & ~Utf16Key);

    private bool KeyEquals(ref readonly Row row, ReadOnlySpan<char> key)
        => (row.KeyLength & Utf16Key) == 0
            ? System.Text.Ascii.Equals(KeyBytes(in row), key)
            : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(KeyBytes(in row)).SequenceEqual(key);

    private string KeyText(ref readonly Row row)
        => (row.KeyLength & Utf16Key) == 0
            ? System.Text.Encoding.ASCII.GetString(KeyBytes(in row))
            : new string(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(KeyBytes(in row)));

    /// <summary>The interned number of a row's source system (for a spilled one, looked up by its text).</summary>
    private int SystemOf(ref readonly Row row)
        => row.System != Spilled ? row.System : _systems.TryGetIndex(_extras[row.Extra].System!, out var index) ? index : -1;

    private int FindCustomer(CustomerId customerId)
    {
        var hash = customerId.GetHashCode();
        var mask = _customerSlots.Length - 1;
        for (var slot = Slot(hash, mask); ; slot = (slot + 1) & mask)
        {
            var entry = _customerSlots[slot];
            if (entry == 0)
            {
                return -1;
            }

            if ((int)(entry >> 32) == hash && _customers[(int)entry - 1] == customerId)
            {
                return (int)entry - 1;
            }
        }
    }

    /// <summary>For a prefetch only: the number of the first customer whose hash matches (unconfirmed, so no read of the id), or -1.</summary>
    private int GuessCustomer(CustomerId customerId)
    {
        var hash = customerId.GetHashCode();
        var mask = _customerSlots.Length - 1;
        for (var slot = Slot(hash, mask); ; slot = (slot + 1) & mask)
        {
            var entry = _customerSlots[slot];
            if (entry == 0 || (int)(entry >> 32) == hash)
            {
                return (int)entry - 1;
            }
        }
    }

    private int CustomerIndex(CustomerId customerId)
    {
        var index = FindCustomer(customerId);
        if (index >= 0)
        {
            return index;
        }

        index = _customerCount++;
        if (index == _customers.Length)
        {
            Array.Resize(ref _customers, _customers.Length * 2);
            Array.Resize(ref _timelines, _timelines.Length * 2);
        }

        _customers[index] = customerId;
        if (_customerCount * 4 > _customerSlots.Length * 3)
        {
            _customerSlots = Grow(_customerSlots);
        }

        Insert(_customerSlots, customerId.GetHashCode(), index);
        return index;
    }

    /// <summary>
    /// One stored touchpoint's fixed-size facts (80 bytes). Times are nanoseconds since 1970 (<see cref="WideInstant"/>:
    /// in <see cref="Extras"/>); amounts are a 64-bit mantissa with their scale and sign in a flags byte (0: none); the
    /// source key is ASCII bytes in the arena, or UTF-16 when <see cref="Utf16Key"/> is set in its length.
    /// </summary>
    private struct Row
    {
        public TouchpointId Id;
        public long OccurredAt;
        public long RecordedAt;
        public ulong Revenue;
        public ulong Cost;
        public int Customer;
        public int Channel;
        public int Key;
        public int Extra;
        public ushort Kind;
        public ushort System;
        public ushort Outcome;
        public ushort KeyLength;
        public Currency Currency;
        public byte Function;
        public byte Direction;
        public byte SatisfactionScale;
        public byte SatisfactionValue;
        public byte RevenueFlags;
        public byte CostFlags;
    }

    /// <summary>What few touchpoints carry, kept beside the row only when present.</summary>
    private sealed class Extras
    {
        public IReadOnlyList<TouchpointParticipant>? Participants { get; set; }

        public IReadOnlyList<string>? ProductIds { get; set; }

        public string? CampaignId { get; set; }

        public Sentiment? Sentiment { get; set; }

        public Instant? OccurredAt { get; set; }

        public Instant? RecordedAt { get; set; }

        public Money? Revenue { get; set; }

        public Money? Cost { get; set; }

        public TouchpointKind Kind { get; set; }

        public string? System { get; set; }

        public TouchpointOutcome Outcome { get; set; }
    }

    /// <summary>
    /// A customer's rows in timeline order, as a chunk of <see cref="TimelinePool"/>: appends in order are O(1), a late
    /// arrival is a binary-search insert. Holds no reference, so the garbage collector never visits a customer's timeline.
    /// </summary>
    private struct Timeline
    {
        private int _start;
        private int _count;
        private byte _size;
        private long _lastOccurredAt;

        public readonly ReadOnlySpan<int> Rows(TimelinePool pool) => _count == 0 ? [] : pool.Chunk(_start, _count);

        /// <summary>Prefetches the first slot of the chunk (see <see cref="PrefetchScan"/>).</summary>
        public readonly void PrefetchStart(TimelinePool pool)
        {
            if (_size != 0)
            {
                Prefetch(ref pool.Slot(_start));
            }
        }

        /// <summary>Prefetches the slot the next row will take (see <see cref="PrefetchAhead"/>).</summary>
        public readonly void PrefetchEnd(TimelinePool pool)
        {
            if (_size != 0)
            {
                Prefetch(ref pool.Slot(_start + Math.Max(_count - 1, 0)));
            }
        }

        public void Remove(TouchpointTable table, int index)
        {
            var rows = table._timelinePool.Chunk(_start, _count);
            var at = rows.IndexOf(index);
            rows[(at + 1)..].CopyTo(rows[at..]);
            _count--;
            _lastOccurredAt = _count == 0 ? 0 : table.RowAt(rows[_count - 1]).OccurredAt;
        }

        public void Add(TouchpointTable table, int index, long occurredAt)
        {
            var pool = table._timelinePool;
            if (_size == 0)
            {
                _start = pool.Allocate(_size = 1);
            }
            else if (_count == TimelinePool.Capacity(_size))
            {
                var grown = pool.Allocate((byte)(_size + 1));
                pool.Chunk(_start, _count).CopyTo(pool.Chunk(grown, _count));
                pool.Free(_start, _size);
                (_start, _size) = (grown, (byte)(_size + 1));
            }

            var rows = pool.Chunk(_start, _count + 1);
            var at = _count;
            var inOrder = _count == 0
                || (occurredAt != WideInstant && _lastOccurredAt != WideInstant && occurredAt > _lastOccurredAt)
                || table.ComparePositions(rows[_count - 1], index) < 0;
            if (!inOrder)
            {
                int lo = 0, hi = _count;
                while (lo < hi)
                {
                    var mid = (lo + hi) >>> 1;
                    if (table.ComparePositions(rows[mid], index) < 0)
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                at = lo;
                rows[at.._count].CopyTo(rows[(at + 1)..]);
            }

            rows[at] = index;
            _count++;
            _lastOccurredAt = table.RowAt(rows[_count - 1]).OccurredAt;
        }
    }

    /// <summary>
    /// Every customer's timeline chunk in one growing array of row numbers: chunks come in size classes (each about 1.5× the
    /// one before), a chunk outgrown goes to its class's free list (linked through its first slot) for the next customer
    /// that grows into that class. One array instead of an array per customer: nothing per customer for the garbage
    /// collector to promote or scan.
    /// </summary>
    private sealed class TimelinePool
    {
        private static readonly int[] Capacities = BuildCapacities();
        private readonly int[] _free = Enumerable.Repeat(-1, Capacities.Length).ToArray();
        private int[] _slots = new int[1024];
        private int _used;

        /// <summary>How many rows a chunk of size class <paramref name="size"/> (1 or more) holds.</summary>
        public static int Capacity(byte size) => Capacities[size];

        public Span<int> Chunk(int start, int count) => _slots.AsSpan(start, count);

        public ref int Slot(int index) => ref _slots[index];

        public int Allocate(byte size)
        {
            if (_free[size] >= 0)
            {
                var reused = _free[size];
                _free[size] = _slots[reused];
                return reused;
            }

            var capacity = Capacities[size];
            if (_slots.Length - _used < capacity)
            {
                var length = (long)Math.Max(_slots.Length + (_slots.Length >> 1), _used + (long)capacity);
                Array.Resize(ref _slots, (int)Math.Min(length, Array.MaxLength));
                if (_slots.Length - _used < capacity)
                {
                    throw new InvalidOperationException("The in-memory store's timelines are full.");
                }
            }

            var start = _used;
            _used += capacity;
            return start;
        }

        public void Free(int start, byte size)
        {
            _slots[start] = _free[size];
            _free[size] = start;
        }

        private static int[] BuildCapacities()
        {
            // Class 0 is unused (a timeline without a chunk); then 2, 4, 7, 11, 17, ... up to the largest array.
            var capacities = new List<int> { 0, 2 };
            while (capacities[^1] < Array.MaxLength / 2)
            {
                capacities.Add(capacities[^1] + (capacities[^1] >> 1) + 1);
            }

            capacities.Add(Array.MaxLength);
            return [.. capacities];
        }
    }

    /// <summary>Decimal amounts packed as a 64-bit mantissa, a scale and a sign; the rest go to <see cref="Extras"/>.</summary>
    private static class Amount
    {
        private const byte Present = 0x80;
        private const byte Negative = 0x40;

        public static bool TryPack(decimal amount, out ulong mantissa, out byte flags)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(amount, bits);
            if (bits[2] != 0)
            {
                mantissa = 0;
                flags = 0;
                return false;
            }

            mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
            flags = (byte)(Present | (bits[3] < 0 ? Negative : 0) | amount.Scale);
            return true;
        }

        public static decimal Unpack(ulong mantissa, byte flags)
            => new((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, (flags & Negative) != 0, (byte)(flags & 0x1F));
    }

    /// <summary>A tenant's distinct values of one kind, numbered in order of first use.</summary>
    private sealed class Interned<T>(IEqualityComparer<T>? comparer = null)
        where T : notnull
    {
        private readonly Dictionary<T, int> _index = new(comparer);
        private readonly List<T> _values = [];

        public T this[int index] => _values[index];

        public bool TryGetIndex(T value, out int index) => _index.TryGetValue(value, out index);

        public int Add(T value)
        {
            ref var index = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_index, value, out var exists);
            if (!exists)
            {
                index = _values.Count;
                _values.Add(value);
            }

            return index;
        }
    }
}
