using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Writes customers inside the caller's write transaction: one row in <c>customers</c> and one row per contact
/// point, identifier, tag and custom attribute. An update replaces the child rows wholesale, which keeps the
/// stored order equal to the snapshot's order.
/// </summary>
internal static class CustomerRowWriter
{
    /// <summary>The aggregate type the kernel writes in customer event envelopes and conflict errors.</summary>
    public const string AggregateType = "customer";

    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    private static readonly SqlStatement[] ChildDeletes =
        [CustomerSql.DeleteContactPoints, CustomerSql.DeleteIdentifiers, CustomerSql.DeleteTags, CustomerSql.DeleteAttributes];

    /// <summary>
    /// Refuses a stale commit with one indexed read, before a transaction is begun, so that under contention stale
    /// commits do not take (and release) the file's write lock. The statements of <see cref="CommitAsync"/> check
    /// the version again inside the transaction, which catches writes by other processes.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the expected one.</exception>
    public static async ValueTask CheckVersionAsync(SqliteSession session, CustomerCommit commit, CancellationToken cancellationToken)
    {
        var tenant = commit.Customer.TenantId.Value;
        var id = ColumnText.OfId(commit.Customer.Id);
        var stored = await StoredVersionAsync(session, tenant, id, cancellationToken).ConfigureAwait(false);
        if (stored != (commit.IsInsert ? null : commit.ExpectedVersion))
        {
            throw new ConcurrencyConflictException(AggregateType, id, commit.ExpectedVersion, stored);
        }
    }

    /// <summary>Stores a commit's state and events; the caller commits or rolls back the transaction.</summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the expected one.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer of the tenant holds one of the identifiers.</exception>
    public static async ValueTask CommitAsync(SqliteSession session, CustomerCommit commit, CancellationToken cancellationToken)
    {
        var state = commit.Customer;
        var tenant = state.TenantId.Value;
        var id = ColumnText.OfId(state.Id);
        if (commit.IsInsert)
        {
            if (!await TryInsertRowAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false))
            {
                throw await ConflictAsync(session, commit, tenant, id, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var update = session.Command(CustomerSql.Update);
            BindState(update, state, tenant, id);
            update.Parameters[^1].Value = commit.ExpectedVersion;
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw await ConflictAsync(session, commit, tenant, id, cancellationToken).ConfigureAwait(false);
            }

            await DeleteChildrenAsync(session, tenant, id, cancellationToken).ConfigureAwait(false);
        }

        await InsertIdentifiersAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
        await InsertOtherChildrenAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
        await LifecycleRows.WriteAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
        await ConsentRows.InsertNewAsync(session, state, tenant, id, commit.IsInsert, cancellationToken).ConfigureAwait(false);
        await OutboxRows.AppendAsync(session, commit.Events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts the new customers of a batch that are not stored yet; a customer with external identifiers is
    /// inserted inside a savepoint, so that if it is refused it is undone alone. The caller commits the batch's
    /// transaction.
    /// </summary>
    public static async ValueTask<BulkImportResult> ImportAsync(SqliteSession session, IReadOnlyList<CustomerCommit> batch, CancellationToken cancellationToken)
    {
        var inserted = 0;
        var present = new List<int>();
        var rejected = new List<BulkImportRejection>();
        for (var i = 0; i < batch.Count; i++)
        {
            var state = batch[i].Customer;
            var tenant = state.TenantId.Value;
            var id = ColumnText.OfId(state.Id);
            if (await CustomerMergeRows.IsMergedAwayAsync(session, tenant, id, cancellationToken).ConfigureAwait(false))
            {
                // A merged-away customer's id is taken while the merge is active: the row counts as stored.
                present.Add(i);
                continue;
            }

            // Only identifiers can be refused; a customer that has some is inserted inside a savepoint, so that
            // rolling back to it undoes that customer alone and keeps the rest of the batch.
            var guarded = state.ExternalIdentifiers.Count > 0;
            if (guarded)
            {
                await session.ExecuteAsync(CustomerSql.SavepointImportRow, cancellationToken).ConfigureAwait(false);
            }

            if (!await TryInsertRowAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false))
            {
                if (guarded)
                {
                    await session.ExecuteAsync(CustomerSql.ReleaseImportRow, cancellationToken).ConfigureAwait(false);
                }

                present.Add(i);
                continue;
            }

            if (guarded)
            {
                try
                {
                    await InsertIdentifiersAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
                }
                catch (ExternalIdentifierConflictException e)
                {
                    await session.ExecuteAsync(CustomerSql.RollbackImportRow, cancellationToken).ConfigureAwait(false);
                    await session.ExecuteAsync(CustomerSql.ReleaseImportRow, cancellationToken).ConfigureAwait(false);
                    rejected.Add(new BulkImportRejection(i, state.Id, e.ErrorCode));
                    continue;
                }

                await session.ExecuteAsync(CustomerSql.ReleaseImportRow, cancellationToken).ConfigureAwait(false);
            }

            await InsertOtherChildrenAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
            await LifecycleRows.WriteAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
            await ConsentRows.InsertNewAsync(session, state, tenant, id, isInsert: true, cancellationToken).ConfigureAwait(false);
            await OutboxRows.AppendAsync(session, batch[i].Events, cancellationToken).ConfigureAwait(false);
            inserted++;
        }

        return new BulkImportResult(inserted, present, rejected);
    }

    /// <summary>
    /// Inserts a customer at its own version with every child row (an unmerge restores the merged-away customer so);
    /// the caller commits or rolls back the transaction.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The customer is stored already.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer of the tenant holds one of the identifiers.</exception>
    public static async ValueTask RestoreAsync(SqliteSession session, CustomerSnapshot state, CancellationToken cancellationToken)
    {
        var tenant = state.TenantId.Value;
        var id = ColumnText.OfId(state.Id);
        if (!await TryInsertRowAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false))
        {
            throw new ConcurrencyConflictException(AggregateType, id, 0, await StoredVersionAsync(session, tenant, id, cancellationToken).ConfigureAwait(false));
        }

        await InsertIdentifiersAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
        await InsertOtherChildrenAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
        await LifecycleRows.WriteAsync(session, state, tenant, id, cancellationToken).ConfigureAwait(false);
        await ConsentRows.InsertNewAsync(session, state, tenant, id, isInsert: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces a stored customer's state wholesale, its consent ledger included (a merge and an unmerge rewrite the
    /// survivor's ledger, which is otherwise append-only), and stores the events; the caller commits the transaction.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the expected one.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer of the tenant holds one of the identifiers.</exception>
    public static async ValueTask ReplaceAsync(SqliteSession session, CustomerCommit commit, CancellationToken cancellationToken)
    {
        await ConsentRows.DeleteAllAsync(session, commit.Customer.TenantId.Value, ColumnText.OfId(commit.Customer.Id), cancellationToken).ConfigureAwait(false);
        await CommitAsync(session, commit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a customer's row; its child rows go with it (<c>ON DELETE CASCADE</c>).</summary>
    public static async ValueTask RemoveAsync(SqliteSession session, string tenant, string id, CancellationToken cancellationToken)
    {
        var delete = session.Command(CustomerSql.Delete);
        delete.Parameters[0].Value = tenant;
        delete.Parameters[1].Value = id;
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<bool> TryInsertRowAsync(SqliteSession session, CustomerSnapshot state, string tenant, string id, CancellationToken cancellationToken)
    {
        var insert = session.Command(CustomerSql.Insert);
        BindState(insert, state, tenant, id);
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static async ValueTask<ConcurrencyConflictException> ConflictAsync(SqliteSession session, CustomerCommit commit, string tenant, string id, CancellationToken cancellationToken)
        => new(AggregateType, id, commit.ExpectedVersion, await StoredVersionAsync(session, tenant, id, cancellationToken).ConfigureAwait(false));

    /// <summary>A customer's stored version; null when it is not stored.</summary>
    public static async ValueTask<long?> StoredVersionAsync(SqliteSession session, string tenant, string id, CancellationToken cancellationToken)
    {
        var select = session.Command(CustomerSql.Version);
        select.Parameters[0].Value = tenant;
        select.Parameters[1].Value = id;
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    private static async ValueTask DeleteChildrenAsync(SqliteSession session, string tenant, string id, CancellationToken cancellationToken)
    {
        foreach (var statement in ChildDeletes)
        {
            var delete = session.Command(statement);
            delete.Parameters[0].Value = tenant;
            delete.Parameters[1].Value = id;
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inserts the identifiers, translating the UNIQUE (tenant, source, key) violation into the kernel's exception.</summary>
    private static async ValueTask InsertIdentifiersAsync(SqliteSession session, CustomerSnapshot state, string tenant, string id, CancellationToken cancellationToken)
    {
        if (state.ExternalIdentifiers.Count == 0)
        {
            return;
        }

        var insert = session.Command(CustomerSql.InsertIdentifier);
        var p = insert.Parameters;
        p[0].Value = tenant;
        p[1].Value = id;
        for (var position = 0; position < state.ExternalIdentifiers.Count; position++)
        {
            var identifier = state.ExternalIdentifiers[position];
            p[2].Value = position;
            p[3].Value = identifier.Source;
            p[4].Value = identifier.Key;
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint && e.SqliteExtendedErrorCode == SqliteConstraintUnique)
            {
                var holder = await HolderAsync(session, tenant, identifier, cancellationToken).ConfigureAwait(false);
                if (holder is null || holder == state.Id)
                {
                    throw new ArgumentException($"Customer {state.Id} lists an external identifier of source '{identifier.Source}' twice.", "commit", e);
                }

                throw new ExternalIdentifierConflictException(state.Id, holder.Value, identifier, e);
            }
        }
    }

    private static async ValueTask<CustomerId?> HolderAsync(SqliteSession session, string tenant, ExternalIdentifier identifier, CancellationToken cancellationToken)
    {
        var select = session.Command(CustomerSql.IdentifierHolder);
        select.Parameters[0].Value = tenant;
        select.Parameters[1].Value = identifier.Source;
        select.Parameters[2].Value = identifier.Key;
        var text = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        if (text is null)
        {
            return null;
        }

        return CustomerId.TryParse(text, out var holder)
            ? holder
            : throw new InvalidStoredStateException("customer_identifiers", text, "customer_id is not a customer id.");
    }

    private static async ValueTask InsertOtherChildrenAsync(SqliteSession session, CustomerSnapshot state, string tenant, string id, CancellationToken cancellationToken)
    {
        if (state.ContactPoints.Count > 0)
        {
            var insert = session.Command(CustomerSql.InsertContactPoint);
            var p = insert.Parameters;
            p[0].Value = tenant;
            p[1].Value = id;
            for (var position = 0; position < state.ContactPoints.Count; position++)
            {
                var point = state.ContactPoints[position];
                p[2].Value = position;
                p[3].Value = ColumnText.OfContactPointKind(point.Kind);
                p[4].Value = point.Value.NormalizedValue;
                p[5].Value = point.IsPrimary ? 1 : 0;
                p[6].Value = Nullable(point.Label);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (state.Tags.Count > 0)
        {
            var insert = session.Command(CustomerSql.InsertTag);
            var p = insert.Parameters;
            p[0].Value = tenant;
            p[1].Value = id;
            foreach (var tag in state.Tags)
            {
                p[2].Value = tag.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (state.CustomAttributes.Count > 0)
        {
            var insert = session.Command(CustomerSql.InsertAttribute);
            var p = insert.Parameters;
            p[0].Value = tenant;
            p[1].Value = id;
            foreach (var (name, value) in state.CustomAttributes)
            {
                p[2].Value = name;
                p[3].Value = ColumnText.OfAttributeType(value.Type);
                p[4].Value = value.ToInvariantString();
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Binds the state parameters shared by <see cref="CustomerSql.Insert"/> and <see cref="CustomerSql.Update"/>.</summary>
    private static void BindState(SqliteCommand command, CustomerSnapshot state, string tenant, string id)
    {
        var p = command.Parameters;
        p[0].Value = tenant;
        p[1].Value = id;
        p[2].Value = state.Version;
        p[3].Value = ColumnText.OfPartyKind(state.Profile.Kind);
        p[4].Value = ColumnText.OfInstant(state.CreatedAt);
        p[5].Value = ColumnText.OfInstant(state.UpdatedAt);
        p[6].Value = Nullable(state.HomeTimeZoneId);
        var person = state.Profile as PersonProfile;
        p[7].Value = Nullable(person?.GivenName);
        p[8].Value = Nullable(person?.FamilyName);
        p[9].Value = Nullable(person?.PreferredName);
        p[10].Value = Nullable(person?.Honorific);
        p[11].Value = person?.BirthDate is { } born ? ColumnText.OfDate(born) : DBNull.Value;
        p[12].Value = Nullable(person?.PreferredLanguage);
        p[13].Value = Nullable(person?.JobTitle);
        var organization = state.Profile as OrganizationProfile;
        p[14].Value = Nullable(organization?.LegalName);
        p[15].Value = Nullable(organization?.TradingName);
        p[16].Value = Nullable(organization?.RegistrationNumber);
        p[17].Value = Nullable(organization?.TaxId);
        p[18].Value = Nullable(organization?.Industry);
        p[19].Value = Nullable(organization?.Website?.OriginalString);
        p[20].Value = organization?.EmployeeCount is { } count ? count : DBNull.Value;
    }

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;
}
