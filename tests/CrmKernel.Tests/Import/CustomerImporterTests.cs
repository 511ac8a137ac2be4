using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Import;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Import.ImportHarness;

namespace CrmKernel.Tests.Import;

public sealed class CustomerImporterTests
{
    [Fact]
    public async Task ImportAsync_StoresEveryColumnType_AndReadsBackAsTheApiWould()
    {
        await using var harness = new ImportHarness();
        var csv = string.Join("\r\n",
            string.Join(",", Header),
            "C-1,Ada,Lovelace,,Ada.Lovelace@Example.COM,020 7946 0958,Newsletter; vip ,true,2020-01-31,2500.00 GBP,42.5,O-1,webshop,purchase,sales,inbound,2026-02-01T10:30:00,99.90 GBP,1.20 GBP,spring",
            "ORG-9,,,Analytical Engines Ltd,accounts@engines.example,+44 161 496 0000,,false,,,,O-2,email,enquiry,Service,Outbound,2026-07-01T10:30:00+02:00,,,",
            "");

        var result = await harness.Importer.ImportAsync(Tenant, FullMapping, Csv(csv));

        Assert.Empty(result.Errors);
        Assert.Equal((2L, 2L, 0L, 0L, 3L), (result.Totals.RowsRead, result.Totals.RowsStored, result.Totals.RowsSkipped, result.Totals.RowsRejected, result.Totals.CheckpointLine));
        Assert.Equal((2L, 2L), (result.CustomersStored, result.TouchpointsStored));

        var ada = Assert.IsType<Customer>(await harness.FindAsync("C-1"));
        var person = Assert.IsType<PersonProfile>(ada.Profile);
        Assert.Equal(("Ada", "Lovelace"), (person.GivenName, person.FamilyName));
        Assert.Contains(ada.ContactPoints, c => c.Value.Equals(EmailAddress.Parse("ada.lovelace@example.com")));
        Assert.Contains(ada.ContactPoints, c => c.Value.Equals(PhoneNumber.Parse("+44 20 7946 0958")));
        Assert.Equal([new CustomerTag("newsletter"), new CustomerTag("vip")], ada.Tags.Order());
        Assert.True(ada.CustomAttributes["vip"].AsBoolean());
        Assert.Equal(new LocalDate(2020, 1, 31), ada.CustomAttributes["since"].AsDate());
        Assert.Equal(Money.Of(2500.00m, "GBP"), ada.CustomAttributes["creditLimit"].AsMoney());
        Assert.Equal(42.5m, ada.CustomAttributes["score"].AsNumber());

        var order = Assert.IsType<Touchpoint>(await harness.Touchpoints.FindBySourceAsync(Tenant, new ExternalIdentifier("shop", "O-1"), default));
        Assert.Equal(ada.Id, order.CustomerId);
        Assert.Equal((new ChannelId("webshop"), TouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound), (order.Channel, order.Kind, order.Function, order.Direction));
        Assert.Equal(Instant.FromUtc(2026, 2, 1, 10, 30), order.OccurredAt); // London local time in winter is UTC
        Assert.Equal((Money.Of(99.90m, "GBP"), Money.Of(1.20m, "GBP"), "spring"), (order.Revenue, order.Cost, order.CampaignId));

        var engines = Assert.IsType<Customer>(await harness.FindAsync("ORG-9"));
        Assert.Equal("Analytical Engines Ltd", Assert.IsType<OrganizationProfile>(engines.Profile).LegalName);
        Assert.False(engines.CustomAttributes["vip"].AsBoolean());
        Assert.False(engines.CustomAttributes.ContainsKey("since"));
        var enquiry = Assert.IsType<Touchpoint>(await harness.Touchpoints.FindBySourceAsync(Tenant, new ExternalIdentifier("shop", "O-2"), default));
        Assert.Equal(Instant.FromUtc(2026, 7, 1, 8, 30), enquiry.OccurredAt);
        Assert.Equal((null, null, null), (enquiry.Revenue, enquiry.Cost, enquiry.CampaignId));
    }

    public static TheoryData<string, string?, string> BadCells => new()
    {
        { "key", null, CrmErrorCodes.ImportMissingValue },
        { "key", new string('k', ExternalIdentifier.MaxKeyLength + 1), CrmErrorCodes.InputLimitExceeded },
        { "given", "Ada\u0007", CrmErrorCodes.ImportInvalidValue },
        { "email", "not-an-email", CrmErrorCodes.ImportInvalidEmail },
        { "email", "ada@", CrmErrorCodes.ImportInvalidEmail },
        { "phone", "12", CrmErrorCodes.ImportInvalidPhone },
        { "phone", "call me", CrmErrorCodes.ImportInvalidPhone },
        { "tags", "ok;!!", CrmErrorCodes.ImportInvalidValue },
        { "vip", "yes", CrmErrorCodes.ImportInvalidValue },
        { "since", "31/01/2020", CrmErrorCodes.ImportInvalidDate },
        { "limit", "2500", CrmErrorCodes.ImportInvalidValue },
        { "score", "many", CrmErrorCodes.ImportInvalidValue },
        { "channel", null, CrmErrorCodes.ImportMissingValue },
        { "channel", "web shop!", CrmErrorCodes.ImportInvalidValue },
        { "kind", "??", CrmErrorCodes.ImportInvalidValue },
        { "function", "Finance", CrmErrorCodes.ImportInvalidValue },
        { "function", "2", CrmErrorCodes.ImportInvalidValue },
        { "direction", "sideways", CrmErrorCodes.ImportInvalidValue },
        { "at", null, CrmErrorCodes.ImportMissingValue },
        { "at", "yesterday", CrmErrorCodes.ImportInvalidDate },
        { "at", "2026-02-30T10:00:00Z", CrmErrorCodes.ImportInvalidDate },
        { "revenue", "99.90", CrmErrorCodes.ImportInvalidValue },
        { "cost", "1,20 EUR", CrmErrorCodes.ImportInvalidValue },
        { "order", new string('o', ExternalIdentifier.MaxKeyLength + 1), CrmErrorCodes.InputLimitExceeded },
    };

    [Theory]
    [MemberData(nameof(BadCells))]
    public async Task ImportAsync_ReportsABadCell_WithLineColumnAndCode_AndStoresNothingOfItsRow(string column, string? value, string code)
    {
        await using var harness = new ImportHarness();

        var result = await harness.ImportAsync([Row(2, "C-1"), Row(3, "C-2", (column, value)), Row(4, "C-3")]);

        var error = Assert.Single(result.Errors);
        Assert.Equal((3L, column, code), (error.LineNumber, error.Column, error.ErrorCode));
        Assert.Contains($"Line 3, column '{column}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        if (value is { Length: > 2 })
        {
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal((2L, 1L), (result.Totals.RowsStored, result.Totals.RowsRejected));
        Assert.Null(await harness.FindAsync("C-2"));
        Assert.Null(await harness.Touchpoints.FindBySourceAsync(Tenant, new ExternalIdentifier("shop", "O-C-2"), default));
        Assert.Equal((2L, 2L), (await harness.CustomerCountAsync(), await harness.TouchpointCountAsync()));
    }

    [Fact]
    public async Task ImportAsync_ReportsEveryBadCellOfARow_InLineOrder()
    {
        await using var harness = new ImportHarness();

        var result = await harness.ImportAsync([Row(5, "C-2", ("email", "x"), ("phone", "y")), Row(2, "C-1", ("given", null), ("family", null))]);

        Assert.Equal(
            [(2L, "given", CrmErrorCodes.ImportMissingValue), (5L, "email", CrmErrorCodes.ImportInvalidEmail), (5L, "phone", CrmErrorCodes.ImportInvalidPhone)],
            result.Errors.Select(e => (e.LineNumber, e.Column, e.ErrorCode)));
        Assert.Equal(2L, result.Totals.RowsRejected);
        Assert.Equal(0L, await harness.CustomerCountAsync());
    }

    [Fact]
    public async Task ImportAsync_RefusesARowWithTheWrongCellCount()
    {
        await using var harness = new ImportHarness();
        var shortRow = new ImportRow(2, Header, [.. Row(2, "C-1").Values.Take(5)]);

        var result = await harness.ImportAsync([shortRow]);

        var error = Assert.Single(result.Errors);
        Assert.Equal((2L, "phone", CrmErrorCodes.ImportCellCount), (error.LineNumber, error.Column, error.ErrorCode));
        Assert.Equal(0L, await harness.CustomerCountAsync());
    }

    [Fact]
    public async Task ImportAsync_ThrowsForAMappedColumnTheSourceLacks_BeforeStoringAnything()
    {
        await using var harness = new ImportHarness();
        var mapping = new ImportMapping { SourceSystem = "crm", CustomerKeyColumn = "key", GivenNameColumn = "given", EmailColumn = "mail" };

        var e = await Assert.ThrowsAsync<ImportMappingException>(async () => await harness.ImportAsync([Row(2, "C-1")], mapping));

        Assert.Equal((CrmErrorCodes.ImportMissingColumn, "mail"), (e.ErrorCode, e.Column));
        Assert.Equal(0L, await harness.CustomerCountAsync());
    }

    [Fact]
    public async Task ImportAsync_RefusesAnIncompleteMapping()
    {
        await using var harness = new ImportHarness();
        var noName = new ImportMapping { SourceSystem = "crm", CustomerKeyColumn = "key" };
        var touchpointWithoutChannel = new ImportMapping { SourceSystem = "crm", CustomerKeyColumn = "key", GivenNameColumn = "given", TouchpointKeyColumn = "order" };
        var badSource = new ImportMapping { SourceSystem = " ", CustomerKeyColumn = "key", GivenNameColumn = "given" };

        foreach (var mapping in new[] { noName, touchpointWithoutChannel, badSource })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await harness.ImportAsync([Row(2, "C-1")], mapping));
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await harness.ImportAsync([Row(2, "C-1")], resumeAfterLine: -1));
    }

    [Fact]
    public async Task ImportAsync_RunAgain_ChangesNothing_AndReportsEveryRowAsSkipped()
    {
        await using var harness = new ImportHarness(batchRows: 3);
        ImportRow[] rows = [Row(2, "C-1"), Row(3, "C-2"), Row(4, "C-2", ("order", "O-C-2b")), Row(5, "C-3", ("email", "bad")), Row(6, "C-4", ("order", null))];

        var first = await harness.ImportAsync(rows);
        var state = await harness.StateAsync();
        var second = await harness.ImportAsync(rows);

        Assert.Equal((5L, 4L, 0L, 1L), (first.Totals.RowsRead, first.Totals.RowsStored, first.Totals.RowsSkipped, first.Totals.RowsRejected));
        Assert.Equal((3L, 3L), (first.CustomersStored, first.TouchpointsStored));
        Assert.Equal((5L, 0L, 4L, 1L), (second.Totals.RowsRead, second.Totals.RowsStored, second.Totals.RowsSkipped, second.Totals.RowsRejected));
        Assert.Equal((0L, 0L), (second.CustomersStored, second.TouchpointsStored));
        Assert.Equal(state, await harness.StateAsync());
        Assert.Equal(first.Errors.Select(e => e.Message), second.Errors.Select(e => e.Message));
    }

    [Fact]
    public async Task ImportAsync_AddsNewTouchpointsToACustomerImportedBefore_WithoutChangingIt()
    {
        await using var harness = new ImportHarness();
        await harness.ImportAsync([Row(2, "C-1")]);
        var before = await harness.FindAsync("C-1");

        var result = await harness.ImportAsync([Row(2, "C-1", ("order", "O-later"), ("given", "Augusta"))]);

        Assert.Equal((1L, 0L, 1L), (result.Totals.RowsStored, result.CustomersStored, result.TouchpointsStored));
        var after = Assert.IsType<Customer>(await harness.FindAsync("C-1"));
        Assert.Equal(before!.Profile, after.Profile);
        Assert.Equal(before.ContactPoints, after.ContactPoints);
        var later = Assert.IsType<Touchpoint>(await harness.Touchpoints.FindBySourceAsync(Tenant, new ExternalIdentifier("shop", "O-later"), default));
        Assert.Equal(after.Id, later.CustomerId);
    }

    [Fact]
    public async Task ImportAsync_ReportsADifferentTouchpointUnderAStoredSourceKey_AsAConflict()
    {
        await using var harness = new ImportHarness();
        await harness.ImportAsync([Row(2, "C-1")]);

        var result = await harness.ImportAsync([Row(7, "C-1", ("revenue", "5.00 GBP"))]);

        var error = Assert.Single(result.Errors);
        Assert.Equal((7L, "order", CrmErrorCodes.TouchpointConflict), (error.LineNumber, error.Column, error.ErrorCode));
        Assert.Equal(1L, result.Totals.RowsRejected);
        Assert.Equal(1L, await harness.TouchpointCountAsync());
    }

    [Fact]
    public async Task ImportAsync_ReportsProgressAfterEveryBatch_WithTheCheckpoint()
    {
        await using var harness = new ImportHarness(batchRows: 2);
        var reports = new List<ImportProgress>();
        var progress = new SynchronousProgress(reports.Add);

        await harness.ImportAsync([Row(2, "C-1"), Row(3, "C-2", ("email", "x")), Row(5, "C-3"), Row(6, "C-4"), Row(9, "C-5")], progress: progress);

        Assert.Equal(
            [(2L, 1L, 1L, 3L), (4L, 3L, 1L, 6L), (5L, 4L, 1L, 9L)],
            reports.Select(p => (p.RowsRead, p.RowsStored, p.RowsRejected, p.CheckpointLine)));
    }

    [Fact]
    public async Task ImportAsync_ResumedAfterACheckpoint_SkipsTheCommittedRows()
    {
        await using var harness = new ImportHarness(batchRows: 2);
        ImportRow[] rows = [Row(2, "C-1"), Row(3, "C-2"), Row(4, "C-3"), Row(5, "C-4"), Row(6, "C-5")];
        using var cancel = new CancellationTokenSource();
        ImportProgress? last = null;
        var progress = new SynchronousProgress(p =>
        {
            last = p;
            cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await harness.ImportAsync(rows, progress: progress, cancellationToken: cancel.Token));
        Assert.Equal(3L, last!.CheckpointLine);
        Assert.Equal(2L, await harness.CustomerCountAsync());

        var resumed = await harness.ImportAsync(rows, resumeAfterLine: last.CheckpointLine);

        Assert.Equal((3L, 3L, 0L, 6L), (resumed.Totals.RowsRead, resumed.Totals.RowsStored, resumed.Totals.RowsSkipped, resumed.Totals.CheckpointLine));
        Assert.Equal(5L, await harness.CustomerCountAsync());
    }

    [Fact]
    public async Task ImportAsync_ImportsRowsOfSeveralHeaders_ResolvingEachOnce()
    {
        await using var harness = new ImportHarness();
        string[] other = ["family", "key", "given"];
        var mapping = new ImportMapping { SourceSystem = "crm", CustomerKeyColumn = "key", GivenNameColumn = "given", FamilyNameColumn = "family" };

        var result = await harness.Importer.ImportAsync(Tenant, mapping, Source([new ImportRow(2, ["key", "given", "family"], ["C-1", "Ada", null]), new ImportRow(3, other, ["King", "C-2", "William"])]));

        Assert.Equal(2L, result.CustomersStored);
        Assert.Equal("William King", (await harness.FindAsync("C-2"))!.Profile.DisplayName);
    }

    [Fact]
    public async Task ImportAsync_ListsAtMostTheReportedErrorLimit_ButCountsEveryRejectedRow()
    {
        await using var harness = new ImportHarness();
        var mapping = new ImportMapping { SourceSystem = "crm", CustomerKeyColumn = "key", GivenNameColumn = "given" };
        string[] header = ["key", "given"];
        var rows = Enumerable.Range(0, ImportResult.ReportedErrorLimit + 5).Select(i => new ImportRow(i + 2, header, [null, "Ada"]));

        var result = await harness.ImportAsync(rows, mapping);

        Assert.Equal(ImportResult.ReportedErrorLimit, result.Errors.Count);
        Assert.Equal(ImportResult.ReportedErrorLimit + 5, result.Totals.RowsRejected);
        Assert.Equal(ImportResult.ReportedErrorLimit + 1, result.Errors[^1].LineNumber);
    }

    [Fact]
    public void ImportRow_RefusesBadArguments()
    {
        Assert.ThrowsAny<ArgumentException>(() => new ImportRow(0, ["a"], ["x"]));
        Assert.Throws<InputLimitExceededException>(() => new ImportRow(1, [.. Enumerable.Range(0, ImportRow.MaxColumns + 1).Select(i => $"c{i}")], []));
        Assert.Throws<InputLimitExceededException>(() => new ImportRow(1, ["a"], new string?[ImportRow.MaxColumns + 1]));
    }

    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
