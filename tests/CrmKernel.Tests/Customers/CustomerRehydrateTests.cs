using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Customers.CustomerTestData;

namespace CrmKernel.Tests.Customers;

public sealed class CustomerRehydrateTests
{
    private static Customer Rich()
    {
        var customer = Person();
        customer.AddContactPoint(Email("a"), "work");
        customer.AddContactPoint(Email("b"));
        customer.AddContactPoint(PhoneNumber.Parse("+442079460958"), makePrimary: true);
        customer.AddExternalIdentifier(new ExternalIdentifier("erp", "C-42"));
        customer.Tag(new CustomerTag("vip"));
        customer.SetCustomAttribute("tier", CustomAttributeValue.FromText("gold"));
        customer.SetCustomAttribute("since", CustomAttributeValue.FromDate(new LocalDate(2020, 5, 1)));
        customer.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["America/New_York"]);
        customer.MarkCommitted(3);
        return customer;
    }

    [Fact]
    public void Rehydrate_OfSnapshot_ReproducesEveryField_WithNoPendingEvents()
    {
        var original = Rich();
        var copy = Customer.Rehydrate(original.ToSnapshot(), Clock());

        Assert.Equal(CustomerTests.Describe(original), CustomerTests.Describe(copy));
        Assert.Equal(original.Id, copy.Id);
        Assert.Equal(original.TenantId, copy.TenantId);
        Assert.Equal(original.Profile, copy.Profile);
        Assert.Equal(original.CreatedAt, copy.CreatedAt);
        Assert.Equal(original.ContactPoints, copy.ContactPoints);
        Assert.Empty(copy.PendingEvents);
        Assert.Equal(3, copy.Version);
    }

    [Fact]
    public void Rehydrate_ThenChange_UsesTheGivenClock()
    {
        var clock = Clock();
        clock.AdvanceDays(10);
        var copy = Customer.Rehydrate(Rich().ToSnapshot(), clock);
        copy.Tag(new CustomerTag("returning"));
        Assert.Equal(clock.GetCurrentInstant() - clock.AutoAdvance, copy.UpdatedAt);
    }

    public static TheoryData<string, Func<CustomerSnapshot, CustomerSnapshot>> Corruptions => new()
    {
        { "empty id", s => With(s, id: default(CustomerId)) },
        { "empty tenant", s => With(s, tenant: default(TenantId)) },
        { "negative version", s => With(s, version: -1) },
        { "updated before created", s => With(s, updatedAt: s.CreatedAt - Duration.FromSeconds(1)) },
        { "two primaries", s => With(s, contactPoints: [new CustomerContactPoint(Email("a"), true), new CustomerContactPoint(Email("b"), true)]) },
        { "duplicate contact point", s => With(s, contactPoints: [new CustomerContactPoint(Email("a"), true), new CustomerContactPoint(Email("a"), false)]) },
        { "duplicate identifier", s => With(s, identifiers: [new ExternalIdentifier("erp", "1"), new ExternalIdentifier("ERP", "1")]) },
        { "default tag", s => With(s, tags: [default]) },
        { "bad attribute name", s => With(s, attributes: new Dictionary<string, CustomAttributeValue> { ["9lives"] = CustomAttributeValue.FromNumber(9) }) },
        { "unknown zone", s => With(s, zoneId: "Mars/Olympus_Mons") },
        { "too many tags", s => With(s, tags: [.. Enumerable.Range(0, Customer.MaxTags + 1).Select(i => new CustomerTag($"t{i}"))]) },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Rehydrate_OfCorruptSnapshot_ThrowsInvalidStoredState_NamingTheKey(string corruption, Func<CustomerSnapshot, CustomerSnapshot> corrupt)
    {
        var snapshot = corrupt(Rich().ToSnapshot());

        var error = Assert.Throws<InvalidStoredStateException>(() => Customer.Rehydrate(snapshot, Clock()));

        Assert.Equal(CrmErrorCodes.InvalidStoredState, error.ErrorCode);
        Assert.Equal(nameof(Customer), error.Origin);
        Assert.Equal(snapshot.Id.Value.ToString(), error.Key);
        Assert.False(string.IsNullOrEmpty(corruption));
    }

    private static CustomerSnapshot With(
        CustomerSnapshot s,
        CustomerId? id = null,
        TenantId? tenant = null,
        long? version = null,
        Instant? updatedAt = null,
        IReadOnlyList<CustomerContactPoint>? contactPoints = null,
        IReadOnlyList<ExternalIdentifier>? identifiers = null,
        IReadOnlyCollection<CustomerTag>? tags = null,
        IReadOnlyDictionary<string, CustomAttributeValue>? attributes = null,
        string? zoneId = null) => new()
    {
        Id = id ?? s.Id,
        TenantId = tenant ?? s.TenantId,
        Profile = s.Profile,
        ContactPoints = contactPoints ?? s.ContactPoints,
        ExternalIdentifiers = identifiers ?? s.ExternalIdentifiers,
        Tags = tags ?? s.Tags,
        CustomAttributes = attributes ?? s.CustomAttributes,
        HomeTimeZoneId = zoneId ?? s.HomeTimeZoneId,
        CreatedAt = s.CreatedAt,
        UpdatedAt = updatedAt ?? s.UpdatedAt,
        Version = version ?? s.Version,
    };
}
