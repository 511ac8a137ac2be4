using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using NodaTime;

namespace CrmKernel.Benchmarks.Storage;

/// <summary>
/// Realistic customers for the storage benchmarks, built once per benchmark process so that data generation
/// is never measured: a person profile, one email address, one external identifier and one tag each, registered
/// through <see cref="Customer"/> (version-7 ids, so in creation order) and turned into insert commits with
/// <see cref="CustomerCommit.Create(Customer)"/> exactly as <see cref="CustomerRepository"/> would.
/// </summary>
internal static class CustomerDataSet
{
    /// <summary>The one tenant every benchmark customer belongs to.</summary>
    public static readonly TenantId Tenant = new("bench");

    /// <summary>How many keys each lookup benchmark looks up per invocation (its OperationsPerInvoke).</summary>
    public const int LookupsPerInvoke = 1_000;

    /// <summary>The page size of the scans.</summary>
    public const int PageSize = 1_000;

    /// <summary>The source system of every external identifier.</summary>
    public const string Source = "webshop";

    private static readonly string[] GivenNames =
    [
        "Anna", "Ben", "Chloé", "David", "Emma", "Farid", "Greta", "Hiroshi", "Ingrid", "João", "Karin", "Liam", "Maria", "Noah",
        "Olga", "Pedro", "Quentin", "Rosa", "Sven", "Tanja", "Uwe", "Valentina", "Wei", "Ximena", "Yusuf", "Zoë",
    ];

    private static readonly string[] FamilyNames =
    [
        "Müller", "Smith", "García", "Rossi", "Dubois", "Nowak", "Jansen", "Kowalski", "Silva", "Andersson", "Yilmaz", "Novák",
        "Papadopoulos", "O'Brien", "Tanaka", "Nguyen", "Schmidt", "Fischer", "Weber", "Martin", "Bernard", "Costa", "Horvat",
    ];

    private static readonly string[] Languages = ["de-DE", "en-GB", "en-US", "fr-FR", "es-ES", "it-IT", "nl-NL"];

    private static readonly string[] TagTexts = ["newsletter", "vip", "region:emea", "region:amer", "b2b", "churn-risk", "loyalty/gold"];

    /// <summary>The clock customers are registered and rehydrated with.</summary>
    public static IClock Clock => SystemClock.Instance;

    /// <summary>The email address of the <paramref name="index"/>th customer, built from fresh strings.</summary>
    public static string EmailOf(int index)
        => string.Create(CultureInfo.InvariantCulture, $"{GivenNames[index % GivenNames.Length]}.{index:D7}@example{index % 13}.com").ToLowerInvariant();

    /// <summary>The web shop's key of the <paramref name="index"/>th customer, built from a fresh string.</summary>
    public static string KeyOf(int index) => string.Create(CultureInfo.InvariantCulture, $"WS-{index:D8}");

    /// <summary>Builds <paramref name="count"/> insert commits of new customers, in creation (id) order, on every core.</summary>
    public static CustomerCommit[] CreateCommits(int count)
    {
        var commits = new CustomerCommit[count];
        var firstMillisecond = SystemClock.Instance.GetCurrentInstant().ToUnixTimeMilliseconds();
        Parallel.ForEach(Partitioner.Create(0, count, 10_000), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                commits[i] = CreateCommit(i, firstMillisecond);
            }
        });

        return commits;
    }

    private static CustomerCommit CreateCommit(int index, long firstMillisecond)
    {
        var profile = new PersonProfile(
            GivenNames[index % GivenNames.Length],
            FamilyNames[(index / GivenNames.Length) % FamilyNames.Length],
            birthDate: new LocalDate(1940 + (index % 65), 1 + (index % 12), 1 + (index % 28)),
            preferredLanguage: Languages[index % Languages.Length]);
        var customer = Customer.Register(Tenant, IdOf(index, firstMillisecond), profile, Clock);
        customer.AddContactPoint(EmailAddress.Parse(EmailOf(index)), "work");
        customer.AddExternalIdentifier(new ExternalIdentifier(Source, KeyOf(index)));
        customer.Tag(new CustomerTag(TagTexts[index % TagTexts.Length]));
        return CustomerCommit.Create(customer);
    }

    /// <summary>
    /// A version-7 id as <see cref="CustomerId.New"/> makes, minted without its cryptographic random call
    /// (3-5 µs a call on the benchmark VM, where system calls are slow): a millisecond timestamp that advances every
    /// 4,096 customers, the index in the 12 bits after the version and a scrambled index with the RFC 9562 variant as tail. Ids therefore sort in
    /// creation order, as registered customers' ids do.
    /// </summary>
    private static CustomerId IdOf(int index, long firstMillisecond)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = firstMillisecond + (index >> 12);
        for (var b = 0; b < 6; b++)
        {
            bytes[b] = (byte)(milliseconds >> (8 * (5 - b)));
        }

        bytes[6] = (byte)(0x70 | ((index >> 8) & 0x0F));
        bytes[7] = (byte)index;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (((ulong)index + 1) * 0x9E37_79B9_7F4A_7C15 & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000);
        return new CustomerId(new Guid(bytes, bigEndian: true));
    }

    /// <summary>Commits every commit into <paramref name="store"/>, one <see cref="ICustomerStore.CommitAsync"/> each.</summary>
    public static void Fill(InMemoryCustomerStore store, CustomerCommit[] commits)
    {
        foreach (var commit in commits)
        {
            Sync.Complete(store.CommitAsync(commit, CancellationToken.None));
        }
    }

    /// <summary>Marks every pending outbox event published, as a running <see cref="CrmEventRelay"/> would.</summary>
    public static void DrainOutbox(InMemoryCrmOutbox outbox)
    {
        while (true)
        {
            var pending = Sync.Result(outbox.ListPendingAsync(Tenant, StoreArguments.MaxLimit, CancellationToken.None));
            if (pending.Count == 0)
            {
                return;
            }

            Sync.Complete(outbox.MarkPublishedAsync(Tenant, [.. pending.Select(e => e.EventId)], CancellationToken.None));
        }
    }

    /// <summary>Stops a benchmark whose setup did not produce what it measures.</summary>
    public static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Benchmark setup failed: " + what + ".");
        }
    }

    /// <summary>Picks <see cref="LookupsPerInvoke"/> random indices below <paramref name="count"/>, the same ones on every run.</summary>
    public static int[] RandomIndices(int count)
    {
        var random = new Random(20_240_601);
        var indices = new int[LookupsPerInvoke];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = random.Next(count);
        }

        return indices;
    }
}

/// <summary>Consumes value tasks the in-memory store completes synchronously, without an async state machine.</summary>
internal static class Sync
{
    public static T Result<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static void Complete(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}
