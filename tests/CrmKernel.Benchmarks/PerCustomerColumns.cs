using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CrmKernel.Benchmarks;

/// <summary>
/// Adds Median/customer and Alloc/customer: a benchmark whose one invocation handles all
/// <c>Customers</c> customers divides its median time and its allocated bytes by that number.
/// </summary>
public sealed class PerCustomerColumns : ManualConfig
{
    public PerCustomerColumns()
    {
        AddColumn(
            new PerCustomerColumn("Median/customer", "Median time divided by Customers", (r, _) => r.ResultStatistics?.Median, static ns => ns.ToString("N1", CultureInfo.InvariantCulture) + " ns"),
            new PerCustomerColumn("Alloc/customer", "Allocated bytes divided by Customers", (r, c) => r.GcStats.GetBytesAllocatedPerOperation(c) is { } bytes ? bytes : null, static b => b.ToString("N0", CultureInfo.InvariantCulture) + " B"));
    }

    private sealed class PerCustomerColumn : IColumn
    {
        private readonly Func<BenchmarkReport, BenchmarkCase, double?> _total;
        private readonly Func<double, string> _format;

        public PerCustomerColumn(string name, string legend, Func<BenchmarkReport, BenchmarkCase, double?> total, Func<double, string> format)
        {
            ColumnName = name;
            Legend = legend;
            _total = total;
            _format = format;
        }

        public string Id => nameof(PerCustomerColumn) + "." + ColumnName;

        public string ColumnName { get; }

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend { get; }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            var customers = benchmarkCase.Parameters["Customers"] as int?;
            return report is null || customers is not > 0 || _total(report, benchmarkCase) is not { } total
                ? "-"
                : _format(total / customers.Value);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
