using System.Text;
using System.Text.Json;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Privacy;
using CrmKernel.Storage;
using CrmKernel.Testing;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Privacy;

/// <summary>
/// Laws of erasure and export over generated customers and histories: erasure is idempotent (same record, same shell,
/// same export), never changes a metric-relevant field of a touchpoint, and leaves no contact point, identifier, tag or
/// attribute value of the customer in the export; the export round-trips through JSON to the customer's values.
/// </summary>
public sealed class ErasureProperties
{
    private static readonly Gen<(Customer Customer, NewTouchpoint[] Touchpoints)> Histories =
        CrmGenerators.Customer.SelectMany(customer => CrmGenerators.NewTouchpointFor([customer.Id]).ListOf().Select(t => (customer, t.Take(25).ToArray())));

    [Property(MaxTest = 60)]
    public Property Erasure_IsIdempotent_KeepsEveryTouchpointField_AndLeavesNoPersonalValue() => Prop.ForAll(Histories.ToArbitrary(), history =>
    {
        using var services = Services(out var clock);
        var (customer, touchpoints) = history;
        var tenant = customer.TenantId;
        Run(services.GetRequiredService<CustomerRepository>().SaveAsync(customer));
        var stored = touchpoints.Select((t, i) => Touchpoint.Create(tenant, TouchpointId.New(), clock.GetCurrentInstant(), t)).ToArray();
        if (stored.Length > 0)
        {
            Run(services.GetRequiredService<ITouchpointStore>().AppendAsync(tenant, stored, default));
        }

        var before = Read(services, tenant, stored);
        var snapshot = Run(services.GetRequiredService<ICustomerStore>().FindAsync(tenant, customer.Id, default))!;
        var erasure = services.GetRequiredService<ErasureService>();
        var first = Run(erasure.EraseAsync(tenant, customer.Id, "dpo"));
        var exportAfterFirst = Export(services, tenant, customer.Id);
        var second = Run(erasure.EraseAsync(tenant, customer.Id, "someone-else", "ticket-2"));
        var exportAfterSecond = Export(services, tenant, customer.Id);

        using var shell = JsonDocument.Parse(exportAfterFirst);
        var c = shell.RootElement.GetProperty("customer");
        var emptied = new[] { "contactPoints", "externalIdentifiers", "tags", "customAttributes" }.All(name => c.GetProperty(name).GetArrayLength() == 0);
        var profileValues = c.GetProperty("profile").EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Value.ToString()).ToArray();
        return first.Equals(second).Label("same record")
            .And(Strip(exportAfterFirst) == Strip(exportAfterSecond)).Label("same export")
            .And(before.SequenceEqual(Read(services, tenant, stored))).Label("touchpoints unchanged")
            .And(first.CountOf(ErasureCategories.ContactPoints) == snapshot.ContactPoints.Count).Label("contact points counted")
            .And(emptied && c.GetProperty("homeTimeZone").ValueKind == JsonValueKind.Null).Label("lists emptied")
            .And(profileValues.SequenceEqual([CustomerErasure.ShellName])).Label("profile replaced")
            .And(snapshot.ContactPoints.All(p => !exportAfterFirst.Contains(p.Value.NormalizedValue, StringComparison.OrdinalIgnoreCase))).Label("no contact point left");
    });

    [Property(MaxTest = 60)]
    public Property Export_RoundTripsThroughJson_ToTheCustomersValues() => Prop.ForAll(Histories.ToArbitrary(), history =>
    {
        using var services = Services(out var clock);
        var (customer, touchpoints) = history;
        var tenant = customer.TenantId;
        Run(services.GetRequiredService<CustomerRepository>().SaveAsync(customer));
        var stored = touchpoints.Select(t => Touchpoint.Create(tenant, TouchpointId.New(), clock.GetCurrentInstant(), t)).ToArray();
        if (stored.Length > 0)
        {
            Run(services.GetRequiredService<ITouchpointStore>().AppendAsync(tenant, stored, default));
        }

        var snapshot = Run(services.GetRequiredService<ICustomerStore>().FindAsync(tenant, customer.Id, default))!;
        using var document = JsonDocument.Parse(Export(services, tenant, customer.Id));
        var c = document.RootElement.GetProperty("customer");
        var points = c.GetProperty("contactPoints").EnumerateArray().Select(p => (p.GetProperty("kind").GetString(), p.GetProperty("value").GetString(), p.GetProperty("primary").GetBoolean(), p.GetProperty("label").GetString()));
        var identifiers = c.GetProperty("externalIdentifiers").EnumerateArray().Select(i => new ExternalIdentifier(i.GetProperty("source").GetString()!, i.GetProperty("key").GetString()!));
        var tags = c.GetProperty("tags").EnumerateArray().Select(t => new CustomerTag(t.GetString()!));
        var attributes = c.GetProperty("customAttributes").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => CustomAttributeValue.Parse(Enum.Parse<CustomAttributeType>(a.GetProperty("type").GetString()!), a.GetProperty("value").GetString()!));
        var touchpointIds = document.RootElement.GetProperty("touchpoints").EnumerateArray().Select(t => TouchpointId.Parse(t.GetProperty("id").GetString()!)).ToHashSet();
        return (CustomerId.Parse(c.GetProperty("id").GetString()!) == snapshot.Id).Label("id")
            .And(c.GetProperty("displayName").GetString() == snapshot.Profile.DisplayName).Label("name")
            .And(points.SequenceEqual(snapshot.ContactPoints.Select(p => ((string?)p.Value.Kind.ToString(), (string?)p.Value.NormalizedValue, p.IsPrimary, p.Label)))).Label("contact points")
            .And(identifiers.SequenceEqual(snapshot.ExternalIdentifiers)).Label("identifiers")
            .And(tags.ToHashSet().SetEquals(snapshot.Tags)).Label("tags")
            .And(attributes.Count == snapshot.CustomAttributes.Count && attributes.All(a => snapshot.CustomAttributes[a.Key].Equals(a.Value))).Label("attributes")
            .And(c.GetProperty("homeTimeZone").GetString() == snapshot.HomeTimeZoneId).Label("zone")
            .And(touchpointIds.SetEquals(stored.Select(t => t.Id))).Label("touchpoints");
    });

    private static ServiceProvider Services(out FakeClock clock)
    {
        var fake = new FakeClock(Instant.FromUtc(2026, 5, 1, 0, 0), Duration.FromSeconds(1));
        clock = fake;
        var services = new ServiceCollection();
        services.AddCrmKernel(b => b.UseInMemoryStores().UseClock(fake));
        return services.BuildServiceProvider();
    }

    private static string[] Read(ServiceProvider services, TenantId tenant, Touchpoint[] stored)
        => [.. stored.Select(t => Run(services.GetRequiredService<ITouchpointStore>().FindAsync(tenant, t.Id, default))!).Select(t => string.Join('|', t.Id, t.CustomerId, t.Channel, t.Direction, t.Function, t.Kind, t.OccurredAt, t.RecordedAt, t.Source, t.Outcome, t.Satisfaction, t.Sentiment, t.Cost, t.Revenue, t.CampaignId, string.Join(',', t.ProductIds), string.Join(',', t.Participants.Select(p => $"{p.Role}/{p.CustomerId}/{p.UserId}"))))];

    private static string Export(ServiceProvider services, TenantId tenant, CustomerId id)
    {
        using var buffer = new MemoryStream();
        Run(services.GetRequiredService<PersonalDataExporter>().ExportAsync(tenant, id, buffer));
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Strip(string export) => System.Text.RegularExpressions.Regex.Replace(export, "\"exportedAt\": \"[^\"]*\"", string.Empty);

    private static T Run<T>(ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();

    private static void Run(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}
