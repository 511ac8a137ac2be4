using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Identity.IdentityTestData;

namespace CrmKernel.Tests.Identity;

public sealed class MatchRuleTests
{
    private static readonly LocalDate Born = new(1984, 7, 3);

    [Fact]
    public void IdenticalPersons_AreDefinite_WithEveryPresentFieldAgreeing()
    {
        var a = Record(Person("Ann", "Lee", Born, "ann@example.com", "07911 123456", ("1 Mill Lane", "AB1 2CD")));
        var b = Record(Person("Ann", "Lee", Born, "ann@example.com", "07911 123456", ("1 Mill Lane", "AB1 2CD")));
        var candidate = MatchRule.DefaultPerson.Evaluate(a, b);
        Assert.Equal(MatchDecision.Definite, candidate.Decision);
        Assert.Equal(10 + 8 + 8 + 6 + 3 + 4, candidate.Score, 9);
        Assert.Equal(candidate.Score, MatchRule.DefaultPerson.Score(b, a), 9);
        var external = Assert.Single(candidate.Comparisons, c => c.Field == "ExternalIdentifier");
        Assert.Null(external.Similarity);
        Assert.Equal(0, external.Weight);
    }

    [Fact]
    public void Candidate_CarriesBothIdsAndVersions_SmallerIdFirst_AndExplainsByFieldNotByValue()
    {
        var first = Person("Ann", "Lee", email: "ann@example.com");
        var second = Person("Anne", "Lee", email: "ann@example.com");
        var candidate = MatchRule.DefaultPerson.Evaluate(Record(second), Record(first));
        Assert.Equal(first.Id, candidate.FirstId);
        Assert.Equal(second.Id, candidate.SecondId);
        Assert.Equal(first.Version, candidate.FirstVersion);
        Assert.Equal(second.Version, candidate.SecondVersion);
        Assert.Equal(["Email", "Phone", "ExternalIdentifier", "Name", "BirthDate", "PostalCode", "AddressLine"], candidate.Comparisons.Select(c => c.Field));
        var name = candidate.Comparisons.Single(c => c.Field == "Name");
        Assert.InRange(name.Similarity!.Value, 0.9, 1.0);
        Assert.Equal("Name 0.94 +8.0", name.ToString());
        Assert.Equal("BirthDate missing 0.0", candidate.Comparisons.Single(c => c.Field == "BirthDate").ToString());
        Assert.Equal(candidate.Comparisons.Sum(c => c.Weight), candidate.Score, 9);
        Assert.DoesNotContain("ann", candidate.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(first.Id.ToString(), candidate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SwappedNamesAndATypo_StillAgreeOnTheName()
    {
        var a = Record(Person("Katherine", "Smith"));
        Assert.Equal(1.0, FieldComparators.PersonName.Compare(a, Record(Person("Smith", "Katherine"))));
        Assert.InRange(FieldComparators.PersonName.Compare(a, Record(Person("Kathrine", "Smith")))!.Value, 0.9, 1.0);
        Assert.Equal(1.0, FieldComparators.PersonName.Compare(a, Record(Person(null, "Smith"))));
    }

    [Fact]
    public void HouseholdMember_SameFamilyAddressAndPhone_IsUnlikely()
    {
        var ann = Record(Person("Ann", "Lee", Born, "ann@example.com", "020 7946 0000", ("1 Mill Lane", "AB1 2CD")));
        var tom = Record(Person("Tom", "Lee", new LocalDate(1982, 1, 9), "tom@example.com", "020 7946 0000", ("1 Mill Lane", "AB1 2CD")));
        var candidate = MatchRule.DefaultPerson.Evaluate(ann, tom);
        Assert.Equal(MatchDecision.Unlikely, candidate.Decision);
        Assert.Equal(-8, candidate.Comparisons.Single(c => c.Field == "Name").Weight);
    }

    [Fact]
    public void Organisations_MatchOnRegistrationAndNameWithoutLegalForm()
    {
        var a = Record(Organization("Acme Trading Ltd", "01234567", phone: "020 7946 0000"));
        var b = Record(Organization("ACME TRADING LIMITED", "0123 4567"));
        var candidate = MatchRule.DefaultOrganization.Evaluate(a, b);
        Assert.Equal(MatchDecision.Definite, candidate.Decision);
        Assert.Equal(1.0, candidate.Comparisons.Single(c => c.Field == "OrganizationName").Similarity);
    }

    [Fact]
    public void PersonAndOrganisation_AreNeverCompared()
    {
        var person = Record(Person("Acme", "Trading", email: "info@acme.example"));
        var organization = Record(Organization("Acme Trading", email: "info@acme.example"));
        var error = Assert.Throws<ArgumentException>(() => MatchRule.DefaultPerson.Evaluate(person, organization));
        Assert.Equal("second", error.ParamName);
        Assert.Throws<ArgumentException>("second", () => MatchRule.DefaultOrganization.Score(organization, person));
    }

    [Fact]
    public void ACustomerIsNotItsOwnDuplicate()
    {
        var record = Record(Person("Ann", "Lee"));
        Assert.Throws<ArgumentException>("second", () => MatchRule.DefaultPerson.Evaluate(record, record));
        Assert.Throws<ArgumentNullException>("first", () => MatchRule.DefaultPerson.Score(null!, record));
        Assert.Throws<ArgumentNullException>("second", () => MatchRule.DefaultPerson.Score(record, null!));
    }

    [Theory]
    [InlineData(7.99, MatchDecision.Unlikely)]
    [InlineData(8, MatchDecision.Probable)]
    [InlineData(14.99, MatchDecision.Probable)]
    [InlineData(15, MatchDecision.Definite)]
    public void Decide_UsesTheThresholds(double score, MatchDecision expected) => Assert.Equal(expected, MatchRule.DefaultPerson.Decide(score));

    [Fact]
    public void WeightOf_BlendsLinearlyBetweenTheBounds()
    {
        var field = new MatchField(FieldComparators.PersonName, 8, -8, 0.7, 0.9);
        Assert.Equal(0, field.WeightOf(null));
        Assert.Equal(-8, field.WeightOf(0.5));
        Assert.Equal(-8, field.WeightOf(0.7));
        Assert.Equal(0, field.WeightOf(0.8), 9);
        Assert.Equal(8, field.WeightOf(0.9));
        Assert.Equal(8, field.WeightOf(1));
    }

    [Fact]
    public void MatchField_RefusesBadWeightsAndBounds()
    {
        Assert.Throws<ArgumentNullException>("comparator", () => new MatchField(null!, 1, -1));
        Assert.Throws<ArgumentException>("agreementWeight", () => new MatchField(FieldComparators.Email, -1, -1));
        Assert.Throws<ArgumentException>("agreementWeight", () => new MatchField(FieldComparators.Email, double.PositiveInfinity, -1));
        Assert.Throws<ArgumentException>("disagreementWeight", () => new MatchField(FieldComparators.Email, 1, 1));
        Assert.Throws<ArgumentException>("disagreementWeight", () => new MatchField(FieldComparators.Email, 1, double.NaN));
        Assert.Throws<ArgumentException>("disagreeAtOrBelow", () => new MatchField(FieldComparators.Email, 1, -1, 1, 1));
        Assert.Throws<ArgumentException>("disagreeAtOrBelow", () => new MatchField(FieldComparators.Email, 1, -1, -0.1, 1));
        Assert.Throws<ArgumentException>("agreeAtOrAbove", () => new MatchField(FieldComparators.Email, 1, -1, 0.5, 0.5));
        Assert.Throws<ArgumentException>("agreeAtOrAbove", () => new MatchField(FieldComparators.Email, 1, -1, 0, 1.5));
    }

    [Fact]
    public void MatchRule_RefusesBadFieldsAndThresholds()
    {
        var email = new MatchField(FieldComparators.Email, 10, -1);
        Assert.Throws<ArgumentNullException>("fields", () => new MatchRule(null!, 1, 2));
        Assert.Throws<ArgumentException>("fields", () => new MatchRule([], 1, 2));
        Assert.Throws<ArgumentException>("fields", () => new MatchRule([email, null!], 1, 2));
        Assert.Throws<ArgumentException>("fields", () => new MatchRule([email, new MatchField(FieldComparators.Email, 1, -1)], 1, 2));
        Assert.Throws<ArgumentException>("probableThreshold", () => new MatchRule([email], double.NaN, 2));
        Assert.Throws<ArgumentException>("definiteThreshold", () => new MatchRule([email], 3, 2));
        Assert.Throws<ArgumentException>("fields", () => MatchRule.DefaultPerson.WithField(new MatchField(FieldComparators.Email, 1, -1)));
        Assert.Throws<ArgumentNullException>("field", () => MatchRule.DefaultPerson.WithField(null!));
        var tooMany = Enumerable.Range(0, MatchRule.MaxFields + 1).Select(i => new MatchField(new ConstantComparator($"f{i}", 1), 1, -1));
        var limit = Assert.Throws<InputLimitExceededException>(() => new MatchRule(tooMany, 1, 2));
        Assert.Equal("fields", limit.ParamName);
    }

    [Fact]
    public void CustomComparator_AddsItsWeight()
    {
        var rule = MatchRule.DefaultPerson.WithField(new MatchField(new ConstantComparator("LoyaltyCard", 1), 5, -5)).WithThresholds(0, 100);
        var a = Record(Person("Ann", "Lee"));
        var b = Record(Person("Ann", "Lee"));
        Assert.Equal(MatchRule.DefaultPerson.Score(a, b) + 5, rule.Score(a, b), 9);
        Assert.Equal(MatchDecision.Probable, rule.Evaluate(a, b).Decision);
        Assert.Equal("LoyaltyCard", rule.Evaluate(a, b).Comparisons[^1].Field);
    }

    [Fact]
    public void ExternalIdentifier_DisagreesOnlyWithinOneSource()
    {
        var shop1 = Record(Person("Ann", "Lee", externalId: new ExternalIdentifier("shop", "1")));
        var shop2 = Record(Person("Ann", "Lee", externalId: new ExternalIdentifier("shop", "2")));
        var erp = Record(Person("Ann", "Lee", externalId: new ExternalIdentifier("erp", "1")));
        Assert.Equal(0.0, FieldComparators.ExternalIdentifier.Compare(shop1, shop2));
        Assert.Null(FieldComparators.ExternalIdentifier.Compare(shop1, erp));
        Assert.Throws<ArgumentNullException>("first", () => FieldComparators.Email.Compare(null!, shop1));
    }

    internal sealed class ConstantComparator(string field, double? similarity) : IFieldComparator
    {
        public string Field { get; } = field;

        public double? Compare(MatchRecord first, MatchRecord second) => similarity;
    }
}
