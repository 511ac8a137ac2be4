using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Touchpoints;

/// <summary>
/// Realistic touchpoints for the benchmarks: each has one customer out of a fixed population, a channel with its
/// source system and a key unique within the run, a function and kind that fit each other, and revenue as
/// <see cref="Money"/>. Generation is deterministic (seeded), and occurred-at instants grow with the index, as an
/// ingestion feed mostly delivers contacts in time order.
/// </summary>
internal static class TouchpointData
{
    public static readonly TenantId Tenant = new("bench");

    /// <summary>The first occurred-at instant; every data set spans <see cref="Span"/> from here.</summary>
    public static readonly Instant Start = Instant.FromUtc(2021, 1, 1, 0, 0);

    /// <summary>Five years of contacts.</summary>
    public static readonly Duration Span = Instant.FromUtc(2026, 1, 1, 0, 0) - Start;

    public static readonly ChannelId[] Channels = [new("email"), new("web"), new("phone"), new("store:london"), new("app")];

    /// <summary>The source system behind each channel, by the channel's index.</summary>
    private static readonly string[] SourceSystems = ["esp", "webshop", "callcenter", "pos", "mobile-app"];

    private static readonly (CrmFunction Function, TouchpointKind Kind, InteractionDirection Direction)[] Contacts =
    [
        (CrmFunction.Sales, TouchpointKind.Purchase, InteractionDirection.Inbound),
        (CrmFunction.Sales, TouchpointKind.Purchase, InteractionDirection.Inbound),
        (CrmFunction.Marketing, TouchpointKind.CampaignContact, InteractionDirection.Outbound),
        (CrmFunction.Marketing, TouchpointKind.Response, InteractionDirection.Inbound),
        (CrmFunction.Service, TouchpointKind.Enquiry, InteractionDirection.Inbound),
        (CrmFunction.Service, TouchpointKind.Complaint, InteractionDirection.Inbound),
        (CrmFunction.Service, TouchpointKind.Resolution, InteractionDirection.Outbound),
        (CrmFunction.Innovation, TouchpointKind.Feedback, InteractionDirection.Inbound),
    ];

    private static readonly Instant RecordedAt = Instant.FromUtc(2026, 1, 2, 0, 0);

    public static CustomerId[] Customers(int count, int seed)
    {
        var random = new Random(seed);
        var ids = new CustomerId[count];
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < ids.Length; i++)
        {
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // a version-4-looking GUID, never empty
            ids[i] = new CustomerId(new Guid(bytes));
        }

        return ids;
    }

    /// <summary>The contact as a source system would deliver it.</summary>
    /// <param name="index">Position in the run; makes the source key unique and sets the occurred-at instant.</param>
    /// <param name="keyPrefix">Distinguishes runs that share a store (e.g. the seed and the measured batch).</param>
    /// <param name="customer">The customer.</param>
    /// <param name="channel">Index into <see cref="Channels"/>.</param>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="random">Picks the kind and the amount.</param>
    public static NewTouchpoint Details(long index, string keyPrefix, CustomerId customer, int channel, Instant occurredAt, Random random)
    {
        var (function, kind, direction) = Contacts[random.Next(Contacts.Length)];
        return new NewTouchpoint
        {
            CustomerId = customer,
            Channel = Channels[channel],
            Direction = direction,
            Function = function,
            Kind = kind,
            OccurredAt = occurredAt,
            Source = new ExternalIdentifier(SourceSystems[channel], string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{keyPrefix}-{index:D9}")),
            Revenue = new Money(random.Next(100, 50_000) / 100m, Currency.EUR),
        };
    }

    /// <summary>Validates <paramref name="details"/> into a touchpoint, as the ingestion pipeline does, with a version-7 id for its occurred-at instant.</summary>
    /// <remarks>
    /// The id's random bits come from <paramref name="random"/>, not <see cref="TouchpointId.New"/>: that keeps the data
    /// deterministic, and <see cref="Guid.CreateVersion7()"/> asks the operating system for randomness on every call,
    /// which costs microseconds on some virtual machines and would dominate the time to fill a large tenant.
    /// </remarks>
    public static Touchpoint Record(NewTouchpoint details, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var milliseconds = details.OccurredAt.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Touchpoint.Create(Tenant, new TouchpointId(new Guid(bytes, bigEndian: true)), RecordedAt, details);
    }

    /// <summary>
    /// <paramref name="count"/> contacts in time order over <see cref="Span"/>, each with a random customer out of
    /// <paramref name="customers"/> and a random channel.
    /// </summary>
    public static NewTouchpoint[] Feed(int count, CustomerId[] customers, string keyPrefix, int seed)
    {
        var random = new Random(seed);
        var step = Span / count;
        var feed = new NewTouchpoint[count];
        for (var i = 0; i < feed.Length; i++)
        {
            feed[i] = Details(i, keyPrefix, customers[random.Next(customers.Length)], random.Next(Channels.Length), Start + (step * i), random);
        }

        return feed;
    }

    /// <summary>Records every contact of <paramref name="feed"/> (new ids, validation) into touchpoints.</summary>
    public static Touchpoint[] RecordAll(NewTouchpoint[] feed, int seed)
    {
        var random = new Random(seed);
        return Array.ConvertAll(feed, details => Record(details, random));
    }

    /// <summary>Cuts <paramref name="touchpoints"/> into arrays of <see cref="TouchpointIngestion.BatchSize"/>, so appending them allocates nothing.</summary>
    public static Touchpoint[][] Batches(Touchpoint[] touchpoints) => touchpoints.Chunk(TouchpointIngestion.BatchSize).ToArray();

    /// <summary>Appends <paramref name="batches"/> to <paramref name="store"/>; the in-memory store completes synchronously.</summary>
    public static long AppendAll(ITouchpointStore store, Touchpoint[][] batches)
    {
        long appended = 0;
        foreach (var batch in batches)
        {
            var pending = store.AppendAsync(Tenant, batch, CancellationToken.None);
            appended += pending.IsCompletedSuccessfully ? pending.Result.Appended : pending.AsTask().GetAwaiter().GetResult().Appended;
        }

        return appended;
    }
}
