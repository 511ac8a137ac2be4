using CrmKernel.Customers;
using CrmKernel.Import;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Import;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's import part, on the same database as the rest (a tenant of its own, so the other parts' figures do
/// not change): a small web-shop export (Data/customers.csv, 12 rows, 2 of them bad) is imported into customers and
/// their orders. It prints what the file holds once imported and each rejected row's line, column and code, then imports
/// the file again to show that a re-run stores nothing; both are the same on every run, since the first import of a
/// later run finds everything already there.
/// </summary>
internal static class ImportDemo
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-import");
        var importer = services.GetRequiredService<CustomerImporter>();
        var customers = services.GetRequiredService<CustomerRepository>();
        var touchpoints = services.GetRequiredService<ITouchpointStore>();
        var file = Path.Combine(AppContext.BaseDirectory, "Data", "customers.csv");
        var mapping = new ImportMapping
        {
            SourceSystem = "webshop",
            CustomerKeyColumn = "id",
            GivenNameColumn = "first_name",
            FamilyNameColumn = "last_name",
            OrganizationNameColumn = "company",
            EmailColumn = "email",
            PhoneColumn = "phone",
            PhoneRegion = "GB",
            TagsColumn = "tags",
            AttributeColumns = [new ImportAttributeColumn("credit_limit", "creditLimit", CustomAttributeType.Money)],
            TouchpointKeyColumn = "order_id",
            ChannelColumn = "channel",
            TouchpointKindColumn = "kind",
            FunctionColumn = "function",
            DirectionColumn = "direction",
            OccurredAtColumn = "ordered_at",
            OccurredAtZone = DateTimeZoneProviders.Tzdb["Europe/London"],
            RevenueColumn = "total",
        };

        var result = await importer.ImportAsync(tenant, mapping, CsvImportSource.ReadFileAsync(file));
        var totals = result.Totals;
        Console.WriteLine($"\n== Import: Data/customers.csv, {totals.RowsRead} rows: {totals.RowsStored + totals.RowsSkipped} imported (stored now or already there), {totals.RowsRejected} rejected");
        foreach (var error in result.Errors)
        {
            Console.WriteLine($"    line {error.LineNumber}, column {error.Column}: {error.ErrorCode}");
        }

        Console.WriteLine($"    the tenant holds {await customers.CountAsync(tenant)} customers and {await touchpoints.CountAsync(tenant, default)} orders from the file");
        var brunel = await customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("webshop", "W-1005"));
        Console.WriteLine($"    W-1005: {brunel!.Profile.DisplayName}, {brunel.Kind}, tags {string.Join(", ", brunel.Tags.Order())}, credit limit {brunel.CustomAttributes["creditLimit"].AsMoney()}");

        var again = await importer.ImportAsync(tenant, mapping, CsvImportSource.ReadFileAsync(file));
        Console.WriteLine($"    imported again: {again.Totals.RowsStored} stored, {again.Totals.RowsSkipped} skipped, {again.Totals.RowsRejected} rejected (a re-run changes nothing)");
    }
}
