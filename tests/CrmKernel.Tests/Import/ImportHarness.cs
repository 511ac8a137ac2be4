using CrmKernel.Customers;
using CrmKernel.Import;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Import;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Import;

/// <summary>An in-memory kernel with an importer, and helpers to build rows and read back what was stored.</summary>
internal sealed class ImportHarness : IAsyncDisposable
{
    public static readonly TenantId Tenant = new("import-tests");

    private readonly ServiceProvider _services;

    public ImportHarness(int batchRows = CustomerImporter.BatchSize)
    {
        _services = new ServiceCollection()
            .AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 3, 1, 12, 0)))
            .AddCrmKernel(b => b.UseInMemoryStores())
            .BuildServiceProvider();
        Importer = new CustomerImporter(Customers, _services.GetRequiredService<Services.Ingestion.TouchpointIngestion>(), _services.GetRequiredService<IClock>()) { BatchRows = batchRows };
    }

    public CustomerImporter Importer { get; }

    public CustomerRepository Customers => _services.GetRequiredService<CustomerRepository>();

    public ITouchpointStore Touchpoints => _services.GetRequiredService<ITouchpointStore>();

    public static ImportMapping CustomerMapping { get; } = new()
    {
        SourceSystem = "crm",
        CustomerKeyColumn = "key",
        GivenNameColumn = "given",
        FamilyNameColumn = "family",
        OrganizationNameColumn = "org",
        EmailColumn = "email",
        PhoneColumn = "phone",
        PhoneRegion = "GB",
        TagsColumn = "tags",
        AttributeColumns =
        [
            new ImportAttributeColumn("vip", "vip", CustomAttributeType.Boolean),
            new ImportAttributeColumn("since", "since", CustomAttributeType.Date),
            new ImportAttributeColumn("limit", "creditLimit", CustomAttributeType.Money),
            new ImportAttributeColumn("score", "score", CustomAttributeType.Number),
        ],
    };

    public static ImportMapping FullMapping { get; } = new()
    {
        SourceSystem = "crm",
        CustomerKeyColumn = "key",
        GivenNameColumn = "given",
        FamilyNameColumn = "family",
        OrganizationNameColumn = "org",
        EmailColumn = "email",
        PhoneColumn = "phone",
        PhoneRegion = "GB",
        TagsColumn = "tags",
        AttributeColumns = CustomerMapping.AttributeColumns,
        TouchpointKeyColumn = "order",
        TouchpointSourceSystem = "shop",
        ChannelColumn = "channel",
        TouchpointKindColumn = "kind",
        FunctionColumn = "function",
        DirectionColumn = "direction",
        OccurredAtColumn = "at",
        OccurredAtZone = DateTimeZoneProviders.Tzdb["Europe/London"],
        RevenueColumn = "revenue",
        CostColumn = "cost",
        CampaignColumn = "campaign",
    };

    public static readonly string[] Header =
        ["key", "given", "family", "org", "email", "phone", "tags", "vip", "since", "limit", "score", "order", "channel", "kind", "function", "direction", "at", "revenue", "cost", "campaign"];

    /// <summary>A valid row with a touchpoint; change cells with <paramref name="changes"/>.</summary>
    public static ImportRow Row(long line, string key, params (string Column, string? Value)[] changes)
    {
        var values = new string?[]
        {
            key, "Ada", "Lovelace", null, $"{key.ToLowerInvariant()}@example.com", "020 7946 0958", "newsletter;vip", "true", "2020-01-31", "2500.00 GBP", "42.5",
            $"O-{key}", "webshop", "purchase", "Sales", "Inbound", "2026-02-01T10:30:00Z", "99.90 GBP", "1.20 GBP", "spring",
        };
        foreach (var (column, value) in changes)
        {
            values[Array.IndexOf(Header, column)] = value;
        }

        return new ImportRow(line, Header, values);
    }

    public static async IAsyncEnumerable<ImportRow> Source(IEnumerable<ImportRow> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    public static IAsyncEnumerable<ImportRow> Csv(string text) => CsvImportSource.ReadAsync(new StringReader(text));

    public ValueTask<ImportResult> ImportAsync(IEnumerable<ImportRow> rows, ImportMapping? mapping = null, long resumeAfterLine = 0, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
        => Importer.ImportAsync(Tenant, mapping ?? FullMapping, Source(rows), resumeAfterLine, progress, cancellationToken);

    public async Task<Customer?> FindAsync(string key)
        => await Customers.FindByExternalIdentifierAsync(Tenant, new ExternalIdentifier("crm", key));

    public async Task<long> CustomerCountAsync() => await Customers.CountAsync(Tenant);

    public async Task<long> TouchpointCountAsync() => await Touchpoints.CountAsync(Tenant, default);

    /// <summary>What is stored, without ids and stamps: each customer's profile, contact points, tags and attributes by key, and every touchpoint's fields by source key.</summary>
    public async Task<string> StateAsync()
    {
        var lines = new List<string>();
        await foreach (var customer in Customers.StreamAsync(Tenant))
        {
            var key = customer.ExternalIdentifiers.Single().ToString();
            lines.Add($"{key} {customer.Kind} {customer.Profile.DisplayName} [{string.Join(",", customer.ContactPoints.Select(c => c.Value.ToString()))}] "
                + $"[{string.Join(",", customer.Tags.Order())}] [{string.Join(",", customer.CustomAttributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"))}]");
            var page = await Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([customer.Id]), null, 1000, default);
            lines.AddRange(page.Select(t => $"  {key} {t.Source} {t.Channel} {t.Kind} {t.Function} {t.Direction} {t.OccurredAt} {t.Revenue} {t.Cost} {t.CampaignId}"));
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
