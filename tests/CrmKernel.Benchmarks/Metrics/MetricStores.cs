using System.Globalization;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.Customers;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// A <see cref="MetricDataSet"/> recorded in the in-memory reference stores: <see cref="CustomerDataSet"/> customers
/// and every compact row as a <see cref="Touchpoint"/> of the matching customer, appended in batches of 10,000.
/// </summary>
public sealed class MetricStores
{
    private MetricStores(InMemoryCustomerStore customers, InMemoryTouchpointStore touchpoints)
    {
        Customers = customers;
        Touchpoints = touchpoints;
    }

    public InMemoryCustomerStore Customers { get; }

    public InMemoryTouchpointStore Touchpoints { get; }

    public static MetricStores Fill(MetricDataSet data)
    {
        var count = data.Customers.Length;
        var commits = CustomerDataSet.CreateCommits(count);
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        CustomerDataSet.Fill(customers, commits);
        CustomerDataSet.DrainOutbox(outbox);
        var ids = commits.Select(c => c.Customer.Id).ToArray();
        commits = null;
        var touchpoints = new InMemoryTouchpointStore();
        var batch = new List<Touchpoint>(10_000);
        var recordedAt = Instant.FromUtc(2026, 3, 1, 0, 0);
        var channels = MetricDataSet.ChannelNames.Select(n => new ChannelId(n)).ToArray();
        for (var c = 0; c < count; c++)
        {
            for (var k = data.Starts[c]; k < data.Starts[c + 1]; k++)
            {
                batch.Add(Touchpoint.Create(CustomerDataSet.Tenant, TouchpointId.New(), recordedAt, Details(ids[c], channels, c, k, in data.Touchpoints[k])));
                if (batch.Count == batch.Capacity)
                {
                    _ = touchpoints.AppendAsync(CustomerDataSet.Tenant, batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    batch.Clear();
                }
            }
        }

        _ = touchpoints.AppendAsync(CustomerDataSet.Tenant, batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return new MetricStores(customers, touchpoints);
    }

    private static NewTouchpoint Details(CustomerId customer, ChannelId[] channels, int c, int k, in MetricTouchpoint t) => new()
    {
        CustomerId = customer,
        Channel = channels[t.Channel],
        Direction = t.Direction,
        Function = t.Function,
        Kind = t.Kind switch
        {
            MetricTouchpointKind.Purchase => TouchpointKind.Purchase,
            MetricTouchpointKind.Enquiry => TouchpointKind.Enquiry,
            MetricTouchpointKind.Complaint => TouchpointKind.Complaint,
            MetricTouchpointKind.Resolution => TouchpointKind.Resolution,
            MetricTouchpointKind.CampaignContact => TouchpointKind.CampaignContact,
            MetricTouchpointKind.Response => TouchpointKind.Response,
            _ => TouchpointKind.Feedback,
        },
        OccurredAt = t.OccurredAt,
        Source = new ExternalIdentifier("bench", string.Create(CultureInfo.InvariantCulture, $"{c}-{k}")),
        Outcome = t.Resolved ? TouchpointOutcome.Resolved : null,
        Satisfaction = t.Scale is { } scale ? SatisfactionScore.Create(scale, t.Score) : null,
        Cost = t.HasCost ? new Money(t.Cost, Currency.GBP) : null,
        Revenue = t.Kind == MetricTouchpointKind.Purchase ? new Money(t.Revenue, Currency.GBP) : null,
    };
}
