using System.Text;
using CrmKernel.Import;
using CrmKernel.Services.Import;
using Xunit;

namespace CrmKernel.Tests.Import;

public sealed class CsvImportSourceTests
{
    private static async Task<List<ImportRow>> ReadAsync(string text, char separator = ',')
    {
        var rows = new List<ImportRow>();
        await foreach (var row in CsvImportSource.ReadAsync(new StringReader(text), separator))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task ReadAsync_GivesEachRowItsLineNumber_AfterTheHeaderOnLine1()
    {
        var rows = await ReadAsync("key,name\nC-1,Ada\nC-2,William\n");

        Assert.Equal([2L, 3L], rows.Select(r => r.LineNumber));
        Assert.Equal(["key", "name"], rows[0].ColumnNames);
        Assert.Same(rows[0].ColumnNames, rows[1].ColumnNames);
        Assert.Equal(["C-2", "William"], rows[1].Values);
    }

    [Fact]
    public async Task ReadAsync_KeepsQuotedSeparatorsAndQuotes_InOneCell()
    {
        var rows = await ReadAsync("key,name\nC-1,\"Lovelace, Ada\"\nC-2,\"The \"\"Earl\"\"\"\n");

        Assert.Equal("Lovelace, Ada", rows[0].Values[1]);
        Assert.Equal("The \"Earl\"", rows[1].Values[1]);
    }

    [Fact]
    public async Task ReadAsync_KeepsEmbeddedLineBreaks_AndNumbersTheNextRowAfterThem()
    {
        var rows = await ReadAsync("key,address\nC-1,\"1 Engine Row\nLondon\"\nC-2,x\n");

        Assert.Equal("1 Engine Row\nLondon", rows[0].Values[1]);
        Assert.Equal([2L, 4L], rows.Select(r => r.LineNumber));
    }

    [Fact]
    public async Task ReadAsync_ReadsCrlfLineEnds()
    {
        var rows = await ReadAsync("key,name\r\nC-1,Ada\r\nC-2,William\r\n");

        Assert.Equal([2L, 3L], rows.Select(r => r.LineNumber));
        Assert.Equal("Ada", rows[0].Values[1]);
        Assert.Equal("William", rows[1].Values[1]);
    }

    [Fact]
    public async Task ReadAsync_DropsAByteOrderMark_FromTheFirstColumnName()
    {
        var fromText = await ReadAsync("\uFEFFkey,name\nC-1,Ada\n");
        Assert.Equal("key", fromText[0].ColumnNames[0]);

        var path = Path.Combine(Path.GetTempPath(), $"crmkernel-bom-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(path, "key,name\r\nC-1,Ada\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            var rows = new List<ImportRow>();
            await foreach (var row in CsvImportSource.ReadFileAsync(path))
            {
                rows.Add(row);
            }

            Assert.Equal("key", Assert.Single(rows).ColumnNames[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_GivesEmptyCellsAsNull_ReadsOtherSeparators_AndPassesRaggedRowsOn()
    {
        var rows = await ReadAsync("key;name;email\nC-1;;\nC-2;William\n", ';');

        Assert.Equal(["C-1", null, null], rows[0].Values);
        Assert.Equal(2, rows[1].Values.Count);
    }

    [Fact]
    public async Task ReadAsync_ThenImport_ReportsTheCsvLineOfABadRow()
    {
        await using var harness = new ImportHarness();
        var mapping = new ImportMapping { SourceSystem = "crm", CustomerKeyColumn = "key", GivenNameColumn = "name", EmailColumn = "email" };
        const string Csv = "key,name,email\r\nC-1,\"Ada\r\nLovelace\",ada@example.com\r\nC-2,William,not-an-email\r\nC-3,Charles\r\n";

        var result = await harness.Importer.ImportAsync(ImportHarness.Tenant, mapping, CsvImportSource.ReadAsync(new StringReader(Csv)));

        Assert.Equal(
            [(4L, "email", "CRM-IMPORT-002"), (5L, "email", "CRM-IMPORT-007")],
            result.Errors.Select(e => (e.LineNumber, e.Column, e.ErrorCode)));
        Assert.Equal(1L, result.CustomersStored);
    }

    [Fact]
    public void ReadAsync_RefusesNullArguments()
    {
        Assert.Throws<ArgumentNullException>(() => CsvImportSource.ReadAsync(null!));
        Assert.Throws<ArgumentNullException>(() => CsvImportSource.ReadFileAsync(null!));
    }
}
