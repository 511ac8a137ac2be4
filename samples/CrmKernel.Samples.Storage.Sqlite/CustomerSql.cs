namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>The statements over the customer tables. Parameters are bound by index in the order listed.</summary>
internal static class CustomerSql
{
    /// <summary>The customer columns every read selects, in the order <see cref="CustomerRowReader"/> reads them.</summary>
    private const string Columns = """
        id, version, kind, created_at, updated_at, home_time_zone,
        given_name, family_name, preferred_name, honorific, birth_date, preferred_language, job_title,
        legal_name, trading_name, registration_number, tax_id, industry, website, employee_count
        """;

    /// <summary>The parameters of <see cref="Insert"/> and <see cref="Update"/> that carry the customer's state, in binding order.</summary>
    private static readonly string[] StateParameters =
    [
        "$tenant", "$id", "$version", "$kind", "$created_at", "$updated_at", "$home_time_zone",
        "$given_name", "$family_name", "$preferred_name", "$honorific", "$birth_date", "$preferred_language", "$job_title",
        "$legal_name", "$trading_name", "$registration_number", "$tax_id", "$industry", "$website", "$employee_count",
    ];

    /// <summary>Inserts a customer unless the tenant already has the id (then it changes no row).</summary>
    public static readonly SqlStatement Insert = new(
        """
        INSERT INTO customers (
            tenant, id, version, kind, created_at, updated_at, home_time_zone,
            given_name, family_name, preferred_name, honorific, birth_date, preferred_language, job_title,
            legal_name, trading_name, registration_number, tax_id, industry, website, employee_count)
        VALUES (
            $tenant, $id, $version, $kind, $created_at, $updated_at, $home_time_zone,
            $given_name, $family_name, $preferred_name, $honorific, $birth_date, $preferred_language, $job_title,
            $legal_name, $trading_name, $registration_number, $tax_id, $industry, $website, $employee_count)
        ON CONFLICT (tenant, id) DO NOTHING
        """,
        StateParameters);

    /// <summary>Replaces a customer's row only if its stored version is still the expected one (then it changes one row).</summary>
    public static readonly SqlStatement Update = new(
        """
        UPDATE customers SET
            version = $version, kind = $kind, created_at = $created_at, updated_at = $updated_at, home_time_zone = $home_time_zone,
            given_name = $given_name, family_name = $family_name, preferred_name = $preferred_name, honorific = $honorific,
            birth_date = $birth_date, preferred_language = $preferred_language, job_title = $job_title,
            legal_name = $legal_name, trading_name = $trading_name, registration_number = $registration_number, tax_id = $tax_id,
            industry = $industry, website = $website, employee_count = $employee_count
        WHERE tenant = $tenant AND id = $id AND version = $expected
        """,
        [.. StateParameters, "$expected"]);

    /// <summary>Deletes a customer's row (its child rows cascade). Parameters: tenant, id.</summary>
    public static readonly SqlStatement Delete = new("DELETE FROM customers WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>The stored version of a customer (no row when there is none). Parameters: tenant, id.</summary>
    public static readonly SqlStatement Version = new("SELECT version FROM customers WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>One customer. Parameters: tenant, id.</summary>
    public static readonly SqlStatement SelectById = new($"SELECT {Columns} FROM customers WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>A keyset page. Parameters: tenant, the id to start after ('' for the start), limit.</summary>
    public static readonly SqlStatement SelectPage = new(
        $"SELECT {Columns} FROM customers WHERE tenant = $tenant AND id > $after ORDER BY id LIMIT $limit", "$tenant", "$after", "$limit");

    /// <summary>
    /// A keyset page of compact scan rows (<see cref="CustomerScanReader"/>): id, created_at, whether there is a home time
    /// zone, a contact point and an external identifier (each probe a seek into the child table's primary key), and the
    /// lifecycle history document. Parameters: tenant, the id to start after ('' for the start), limit.
    /// </summary>
    public static readonly SqlStatement SelectScanPage = new(
        """
        SELECT c.id, c.created_at, c.home_time_zone IS NOT NULL,
            EXISTS (SELECT 1 FROM customer_contact_points p WHERE p.tenant = c.tenant AND p.customer_id = c.id),
            EXISTS (SELECT 1 FROM customer_identifiers i WHERE i.tenant = c.tenant AND i.customer_id = c.id),
            c.lifecycle_history
        FROM customers c WHERE c.tenant = $tenant AND c.id > $after ORDER BY c.id LIMIT $limit
        """,
        "$tenant", "$after", "$limit");

    /// <summary>Counts a tenant's customers. Parameter: tenant.</summary>
    public static readonly SqlStatement Count = new("SELECT count(*) FROM customers WHERE tenant = $tenant", "$tenant");

    /// <summary>The holder of an external identifier. Parameters: tenant, source, key.</summary>
    public static readonly SqlStatement IdentifierHolder = new(
        """SELECT customer_id FROM customer_identifiers WHERE tenant = $tenant AND source = $source AND "key" = $key""", "$tenant", "$source", "$key");

    /// <summary>The customers holding a contact point, in id order. Parameters: tenant, kind, value.</summary>
    public static readonly SqlStatement ContactPointHolders = new(
        "SELECT DISTINCT customer_id FROM customer_contact_points WHERE tenant = $tenant AND kind = $kind AND value = $value ORDER BY customer_id",
        "$tenant", "$kind", "$value");

    /// <summary>Contact points of the customers whose ids lie in a range, in customer and position order. Parameters: tenant, first id, last id.</summary>
    public static readonly SqlStatement SelectContactPoints = new(
        """
        SELECT customer_id, kind, value, is_primary, label FROM customer_contact_points
        WHERE tenant = $tenant AND customer_id BETWEEN $first AND $last ORDER BY customer_id, position
        """,
        "$tenant", "$first", "$last");

    /// <summary>External identifiers of the customers whose ids lie in a range, in customer and position order. Parameters: tenant, first id, last id.</summary>
    public static readonly SqlStatement SelectIdentifiers = new(
        """
        SELECT customer_id, source, "key" FROM customer_identifiers
        WHERE tenant = $tenant AND customer_id BETWEEN $first AND $last ORDER BY customer_id, position
        """,
        "$tenant", "$first", "$last");

    /// <summary>Tags of the customers whose ids lie in a range. Parameters: tenant, first id, last id.</summary>
    public static readonly SqlStatement SelectTags = new(
        "SELECT customer_id, tag FROM customer_tags WHERE tenant = $tenant AND customer_id BETWEEN $first AND $last ORDER BY customer_id, tag",
        "$tenant", "$first", "$last");

    /// <summary>Custom attributes of the customers whose ids lie in a range. Parameters: tenant, first id, last id.</summary>
    public static readonly SqlStatement SelectAttributes = new(
        "SELECT customer_id, name, type, value FROM customer_attributes WHERE tenant = $tenant AND customer_id BETWEEN $first AND $last ORDER BY customer_id, name",
        "$tenant", "$first", "$last");

    /// <summary>Deletes a customer's contact points. Parameters: tenant, id.</summary>
    public static readonly SqlStatement DeleteContactPoints = new("DELETE FROM customer_contact_points WHERE tenant = $tenant AND customer_id = $id", "$tenant", "$id");

    /// <summary>Deletes a customer's external identifiers. Parameters: tenant, id.</summary>
    public static readonly SqlStatement DeleteIdentifiers = new("DELETE FROM customer_identifiers WHERE tenant = $tenant AND customer_id = $id", "$tenant", "$id");

    /// <summary>Deletes a customer's tags. Parameters: tenant, id.</summary>
    public static readonly SqlStatement DeleteTags = new("DELETE FROM customer_tags WHERE tenant = $tenant AND customer_id = $id", "$tenant", "$id");

    /// <summary>Deletes a customer's custom attributes. Parameters: tenant, id.</summary>
    public static readonly SqlStatement DeleteAttributes = new("DELETE FROM customer_attributes WHERE tenant = $tenant AND customer_id = $id", "$tenant", "$id");

    /// <summary>Adds a contact point. Parameters: tenant, id, position, kind, value, is_primary, label.</summary>
    public static readonly SqlStatement InsertContactPoint = new(
        "INSERT INTO customer_contact_points (tenant, customer_id, position, kind, value, is_primary, label) VALUES ($tenant, $id, $position, $kind, $value, $is_primary, $label)",
        "$tenant", "$id", "$position", "$kind", "$value", "$is_primary", "$label");

    /// <summary>Adds an external identifier; fails with a UNIQUE constraint error when another customer of the tenant holds it. Parameters: tenant, id, position, source, key.</summary>
    public static readonly SqlStatement InsertIdentifier = new(
        """INSERT INTO customer_identifiers (tenant, customer_id, position, source, "key") VALUES ($tenant, $id, $position, $source, $key)""",
        "$tenant", "$id", "$position", "$source", "$key");

    /// <summary>Adds a tag. Parameters: tenant, id, tag.</summary>
    public static readonly SqlStatement InsertTag = new(
        "INSERT INTO customer_tags (tenant, customer_id, tag) VALUES ($tenant, $id, $tag)", "$tenant", "$id", "$tag");

    /// <summary>Adds a custom attribute. Parameters: tenant, id, name, type, value.</summary>
    public static readonly SqlStatement InsertAttribute = new(
        "INSERT INTO customer_attributes (tenant, customer_id, name, type, value) VALUES ($tenant, $id, $name, $type, $value)",
        "$tenant", "$id", "$name", "$type", "$value");

    /// <summary>Marks the start of one customer of a bulk import, so that a refused customer can be undone alone.</summary>
    public static readonly SqlStatement SavepointImportRow = new("SAVEPOINT import_row");

    /// <summary>Keeps the current import row.</summary>
    public static readonly SqlStatement ReleaseImportRow = new("RELEASE import_row");

    /// <summary>Undoes the current import row (the savepoint stays open; release it next).</summary>
    public static readonly SqlStatement RollbackImportRow = new("ROLLBACK TO import_row");
}
