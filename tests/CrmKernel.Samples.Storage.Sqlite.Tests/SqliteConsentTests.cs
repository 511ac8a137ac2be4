using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>The consent ledger in SQLite: appended entries read back in order, and a hand-edited row fails loudly.</summary>
public sealed class SqliteConsentTests : IDisposable
{
    private static readonly TenantId Tenant = new("consent");
    private readonly TempDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 9, 0), Duration.FromMilliseconds(1));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task LedgerGrowsAcrossSaves_AndReadsBackWithItsHistory()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var repository = new CustomerRepository(store, _clock);
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        var email = EmailAddress.Parse("ada@example.com");
        customer.AddContactPoint(email);
        customer.GrantConsent(ConsentPurpose.Marketing, new ChannelId("email"), email, "web-form", "form v3", _clock.GetCurrentInstant() + Duration.FromDays(365));
        await repository.SaveAsync(customer);

        customer.WithdrawConsent(ConsentPurpose.Marketing, new ChannelId("email"), email, "unsubscribe-link");
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Service, null, null, ConsentStatus.Granted, LawfulBasis.Contract, "order", _clock.GetCurrentInstant()));
        await repository.SaveAsync(customer);

        var loaded = await repository.GetAsync(Tenant, customer.Id);
        Assert.Equal(customer.Consent.Entries, loaded.Consent.Entries);
        Assert.Equal(3L, _database.Scalar("SELECT count(*) FROM customer_consents"));
        Assert.Equal(ContactAnswer.Refused, loaded.MayContact(ConsentPurpose.Marketing, new ChannelId("email"), email, _clock.GetCurrentInstant()).Answer);
    }

    [Fact]
    public async Task AHandEditedStatus_FailsLoudly_NamingTheTable()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var repository = new CustomerRepository(store, _clock);
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        customer.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form");
        await repository.SaveAsync(customer);
        _database.Execute("UPDATE customer_consents SET status = 'maybe'");

        var error = await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await repository.GetAsync(Tenant, customer.Id));
        Assert.Contains("customer_consents", error.Message, StringComparison.Ordinal);
    }
}
