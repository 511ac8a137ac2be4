using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Turns customer rows back into <see cref="CustomerSnapshot"/>s with the kernel's own parsers and constructors.
/// A value that does not parse (a row edited by hand, an unknown kind or zone) throws
/// <see cref="InvalidStoredStateException"/> naming the table and the customer id; a half-built snapshot is never
/// returned. Invariants across values (one primary per kind, limits) are checked afterwards by
/// <see cref="Customer.Rehydrate(CustomerSnapshot, IClock)"/>.
/// </summary>
/// <remarks>
/// Reasons name the column and the rule broken, never the stored value, which may be personal data. Callers run
/// the statements of one read inside one read transaction, so a customer's row and child rows come from the same
/// committed version.
/// </remarks>
internal static class CustomerRowReader
{
    private const string CustomersTable = "customers";
    private const string ContactPointsTable = "customer_contact_points";
    private const string IdentifiersTable = "customer_identifiers";
    private const string TagsTable = "customer_tags";
    private const string AttributesTable = "customer_attributes";

    /// <summary>Reads one customer by id text; null when the tenant has none.</summary>
    public static async ValueTask<CustomerSnapshot?> FindAsync(SqliteSession session, TenantId tenantId, string id, CancellationToken cancellationToken)
    {
        var select = session.Command(CustomerSql.SelectById);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = id;
        var rows = await ReadRowsAsync(select, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        await ReadChildrenAsync(session, tenantId, rows, cancellationToken).ConfigureAwait(false);
        return rows[0].ToSnapshot(tenantId);
    }

    /// <summary>Reads a keyset page: up to <paramref name="limit"/> customers with ids after <paramref name="after"/> ('' for the start).</summary>
    public static async ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(SqliteSession session, TenantId tenantId, string after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(CustomerSql.SelectPage);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = after;
        select.Parameters[2].Value = limit;
        var rows = await ReadRowsAsync(select, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        await ReadChildrenAsync(session, tenantId, rows, cancellationToken).ConfigureAwait(false);
        var page = new CustomerSnapshot[rows.Count];
        for (var i = 0; i < page.Length; i++)
        {
            page[i] = rows[i].ToSnapshot(tenantId);
        }

        return page;
    }

    /// <summary>The id text of the customer holding an identifier, or null.</summary>
    public static async ValueTask<string?> FindIdentifierHolderAsync(SqliteSession session, TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken)
    {
        var select = session.Command(CustomerSql.IdentifierHolder);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = identifier.Source;
        select.Parameters[2].Value = identifier.Key;
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>The id texts of the customers holding a contact point, in id order.</summary>
    public static async ValueTask<List<string>> FindContactPointHoldersAsync(SqliteSession session, TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken)
    {
        var select = session.Command(CustomerSql.ContactPointHolders);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ColumnText.OfContactPointKind(contactPoint.Kind);
        select.Parameters[2].Value = contactPoint.NormalizedValue;
        var ids = new List<string>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async ValueTask<List<CustomerRow>> ReadRowsAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<CustomerRow>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadCustomer(reader));
        }

        return rows;
    }

    /// <summary>
    /// Reads the child rows of <paramref name="rows"/> (sorted by id, consecutive in the tenant's id order) with one
    /// range query per child table, and hands each row to its customer by walking both lists in id order.
    /// </summary>
    private static async ValueTask ReadChildrenAsync(SqliteSession session, TenantId tenantId, List<CustomerRow> rows, CancellationToken cancellationToken)
    {
        await ReadChildTableAsync(session, CustomerSql.SelectContactPoints, tenantId, rows, static (row, reader) => row.AddContactPoint(reader), cancellationToken).ConfigureAwait(false);
        await ReadChildTableAsync(session, CustomerSql.SelectIdentifiers, tenantId, rows, static (row, reader) => row.AddIdentifier(reader), cancellationToken).ConfigureAwait(false);
        await ReadChildTableAsync(session, CustomerSql.SelectTags, tenantId, rows, static (row, reader) => row.AddTag(reader), cancellationToken).ConfigureAwait(false);
        await ReadChildTableAsync(session, CustomerSql.SelectAttributes, tenantId, rows, static (row, reader) => row.AddAttribute(reader), cancellationToken).ConfigureAwait(false);
        await ReadChildTableAsync(session, LifecycleRows.Select, tenantId, rows, static (row, reader) => row.SetLifecycle(reader), cancellationToken).ConfigureAwait(false);
        await ReadChildTableAsync(session, ConsentRows.Select, tenantId, rows, static (row, reader) => row.AddConsent(reader), cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask ReadChildTableAsync(
        SqliteSession session,
        SqlStatement statement,
        TenantId tenantId,
        List<CustomerRow> rows,
        Action<CustomerRow, SqliteDataReader> add,
        CancellationToken cancellationToken)
    {
        var select = session.Command(statement);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = rows[0].IdText;
        select.Parameters[2].Value = rows[^1].IdText;
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var current = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var owner = reader.GetString(0);
            while (current < rows.Count && string.CompareOrdinal(rows[current].IdText, owner) < 0)
            {
                current++;
            }

            // Rows of an id that is not one of ours (possible only if foreign keys were switched off) are not read.
            if (current < rows.Count && string.Equals(rows[current].IdText, owner, StringComparison.Ordinal))
            {
                add(rows[current], reader);
            }
        }
    }

    private static CustomerRow ReadCustomer(SqliteDataReader reader)
    {
        var idText = reader.GetString(0);
        if (!CustomerId.TryParse(idText, out var id))
        {
            throw Invalid(CustomersTable, idText, "id is not a customer id (a non-empty GUID).");
        }

        var version = reader.GetInt64(1);
        if (version < 1)
        {
            throw Invalid(CustomersTable, idText, "version is below 1.");
        }

        if (!ColumnText.TryParsePartyKind(reader.GetString(2), out var kind))
        {
            throw Invalid(CustomersTable, idText, "kind is neither 'person' nor 'organization'.");
        }

        if (!ColumnText.TryParseInstant(reader.GetString(3), out var createdAt))
        {
            throw Invalid(CustomersTable, idText, "created_at is not an ISO-8601 UTC instant.");
        }

        if (!ColumnText.TryParseInstant(reader.GetString(4), out var updatedAt))
        {
            throw Invalid(CustomersTable, idText, "updated_at is not an ISO-8601 UTC instant.");
        }

        var zone = OptionalText(reader, 5);
        if (zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            throw Invalid(CustomersTable, idText, "home_time_zone is not a TZDB time zone id.");
        }

        PartyProfile profile = kind == PartyKind.Person ? ReadPerson(reader, idText) : ReadOrganization(reader, idText);
        return new CustomerRow(idText, id, version, profile, createdAt, updatedAt, zone);
    }

    private static PersonProfile ReadPerson(SqliteDataReader reader, string idText)
    {
        LocalDate? birthDate = null;
        if (OptionalText(reader, 10) is { } text)
        {
            if (!ColumnText.TryParseDate(text, out var date))
            {
                throw Invalid(CustomersTable, idText, "birth_date is not an ISO date (uuuu-MM-dd).");
            }

            birthDate = date;
        }

        try
        {
            return new PersonProfile(
                OptionalText(reader, 6),
                OptionalText(reader, 7),
                OptionalText(reader, 8),
                OptionalText(reader, 9),
                birthDate,
                OptionalText(reader, 11),
                OptionalText(reader, 12));
        }
        catch (ArgumentException e)
        {
            throw Invalid(CustomersTable, idText, $"the person profile breaks a rule of {nameof(PersonProfile)} ({e.ParamName}).", e);
        }
    }

    private static OrganizationProfile ReadOrganization(SqliteDataReader reader, string idText)
    {
        Uri? website = null;
        if (OptionalText(reader, 18) is { } text && !Uri.TryCreate(text, UriKind.Absolute, out website))
        {
            throw Invalid(CustomersTable, idText, "website is not an absolute address.");
        }

        int? employeeCount = null;
        if (!reader.IsDBNull(19))
        {
            var count = reader.GetInt64(19);
            if (count is < int.MinValue or > int.MaxValue)
            {
                throw Invalid(CustomersTable, idText, "employee_count is out of range.");
            }

            employeeCount = (int)count;
        }

        try
        {
            return new OrganizationProfile(
                OptionalText(reader, 13)!,
                OptionalText(reader, 14),
                OptionalText(reader, 15),
                OptionalText(reader, 16),
                OptionalText(reader, 17),
                website,
                employeeCount);
        }
        catch (ArgumentException e)
        {
            throw Invalid(CustomersTable, idText, $"the organization profile breaks a rule of {nameof(OrganizationProfile)} ({e.ParamName}).", e);
        }
    }

    private static string? OptionalText(SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static InvalidStoredStateException Invalid(string table, string customerId, string reason, Exception? innerException = null)
        => new(table, customerId, reason, innerException);

    /// <summary>A customer being read: its row, and its child rows as they arrive.</summary>
    private sealed class CustomerRow(string idText, CustomerId id, long version, PartyProfile profile, Instant createdAt, Instant updatedAt, string? homeTimeZoneId)
    {
        private List<CustomerContactPoint>? _contactPoints;
        private List<ExternalIdentifier>? _identifiers;
        private List<CustomerTag>? _tags;
        private Dictionary<string, CustomAttributeValue>? _attributes;
        private List<Consent.ConsentEntry>? _consents;

        public string IdText { get; } = idText;

        public void AddContactPoint(SqliteDataReader reader)
        {
            // customer_id, kind, value, is_primary, label
            if (!ColumnText.TryParseContactPointKind(reader.GetString(1), out var kind))
            {
                throw Invalid(ContactPointsTable, IdText, "kind is not one of email, phone, postal_address, social_handle.");
            }

            ContactPoint point;
            try
            {
                point = ContactPoint.Parse(kind, reader.GetString(2));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw Invalid(ContactPointsTable, IdText, $"value is not a valid {kind} contact point.", e);
            }

            var primary = reader.GetInt64(3);
            if (primary is not (0 or 1))
            {
                throw Invalid(ContactPointsTable, IdText, "is_primary is neither 0 nor 1.");
            }

            try
            {
                (_contactPoints ??= []).Add(new CustomerContactPoint(point, primary == 1, OptionalText(reader, 4)));
            }
            catch (ArgumentException e)
            {
                throw Invalid(ContactPointsTable, IdText, "label breaks a rule of contact point labels.", e);
            }
        }

        public void AddIdentifier(SqliteDataReader reader)
        {
            // customer_id, source, key
            try
            {
                (_identifiers ??= []).Add(new ExternalIdentifier(reader.GetString(1), reader.GetString(2)));
            }
            catch (ArgumentException e)
            {
                throw Invalid(IdentifiersTable, IdText, $"the identifier breaks a rule of {nameof(ExternalIdentifier)} ({e.ParamName}).", e);
            }
        }

        public void AddTag(SqliteDataReader reader)
        {
            // customer_id, tag
            if (!CustomerTag.TryParse(reader.GetString(1), out var tag))
            {
                throw Invalid(TagsTable, IdText, "tag is not a valid customer tag.");
            }

            (_tags ??= []).Add(tag);
        }

        public void AddConsent(SqliteDataReader reader) => (_consents ??= []).Add(ConsentRows.Read(reader, IdText));

        public void AddAttribute(SqliteDataReader reader)
        {
            // customer_id, name, type, value
            var name = reader.GetString(1);
            if (!ColumnText.TryParseAttributeType(reader.GetString(2), out var type))
            {
                throw Invalid(AttributesTable, IdText, "type is not one of text, number, boolean, date, instant, money.");
            }

            CustomAttributeValue value;
            try
            {
                value = CustomAttributeValue.Parse(type, reader.GetString(3));
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw Invalid(AttributesTable, IdText, $"value is not a valid {type} attribute value.", e);
            }

            (_attributes ??= new Dictionary<string, CustomAttributeValue>(StringComparer.Ordinal)).Add(name, value);
        }

        private (Lifecycle.LifecycleStage? Stage, IReadOnlyList<Lifecycle.LifecycleTransitionRecord> History, Lifecycle.LifecycleFacts Facts)? _lifecycle;

        public void SetLifecycle(SqliteDataReader reader) => _lifecycle = LifecycleRows.Read(reader, IdText);

        public CustomerSnapshot ToSnapshot(TenantId tenantId) => new()
        {
            Id = id,
            TenantId = tenantId,
            Profile = profile,
            ContactPoints = (IReadOnlyList<CustomerContactPoint>?)_contactPoints ?? [],
            ExternalIdentifiers = (IReadOnlyList<ExternalIdentifier>?)_identifiers ?? [],
            Tags = (IReadOnlyCollection<CustomerTag>?)_tags ?? [],
            CustomAttributes = (IReadOnlyDictionary<string, CustomAttributeValue>?)_attributes ?? EmptyAttributes,
            HomeTimeZoneId = homeTimeZoneId,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            Version = version,
            LifecycleStage = _lifecycle?.Stage,
            LifecycleHistory = _lifecycle?.History ?? [],
            LifecycleFacts = _lifecycle?.Facts,
            Consents = (IReadOnlyList<Consent.ConsentEntry>?)_consents ?? [],
        };

        private static readonly IReadOnlyDictionary<string, CustomAttributeValue> EmptyAttributes =
            System.Collections.ObjectModel.ReadOnlyDictionary<string, CustomAttributeValue>.Empty;
    }
}
