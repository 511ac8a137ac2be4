using CrmKernel.Diagnostics;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

[Collection(CustomerBaseCollection.Name)]
public sealed class CustomerBaseSummaryTests
{
    private static readonly LocalDate CalibrationEnd = new(2026, 3, 31);
    private static readonly CustomerId Ann = new(Guid.Parse("00000000-0000-0000-0000-000000000001"));
    private static readonly CustomerId Bob = new(Guid.Parse("00000000-0000-0000-0000-000000000002"));
    private static readonly CustomerId Cy = new(Guid.Parse("00000000-0000-0000-0000-000000000003"));

    private static PurchaseRecord Buy(CustomerId customer, int year, int month, int day, decimal euros, int hour = 12)
        => new(customer, Instant.FromUtc(year, month, day, hour, 0), Money.Of(euros, "EUR"));

    private static CustomerBaseSummary Summarise(IEnumerable<PurchaseRecord> purchases, SummaryTimeUnit unit = SummaryTimeUnit.Weeks, LocalDate? holdoutEnd = null, DateTimeZone? zone = null)
        => CustomerBaseSummary.Create(purchases, Currency.EUR, zone ?? DateTimeZone.Utc, CalibrationEnd, unit, holdoutEnd);

    [Fact]
    public void Create_MeasuresFrequencyRecencyAndAge_InTheChosenUnit()
    {
        PurchaseRecord[] purchases = [Buy(Ann, 2026, 1, 1, 10m), Buy(Ann, 2026, 1, 15, 20m), Buy(Ann, 2026, 2, 12, 40m)];

        var weeks = Assert.Single(Summarise(purchases));
        var days = Assert.Single(Summarise(purchases, SummaryTimeUnit.Days));

        Assert.Equal(2, weeks.Frequency);
        Assert.Equal(6d, weeks.Recency);               // 1 Jan → 12 Feb: 42 days
        Assert.Equal(89d / 7d, weeks.Age);             // 1 Jan → 31 Mar: 89 days
        Assert.Equal(42d, days.Recency);
        Assert.Equal(89d, days.Age);
        Assert.Equal(new LocalDate(2026, 1, 1), weeks.FirstPurchase);
        Assert.Equal(new LocalDate(2026, 2, 12), weeks.LastPurchase);
        Assert.Equal(Money.Of(30m, "EUR"), weeks.MeanRepeatSpend);
        Assert.Equal(Money.Of(70m, "EUR"), weeks.CalibrationSpend);
    }

    [Fact]
    public void Create_MergesPurchasesOnTheSameDate_AddingTheirValues()
    {
        PurchaseRecord[] purchases =
        [
            Buy(Ann, 2026, 1, 1, 10m, hour: 9), Buy(Ann, 2026, 1, 1, 5m, hour: 18),
            Buy(Ann, 2026, 2, 1, 7m, hour: 8), Buy(Ann, 2026, 2, 1, 3m, hour: 20), Buy(Ann, 2026, 2, 1, 10m, hour: 23),
        ];

        var ann = Assert.Single(Summarise(purchases));

        Assert.Equal(1, ann.Frequency);
        Assert.Equal(Money.Of(20m, "EUR"), ann.MeanRepeatSpend);
        Assert.Equal(Money.Of(35m, "EUR"), ann.CalibrationSpend);
    }

    [Fact]
    public void Create_BucketsInstantsIntoDatesInTheGivenZone()
    {
        // 23:30 UTC on 31 January is 00:30 on 1 February in Berlin: a different date from the 31 January purchase.
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        PurchaseRecord[] purchases =
        [
            new(Ann, Instant.FromUtc(2026, 1, 31, 9, 0), Money.Of(1m, "EUR")),
            new(Ann, Instant.FromUtc(2026, 1, 31, 23, 30), Money.Of(1m, "EUR")),
        ];

        Assert.Equal(0, Assert.Single(Summarise(purchases)).Frequency);
        Assert.Equal(1, Assert.Single(Summarise(purchases, zone: berlin)).Frequency);
    }

    [Fact]
    public void Create_CustomerWithoutRepeats_HasZeroRecencyAndZeroMeanRepeatSpend()
    {
        var cy = Assert.Single(Summarise([Buy(Cy, 2026, 3, 1, 99m)]));

        Assert.Equal(0, cy.Frequency);
        Assert.Equal(0d, cy.Recency);
        Assert.Equal(30d / 7d, cy.Age);
        Assert.True(cy.MeanRepeatSpend.IsZero);
        Assert.Equal(Currency.EUR, cy.MeanRepeatSpend.Currency);
        Assert.Equal(cy.FirstPurchase, cy.LastPurchase);
    }

    [Fact]
    public void Create_LeavesOutCustomersWhoseFirstPurchaseIsAfterTheCalibrationEnd()
    {
        var summary = Summarise([Buy(Ann, 2026, 3, 31, 1m, hour: 23), Buy(Bob, 2026, 4, 1, 1m, hour: 0)], holdoutEnd: new LocalDate(2026, 6, 30));

        var ann = Assert.Single(summary);
        Assert.Equal(Ann, ann.CustomerId);
        Assert.Equal(0d, ann.Age);
        Assert.False(summary.TryFind(Bob, out _));
    }

    [Fact]
    public void Create_CountsHoldoutTransactions_AndIgnoresPurchasesAfterTheHoldoutEnd()
    {
        PurchaseRecord[] purchases =
        [
            Buy(Ann, 2026, 1, 1, 10m), Buy(Ann, 2026, 3, 31, 10m),
            Buy(Ann, 2026, 4, 1, 5m), Buy(Ann, 2026, 4, 1, 5m), Buy(Ann, 2026, 6, 30, 7m), Buy(Ann, 2026, 7, 1, 1000m),
        ];

        var summary = Summarise(purchases, holdoutEnd: new LocalDate(2026, 6, 30));
        var ann = Assert.Single(summary);

        Assert.Equal(1, ann.Frequency);
        Assert.Equal(89d / 7d, ann.Recency);
        Assert.Equal(2, ann.HoldoutTransactions);
        Assert.Equal(Money.Of(17m, "EUR"), ann.HoldoutSpend);
        Assert.Equal(13d, summary.HoldoutLength);
    }

    [Fact]
    public void Create_WithoutHoldout_HasNoHoldoutCountsAndZeroHoldoutLength()
    {
        var summary = Summarise([Buy(Ann, 2026, 1, 1, 1m), Buy(Ann, 2026, 5, 1, 1m)]);

        var ann = Assert.Single(summary);
        Assert.Equal(0, ann.Frequency);
        Assert.Equal(0, ann.HoldoutTransactions);
        Assert.True(ann.HoldoutSpend.IsZero);
        Assert.Null(summary.HoldoutEnd);
        Assert.Equal(0d, summary.HoldoutLength);
    }

    [Fact]
    public void Create_OrdersCustomersById_WhateverTheInputOrder()
    {
        var summary = Summarise([Buy(Cy, 2026, 1, 3, 1m), Buy(Ann, 2026, 1, 2, 1m), Buy(Bob, 2026, 1, 1, 1m), Buy(Ann, 2026, 1, 1, 1m)]);

        Assert.Equal([Ann, Bob, Cy], summary.Select(c => c.CustomerId));
        Assert.Equal(Bob, summary[1].CustomerId);
        Assert.True(summary.TryFind(Cy, out var cy));
        Assert.Equal(new LocalDate(2026, 1, 3), cy.FirstPurchase);
        Assert.False(summary.TryFind(CustomerId.New(), out _));
    }

    [Fact]
    public void Create_KeepsTheSettings()
    {
        var summary = Summarise([], SummaryTimeUnit.Days, new LocalDate(2026, 4, 30));

        Assert.Empty(summary);
        Assert.Equal(Currency.EUR, summary.Currency);
        Assert.Equal(DateTimeZone.Utc, summary.Zone);
        Assert.Equal(CalibrationEnd, summary.CalibrationEnd);
        Assert.Equal(new LocalDate(2026, 4, 30), summary.HoldoutEnd);
        Assert.Equal(SummaryTimeUnit.Days, summary.TimeUnit);
        Assert.Equal(30d, summary.HoldoutLength);
    }

    [Fact]
    public void Create_AcceptsAnyEnumerable()
    {
        IEnumerable<PurchaseRecord> Lazy()
        {
            yield return Buy(Ann, 2026, 1, 1, 1m);
            yield return Buy(Ann, 2026, 1, 8, 1m);
        }

        Assert.Equal(1, Assert.Single(Summarise(Lazy())).Frequency);
        Assert.Equal(1, Assert.Single(Summarise(Lazy().ToList())).Frequency);
    }

    [Fact]
    public void Create_MixedCurrencies_ThrowsCurrencyMismatchException()
    {
        PurchaseRecord[] purchases = [Buy(Ann, 2026, 1, 1, 1m), new(Bob, Instant.FromUtc(2026, 1, 1, 12, 0), Money.Of(1m, "USD"))];

        var exception = Assert.Throws<CurrencyMismatchException>(() => Summarise(purchases));

        Assert.Equal(CrmErrorCodes.CurrencyMismatch, exception.ErrorCode);
        Assert.Equal(Currency.EUR, exception.Expected);
        Assert.Equal(Currency.USD, exception.Actual);
    }

    [Fact]
    public void Create_DefaultPurchaseRecord_ThrowsArgumentExceptionNamingPurchases()
        => Assert.Equal("purchases", Assert.Throws<ArgumentException>(() => Summarise([Buy(Ann, 2026, 1, 1, 1m), default])).ParamName);

    [Fact]
    public void Create_HoldoutEndNotAfterCalibrationEnd_ThrowsArgumentException()
        => Assert.Equal("holdoutEnd", Assert.Throws<ArgumentException>(() => Summarise([], holdoutEnd: CalibrationEnd)).ParamName);

    [Fact]
    public void Create_UndefinedTimeUnit_ThrowsArgumentExceptionNamingIt()
        => Assert.Equal("timeUnit", Assert.ThrowsAny<ArgumentException>(() => Summarise([], (SummaryTimeUnit)3)).ParamName);

    [Fact]
    public void Indexer_OutOfRange_ThrowsArgumentOutOfRangeException()
        => Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => Summarise([])[0]).ParamName);

    [Fact]
    public void PurchaseRecord_NegativeValue_ThrowsArgumentOutOfRangeException()
        => Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => Buy(Ann, 2026, 1, 1, -0.01m)).ParamName);

    [Fact]
    public void PurchaseRecord_DefaultCustomer_ThrowsArgumentException()
        => Assert.Equal("customerId", Assert.Throws<ArgumentException>(() => Buy(default, 2026, 1, 1, 1m)).ParamName);

    [Fact]
    public void PurchaseRecord_ZeroValue_IsAPurchase()
    {
        var summary = Summarise([Buy(Ann, 2026, 1, 1, 0m), Buy(Ann, 2026, 1, 2, 0m)]);

        Assert.Equal(1, Assert.Single(summary).Frequency);
    }
}
