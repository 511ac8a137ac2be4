using System.Collections.ObjectModel;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>
/// A customer of the enterprise: one record per person or organisation, shared by marketing, sales,
/// service and innovation. Use <see cref="Register(TenantId, PartyProfile, IClock)"/> for a new customer
/// and the behaviour methods to change it; every change raises one event in <see cref="PendingEvents"/>,
/// and a method either changes the customer or throws without changing anything.
/// </summary>
/// <remarks>
/// <para>Rules the customer keeps:</para>
/// <list type="bullet">
/// <item>Its profile's kind never changes (a person stays a person).</item>
/// <item>A contact point (kind + normalised value) appears at most once, and each kind has at most one primary.
/// The first contact point of a kind becomes its primary.</item>
/// <item>External identifiers (source + key) and tags appear at most once.</item>
/// <item>At most <see cref="MaxContactPoints"/> contact points, <see cref="MaxExternalIdentifiers"/> identifiers,
/// <see cref="MaxTags"/> tags and <see cref="MaxCustomAttributes"/> custom attributes.</item>
/// <item>The home time zone is a TZDB zone.</item>
/// </list>
/// <para>A customer is not thread-safe: load, change and save it on one logical flow.</para>
/// </remarks>
public sealed partial class Customer
{
    /// <summary>The most contact points a customer can hold.</summary>
    public const int MaxContactPoints = 50;

    /// <summary>The most external identifiers a customer can hold.</summary>
    public const int MaxExternalIdentifiers = 50;

    /// <summary>The most tags a customer can carry.</summary>
    public const int MaxTags = 100;

    /// <summary>The most custom attributes a customer can hold.</summary>
    public const int MaxCustomAttributes = 100;

    /// <summary>The longest custom attribute name.</summary>
    public const int MaxAttributeNameLength = 64;

    private readonly IClock _clock;
    private readonly List<CustomerContactPoint> _contactPoints = [];
    private readonly List<ExternalIdentifier> _externalIdentifiers = [];
    private readonly SortedSet<CustomerTag> _tags = [];
    private readonly SortedDictionary<string, CustomAttributeValue> _customAttributes = new(StringComparer.Ordinal);
    private readonly List<CustomerEvent> _pendingEvents = [];

    private Customer(CustomerId id, TenantId tenantId, PartyProfile profile, IClock clock, Instant createdAt)
    {
        Id = id;
        TenantId = tenantId;
        Profile = profile;
        _clock = clock;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        ContactPoints = _contactPoints.AsReadOnly();
        ExternalIdentifiers = _externalIdentifiers.AsReadOnly();
        Tags = new ReadOnlySet<CustomerTag>(_tags);
        CustomAttributes = new ReadOnlyDictionary<string, CustomAttributeValue>(_customAttributes);
        PendingEvents = _pendingEvents.AsReadOnly();
        Lifecycle = new global::CrmKernel.Lifecycle.CustomerLifecycle(createdAt);
    }

    /// <summary>The customer's id.</summary>
    public CustomerId Id { get; }

    /// <summary>The tenant that owns the customer.</summary>
    public TenantId TenantId { get; }

    /// <summary>Person or organisation; fixed at registration.</summary>
    public PartyKind Kind => Profile.Kind;

    /// <summary>The profile: a <see cref="PersonProfile"/> or an <see cref="OrganizationProfile"/>.</summary>
    public PartyProfile Profile { get; private set; }

    /// <summary>The name to show, from the profile.</summary>
    public string DisplayName => Profile.DisplayName;

    /// <summary>Contact points, in the order they were added.</summary>
    public IReadOnlyList<CustomerContactPoint> ContactPoints { get; }

    /// <summary>External identifiers, in the order they were added.</summary>
    public IReadOnlyList<ExternalIdentifier> ExternalIdentifiers { get; }

    /// <summary>Tags, in ordinal order.</summary>
    public IReadOnlySet<CustomerTag> Tags { get; }

    /// <summary>Custom attributes by name, in ordinal order of name.</summary>
    public IReadOnlyDictionary<string, CustomAttributeValue> CustomAttributes { get; }

    /// <summary>The customer's home time zone (a TZDB zone), or null when unknown.</summary>
    public DateTimeZone? HomeTimeZone { get; private set; }

    /// <summary>When the customer was registered.</summary>
    public Instant CreatedAt { get; }

    /// <summary>When the customer last changed.</summary>
    public Instant UpdatedAt { get; private set; }

    /// <summary>
    /// The stored version this customer was read at: 0 for a customer never stored. Stores use it for
    /// optimistic concurrency: a save succeeds only if the stored version still equals it.
    /// </summary>
    public long Version { get; private set; }

    /// <summary>The events raised since the customer was registered, loaded or last saved.</summary>
    public IReadOnlyList<CustomerEvent> PendingEvents { get; }

    /// <summary>Registers a new customer and raises <see cref="CustomerRegistered"/>.</summary>
    /// <param name="tenantId">The owning tenant.</param>
    /// <param name="profile">A <see cref="PersonProfile"/> or an <see cref="OrganizationProfile"/>.</param>
    /// <param name="clock">The clock that stamps the customer's instants.</param>
    /// <returns>The new customer, with a new time-ordered id and version 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> or <paramref name="clock"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is the default.</exception>
    public static Customer Register(TenantId tenantId, PartyProfile profile, IClock clock)
        => Register(tenantId, CustomerId.New(), profile, clock);

    /// <summary>Registers a new customer with an id chosen by the caller (e.g. one minted by an import).</summary>
    /// <inheritdoc cref="Register(TenantId, PartyProfile, IClock)"/>
    /// <param name="tenantId">The owning tenant.</param>
    /// <param name="id">The new customer's id.</param>
    /// <param name="profile">A <see cref="PersonProfile"/> or an <see cref="OrganizationProfile"/>.</param>
    /// <param name="clock">The clock that stamps the customer's instants.</param>
    public static Customer Register(TenantId tenantId, CustomerId id, PartyProfile profile, IClock clock)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotNull(profile);
        Preconditions.NotNull(clock);
        var now = clock.GetCurrentInstant();
        var customer = new Customer(id, tenantId, profile, clock, now);
        customer._pendingEvents.Add(new CustomerRegistered(tenantId, id, now, profile));
        return customer;
    }

    /// <summary>
    /// Rebuilds a stored customer from its snapshot, checking every rule again. This is the one way
    /// storage adapters turn stored data back into a customer.
    /// </summary>
    /// <param name="snapshot">The stored state.</param>
    /// <param name="clock">The clock for later changes.</param>
    /// <returns>The customer, with no pending events.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidStoredStateException">The snapshot breaks a rule; nothing is returned.</exception>
    public static Customer Rehydrate(CustomerSnapshot snapshot, IClock clock)
    {
        Preconditions.NotNull(snapshot);
        Preconditions.NotNull(clock);
        // The id is formatted only for an error: a customer is rebuilt on every read (e.g. once a dispatched message).
        void Require(bool condition, string reason)
        {
            if (!condition)
            {
                throw new InvalidStoredStateException(nameof(Customer), snapshot.Id.Value.ToString(), reason);
            }
        }

        Require(snapshot.Id != default, "the id is empty");
        Require(snapshot.TenantId != default, "the tenant is empty");
        Require(snapshot.Profile is not null, "the profile is missing");
        Require(snapshot.ContactPoints is not null && snapshot.ExternalIdentifiers is not null && snapshot.Tags is not null && snapshot.CustomAttributes is not null, "a collection is missing");
        Require(snapshot.Version >= 0, "the version is negative");
        Require(snapshot.UpdatedAt >= snapshot.CreatedAt, "it was updated before it was created");

        var customer = new Customer(snapshot.Id, snapshot.TenantId, snapshot.Profile!, clock, snapshot.CreatedAt)
        {
            UpdatedAt = snapshot.UpdatedAt,
            Version = snapshot.Version,
        };

        // Indexed loops over the snapshot's lists: their enumerators, behind an interface, would be allocated on every read.
        var contactPoints = snapshot.ContactPoints!;
        Require(contactPoints.Count <= MaxContactPoints, "too many contact points");
        for (var i = 0; i < contactPoints.Count; i++)
        {
            var point = contactPoints[i];
            Require(point is not null, "a contact point is missing");
            Require(customer.IndexOf(point!.Value) < 0, "a contact point appears twice");
            if (point.IsPrimary && customer.PrimaryIndex(point.Kind) >= 0)
            {
                Require(false, $"two {point.Kind} contact points are primary");
            }

            customer._contactPoints.Add(point);
        }

        var identifiers = snapshot.ExternalIdentifiers!;
        Require(identifiers.Count <= MaxExternalIdentifiers, "too many external identifiers");
        for (var i = 0; i < identifiers.Count; i++)
        {
            var identifier = identifiers[i];
            Require(identifier is not null && !customer._externalIdentifiers.Contains(identifier), "an external identifier is missing or appears twice");
            customer._externalIdentifiers.Add(identifier!);
        }

        Require(snapshot.Tags!.Count <= MaxTags, "too many tags");
        foreach (var tag in snapshot.Tags)
        {
            Require(tag != default && customer._tags.Add(tag), "a tag is empty or appears twice");
        }

        Require(snapshot.CustomAttributes!.Count <= MaxCustomAttributes, "too many custom attributes");
        foreach (var (name, value) in snapshot.CustomAttributes)
        {
            Require(IsValidAttributeName(name) && value is not null && customer._customAttributes.TryAdd(name, value), "a custom attribute has an invalid name or no value");
        }

        if (snapshot.HomeTimeZoneId is not null)
        {
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(snapshot.HomeTimeZoneId);
            Require(zone is not null, "the home time zone is not a TZDB zone id");
            customer.HomeTimeZone = zone;
        }

        var lifecycleProblem = customer.RestoreLifecycle(snapshot);
        Require(lifecycleProblem is null, lifecycleProblem ?? string.Empty);
        var consentProblem = customer.RestoreConsent(snapshot.Consents);
        Require(consentProblem is null, consentProblem ?? string.Empty);

        return customer;
    }

    /// <summary>Returns the customer's full state as plain data, for storage adapters.</summary>
    public CustomerSnapshot ToSnapshot() => ToSnapshot(Version);

    /// <summary>The state as it will be stored under <paramref name="version"/>.</summary>
    internal CustomerSnapshot ToSnapshot(long version) => new()
    {
        Id = Id,
        TenantId = TenantId,
        Profile = Profile,
        ContactPoints = [.. _contactPoints],
        ExternalIdentifiers = [.. _externalIdentifiers],
        Tags = [.. _tags],
        CustomAttributes = new Dictionary<string, CustomAttributeValue>(_customAttributes, StringComparer.Ordinal),
        HomeTimeZoneId = HomeTimeZone?.Id,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        Version = version,
        LifecycleStage = Lifecycle.Stage,
        LifecycleHistory = Lifecycle.CopyHistory(),
        LifecycleFacts = Lifecycle.Facts,
        Consents = [.. _consents],
    };

    /// <summary>
    /// Replaces the profile with another of the same kind and raises <see cref="CustomerProfileChanged"/>.
    /// </summary>
    /// <param name="profile">The new profile.</param>
    /// <returns>True when the profile changed; false (and no event) when it equals the current one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is null.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.PartyKindMismatch"/>: the profile is for the other party kind.</exception>
    public bool ChangeProfile(PartyProfile profile)
    {
        Preconditions.NotNull(profile);
        if (profile.Kind != Kind)
        {
            throw Rule(CrmErrorCodes.PartyKindMismatch, $"is a {Kind} and cannot take a {profile.Kind} profile.");
        }

        if (profile.Equals(Profile))
        {
            return false;
        }

        Profile = profile;
        Raise(now => new CustomerProfileChanged(TenantId, Id, now, profile));
        return true;
    }

    /// <summary>
    /// Adds a contact point and raises <see cref="ContactPointAdded"/>. The first contact point of a kind
    /// becomes its primary; a later one does when <paramref name="makePrimary"/> is true (the previous
    /// primary then stops being primary, and the event says so).
    /// </summary>
    /// <param name="contactPoint">The validated, normalised contact point.</param>
    /// <param name="label">An optional label such as "work" or "home".</param>
    /// <param name="makePrimary">Whether it should become the primary one of its kind.</param>
    /// <exception cref="ArgumentNullException"><paramref name="contactPoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The label is invalid.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.DuplicateContactPoint"/> or <see cref="CrmErrorCodes.CustomerLimitExceeded"/>.</exception>
    public void AddContactPoint(ContactPoint contactPoint, string? label = null, bool makePrimary = false)
    {
        Preconditions.NotNull(contactPoint);
        if (IndexOf(contactPoint) >= 0)
        {
            throw Rule(CrmErrorCodes.DuplicateContactPoint, $"already has this {contactPoint.Kind} contact point.");
        }

        EnsureBelow(_contactPoints.Count, MaxContactPoints, "contact points");
        var previousPrimary = PrimaryIndex(contactPoint.Kind);
        var entry = new CustomerContactPoint(contactPoint, makePrimary || previousPrimary < 0, label);
        if (entry.IsPrimary && previousPrimary >= 0)
        {
            _contactPoints[previousPrimary] = _contactPoints[previousPrimary].WithPrimary(false);
        }

        _contactPoints.Add(entry);
        Raise(now => new ContactPointAdded(TenantId, Id, now, entry));
    }

    /// <summary>
    /// Removes a contact point and raises <see cref="ContactPointRemoved"/>. Removing the primary one
    /// leaves its kind without a primary until <see cref="MakePrimary(ContactPoint)"/> chooses one.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="contactPoint"/> is null.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.ContactPointNotFound"/>.</exception>
    public void RemoveContactPoint(ContactPoint contactPoint)
    {
        var index = RequireContactPoint(contactPoint);
        var removed = _contactPoints[index];
        _contactPoints.RemoveAt(index);
        Raise(now => new ContactPointRemoved(TenantId, Id, now, removed.Value, removed.IsPrimary));
    }

    /// <summary>Makes a contact point the primary one of its kind and raises <see cref="PrimaryContactPointChanged"/>.</summary>
    /// <returns>True when the primary changed; false (and no event) when it already was the primary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contactPoint"/> is null.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.ContactPointNotFound"/>.</exception>
    public bool MakePrimary(ContactPoint contactPoint)
    {
        var index = RequireContactPoint(contactPoint);
        if (_contactPoints[index].IsPrimary)
        {
            return false;
        }

        var previousIndex = PrimaryIndex(contactPoint.Kind);
        ContactPoint? previous = null;
        if (previousIndex >= 0)
        {
            previous = _contactPoints[previousIndex].Value;
            _contactPoints[previousIndex] = _contactPoints[previousIndex].WithPrimary(false);
        }

        _contactPoints[index] = _contactPoints[index].WithPrimary(true);
        Raise(now => new PrimaryContactPointChanged(TenantId, Id, now, contactPoint, previous));
        return true;
    }

    /// <summary>Returns the primary contact point of a kind, or null when the customer has none.</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is undefined.</exception>
    public ContactPoint? PrimaryContactPoint(ContactPointKind kind)
    {
        var index = PrimaryIndex(Preconditions.Defined(kind));
        return index < 0 ? null : _contactPoints[index].Value;
    }

    /// <summary>Adds an external identifier and raises <see cref="ExternalIdentifierAdded"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="identifier"/> is null.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.DuplicateExternalIdentifier"/> or <see cref="CrmErrorCodes.CustomerLimitExceeded"/>.</exception>
    public void AddExternalIdentifier(ExternalIdentifier identifier)
    {
        Preconditions.NotNull(identifier);
        if (_externalIdentifiers.Contains(identifier))
        {
            throw Rule(CrmErrorCodes.DuplicateExternalIdentifier, $"already has an identifier from source '{identifier.Source}' with that key.");
        }

        EnsureBelow(_externalIdentifiers.Count, MaxExternalIdentifiers, "external identifiers");
        _externalIdentifiers.Add(identifier);
        Raise(now => new ExternalIdentifierAdded(TenantId, Id, now, identifier));
    }

    /// <summary>Removes an external identifier and raises <see cref="ExternalIdentifierRemoved"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="identifier"/> is null.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.ExternalIdentifierNotFound"/>.</exception>
    public void RemoveExternalIdentifier(ExternalIdentifier identifier)
    {
        Preconditions.NotNull(identifier);
        if (!_externalIdentifiers.Remove(identifier))
        {
            throw Rule(CrmErrorCodes.ExternalIdentifierNotFound, $"has no identifier from source '{identifier.Source}' with that key.");
        }

        Raise(now => new ExternalIdentifierRemoved(TenantId, Id, now, identifier));
    }

    /// <summary>Adds a tag and raises <see cref="CustomerTagged"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is the default.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.DuplicateTag"/> or <see cref="CrmErrorCodes.CustomerLimitExceeded"/>.</exception>
    public void Tag(CustomerTag tag)
    {
        Preconditions.NotDefault(tag);
        if (_tags.Contains(tag))
        {
            throw Rule(CrmErrorCodes.DuplicateTag, $"already carries tag '{tag}'.");
        }

        EnsureBelow(_tags.Count, MaxTags, "tags");
        _tags.Add(tag);
        Raise(now => new CustomerTagged(TenantId, Id, now, tag));
    }

    /// <summary>Removes a tag and raises <see cref="CustomerUntagged"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is the default.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.TagNotFound"/>.</exception>
    public void Untag(CustomerTag tag)
    {
        Preconditions.NotDefault(tag);
        if (!_tags.Remove(tag))
        {
            throw Rule(CrmErrorCodes.TagNotFound, $"does not carry tag '{tag}'.");
        }

        Raise(now => new CustomerUntagged(TenantId, Id, now, tag));
    }

    /// <summary>Sets a custom attribute and raises <see cref="CustomAttributeSet"/>.</summary>
    /// <param name="name">1–64 characters: a letter, then letters, digits, <c>_ . -</c>; case-sensitive.</param>
    /// <param name="value">The typed value.</param>
    /// <returns>True when the attribute changed; false (and no event) when it already had this value.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid attribute name.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.CustomerLimitExceeded"/>.</exception>
    public bool SetCustomAttribute(string name, CustomAttributeValue value)
    {
        Preconditions.NotNull(name);
        Preconditions.NotNull(value);
        Preconditions.MaxLength(name, MaxAttributeNameLength);
        Preconditions.Check(IsValidAttributeName(name), $"An attribute name is a letter followed by up to {MaxAttributeNameLength - 1} letters, digits, _ . or -.", nameof(name));
        if (_customAttributes.TryGetValue(name, out var current))
        {
            if (current.Equals(value))
            {
                return false;
            }
        }
        else
        {
            EnsureBelow(_customAttributes.Count, MaxCustomAttributes, "custom attributes");
        }

        _customAttributes[name] = value;
        Raise(now => new CustomAttributeSet(TenantId, Id, now, name, value));
        return true;
    }

    /// <summary>Removes a custom attribute and raises <see cref="CustomAttributeRemoved"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="CustomerRuleException"><see cref="CrmErrorCodes.CustomAttributeNotFound"/>.</exception>
    public void RemoveCustomAttribute(string name)
    {
        Preconditions.NotNull(name);
        Preconditions.MaxLength(name, MaxAttributeNameLength);
        if (!_customAttributes.Remove(name))
        {
            throw Rule(CrmErrorCodes.CustomAttributeNotFound, "has no custom attribute with that name.");
        }

        Raise(now => new CustomAttributeRemoved(TenantId, Id, now, name));
    }

    /// <summary>Sets or clears the home time zone and raises <see cref="HomeTimeZoneChanged"/>.</summary>
    /// <param name="zone">A TZDB zone (e.g. <c>DateTimeZoneProviders.Tzdb["Europe/London"]</c>), or null to clear it.</param>
    /// <returns>True when the zone changed; false (and no event) when it was already this zone.</returns>
    /// <exception cref="ArgumentException">The zone's id is not a TZDB zone id.</exception>
    public bool ChangeHomeTimeZone(DateTimeZone? zone)
    {
        DateTimeZone? resolved = null;
        if (zone is not null)
        {
            resolved = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone.Id);
            Preconditions.Check(resolved is not null, "The time zone must be a TZDB zone (an IANA id such as Europe/London).", nameof(zone));
        }

        if (resolved?.Id == HomeTimeZone?.Id)
        {
            return false;
        }

        HomeTimeZone = resolved;
        Raise(now => new HomeTimeZoneChanged(TenantId, Id, now, resolved));
        return true;
    }

    /// <summary>Called by the kernel after a store committed the pending events: clears them and records the new version.</summary>
    internal void MarkCommitted(long version)
    {
        Version = version;
        _pendingEvents.Clear();
        HasUnsavedLifecycleFacts = false;
    }

    private static bool IsValidAttributeName(string name)
        => name.Length is > 0 and <= MaxAttributeNameLength
           && char.IsAsciiLetter(name[0])
           && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    // Loops rather than FindIndex with a lambda: these run for every contact point of every customer read, and a
    // capturing lambda is an allocation a call.
    private int IndexOf(ContactPoint contactPoint)
    {
        for (var i = 0; i < _contactPoints.Count; i++)
        {
            if (_contactPoints[i].Value.Equals(contactPoint))
            {
                return i;
            }
        }

        return -1;
    }

    private int PrimaryIndex(ContactPointKind kind)
    {
        for (var i = 0; i < _contactPoints.Count; i++)
        {
            if (_contactPoints[i].IsPrimary && _contactPoints[i].Kind == kind)
            {
                return i;
            }
        }

        return -1;
    }

    private int RequireContactPoint(ContactPoint contactPoint)
    {
        Preconditions.NotNull(contactPoint);
        var index = IndexOf(contactPoint);
        return index >= 0 ? index : throw Rule(CrmErrorCodes.ContactPointNotFound, $"has no such {contactPoint.Kind} contact point.");
    }

    private void EnsureBelow(int count, int max, string what)
    {
        if (count >= max)
        {
            throw Rule(CrmErrorCodes.CustomerLimitExceeded, $"already has the most {what} allowed ({max}).");
        }
    }

    private void Raise(Func<Instant, CustomerEvent> create)
    {
        var now = _clock.GetCurrentInstant();
        UpdatedAt = now > UpdatedAt ? now : UpdatedAt;
        _pendingEvents.Add(create(now));
    }

    private CustomerRuleException Rule(string code, string message) => new(code, Id, message);
}
