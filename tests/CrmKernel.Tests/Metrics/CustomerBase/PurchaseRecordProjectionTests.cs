using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using CrmKernel.Tests.Touchpoints;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

public sealed class PurchaseRecordProjectionTests
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly Instant At = Instant.FromUtc(2026, 5, 1, 12, 0);

    [Fact]
    public void FromTouchpoints_KeepsPurchasesOnly_WithRevenueOrZero()
    {
        var customer = CustomerId.New();
        var purchase = Touchpoint.Create(Tenant, TouchpointId.New(), At, TouchpointTests.Purchase(customer, At, "1", revenue: 12.5m));
        var freebie = Touchpoint.Create(Tenant, TouchpointId.New(), At, TouchpointTests.Purchase(customer, At + Duration.FromDays(1), "2", revenue: null));
        var complaint = Touchpoint.Create(Tenant, TouchpointId.New(), At, TouchpointTests.Copy(TouchpointTests.Purchase(customer, At, "3"), kind: TouchpointKind.Complaint));

        var records = PurchaseRecord.FromTouchpoints([purchase, complaint, freebie], Currency.EUR).ToList();

        Assert.Equal([new PurchaseRecord(customer, At, Money.Of(12.5m, "EUR")), new PurchaseRecord(customer, At + Duration.FromDays(1), Money.Zero(Currency.EUR))], records);
    }

    [Fact]
    public void FromTouchpoints_RefundRecordedAsPurchase_IsRejected()
    {
        var refund = Touchpoint.Create(Tenant, TouchpointId.New(), At, TouchpointTests.Purchase(CustomerId.New(), At, "r", revenue: -5m));
        Assert.Throws<ArgumentOutOfRangeException>(() => PurchaseRecord.FromTouchpoints([refund], Currency.EUR).ToList());
    }
}
