using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Storage;

/// <summary>
/// The in-memory customer scan hands out pages of a kept, id-ordered snapshot of scan rows while no write intervenes and
/// copies pages otherwise. Model-based: under any interleaving of registrations, changes and page reads from any cursor,
/// every page is the rows of the customers' current snapshots after the cursor, and a page once read never changes.
/// </summary>
public sealed class InMemoryCustomerScanProperties
{
    private static readonly TenantId Tenant = new("scan-model");

    [Property(MaxTest = 40)]
    public Property Pages_are_the_current_rows_after_the_cursor_and_never_change_once_read()
    {
        // 0: register, 1: change a customer, 2: page from the start, 3: page after a known customer's id.
        var operation = Gen.Zip(Gen.Zip(Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Constant(1)), (2, Gen.Constant(2)), (3, Gen.Constant(3))), Gen.Choose(0, 1_000)), Gen.Choose(1, 6));
        return Prop.ForAll(operation.ArrayOf(60).ToArbitrary(), operations =>
        {
            var store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
            var repository = new CustomerRepository(store, new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0), Duration.FromMinutes(1)));
            var ids = new List<CustomerId>();
            var read = new List<(IReadOnlyList<CustomerScanRow> Page, CustomerScanRow[] Rows)>();
            foreach (var ((kind, pick), limit) in operations)
            {
                if (kind == 0 || ids.Count == 0)
                {
                    var customer = Customer.Register(Tenant, new PersonProfile("Model", null), new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0)));
                    repository.SaveAsync(customer).AsTask().GetAwaiter().GetResult();
                    ids.Add(customer.Id);
                }
                else if (kind == 1)
                {
                    var customer = repository.GetAsync(Tenant, ids[pick % ids.Count]).AsTask().GetAwaiter().GetResult();
                    customer.AddContactPoint(EmailAddress.Parse($"m{pick}-{customer.ContactPoints.Count}-{read.Count}@model.example"));
                    repository.SaveAsync(customer).AsTask().GetAwaiter().GetResult();
                }
                else
                {
                    CustomerId? after = kind == 2 ? null : ids[pick % ids.Count];
                    var page = store.PageRowsAsync(Tenant, after, limit, default).AsTask().GetAwaiter().GetResult();
                    var expected = ids.Where(id => after is null || id.CompareTo(after.Value) > 0).Order().Take(limit)
                        .Select(id => CustomerScanRow.From(store.FindAsync(Tenant, id, default).AsTask().GetAwaiter().GetResult()!));
                    if (!page.SequenceEqual(expected))
                    {
                        return false;
                    }

                    read.Add((page, [.. page]));
                }
            }

            return read.All(r => r.Page.SequenceEqual(r.Rows) && Enumerable.Range(0, r.Rows.Length).All(i => r.Page[i].Equals(r.Rows[i])));
        });
    }
}
