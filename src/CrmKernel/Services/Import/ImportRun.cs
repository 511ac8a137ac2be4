using System.Globalization;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Services.Import;

/// <summary>One run of <see cref="CustomerImporter.ImportAsync"/>: validates rows, commits batches, keeps the counts.</summary>
internal sealed class ImportRun
{
    private readonly TenantId _tenantId;
    private readonly ImportMapping _mapping;
    private readonly CustomerRepository _customers;
    private readonly TouchpointIngestion _touchpoints;
    private readonly IClock _clock;
    private readonly List<ImportRowError> _errors = [];
    private readonly List<ImportRowError> _batchErrors = [];
    private IReadOnlyList<string>? _header;
    private Columns _columns;
    private long _read;
    private long _stored;
    private long _skipped;
    private long _rejected;
    private long _checkpoint;
    private long _customersStored;
    private long _touchpointsStored;

    public ImportRun(TenantId tenantId, ImportMapping mapping, CustomerRepository customers, TouchpointIngestion touchpoints, IClock clock, long resumeAfterLine)
    {
        _tenantId = tenantId;
        _mapping = mapping;
        _customers = customers;
        _touchpoints = touchpoints;
        _clock = clock;
        _checkpoint = resumeAfterLine;
    }

    public ImportProgress Progress() => new(_read, _stored, _skipped, _rejected, _checkpoint);

    public ImportResult Result() => new(Progress(), _customersStored, _touchpointsStored, _errors.AsReadOnly());

    public async ValueTask CommitAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _batchErrors.Clear();
        var parsed = new List<ParsedRow>(rows.Count);
        var rejectedRows = 0;
        foreach (var row in rows)
        {
            Resolve(row.ColumnNames);
            var before = _batchErrors.Count;
            var result = Parse(row);
            if (_batchErrors.Count > before)
            {
                rejectedRows++;
            }
            else
            {
                parsed.Add(result!);
            }
        }

        // The first valid row of each key brings the customer; later rows of the key share it.
        var firstOfKey = new Dictionary<string, ParsedRow>(StringComparer.Ordinal);
        var newCustomers = new List<Customer>();
        var owners = new List<ParsedRow>();
        foreach (var row in parsed)
        {
            if (firstOfKey.TryGetValue(row.Key, out var first))
            {
                row.Owner = first;
            }
            else
            {
                firstOfKey.Add(row.Key, row);
                row.Owner = row;
                newCustomers.Add(row.Customer!);
                owners.Add(row);
            }
        }

        var imported = await _customers.ImportAsync(_tenantId, newCustomers, cancellationToken).ConfigureAwait(false);
        _customersStored += imported.Inserted;
        foreach (var owner in owners)
        {
            owner.CustomerId = owner.Customer!.Id;
            owner.Inserted = true;
        }

        foreach (var index in imported.AlreadyPresent)
        {
            owners[index].Inserted = false;
        }

        foreach (var rejection in imported.Rejected)
        {
            var owner = owners[rejection.Index];
            owner.Inserted = false;
            if (rejection.ErrorCode == CrmErrorCodes.ExternalIdentifierInUse)
            {
                // Imported before (an earlier run or batch): the stored customer keeps its data and gets the touchpoints.
                owner.CustomerId = null;
                owner.Existing = true;
            }
            else
            {
                owner.StoreError = rejection.ErrorCode;
            }
        }

        var touchpoints = new List<NewTouchpoint>();
        var touchpointRows = new List<ParsedRow>();
        foreach (var row in parsed)
        {
            var owner = row.Owner!;
            if (owner.StoreError is not null)
            {
                Fail(row.LineNumber, _mapping.CustomerKeyColumn, owner.StoreError, "the customer could not be stored");
                rejectedRows++;
                row.Rejected = true;
                continue;
            }

            if (row.Touchpoint is null)
            {
                continue;
            }

            if (owner.CustomerId is null && owner.Existing)
            {
                var existing = await _customers.Store.FindByExternalIdentifierAsync(_tenantId, new ExternalIdentifier(_mapping.SourceSystem, owner.Key), cancellationToken).ConfigureAwait(false);
                owner.CustomerId = existing?.Id;
                owner.Existing = false;
            }

            if (owner.CustomerId is not { } customerId)
            {
                continue;
            }

            var t = row.Touchpoint;
            touchpoints.Add(new NewTouchpoint
            {
                CustomerId = customerId,
                Channel = t.Channel,
                Kind = t.Kind,
                Function = t.Function,
                Direction = t.Direction,
                OccurredAt = t.OccurredAt,
                Source = t.Source,
                Revenue = t.Revenue,
                Cost = t.Cost,
                CampaignId = t.CampaignId,
            });
            touchpointRows.Add(row);
        }

        if (touchpoints.Count > 0)
        {
            var ingested = await _touchpoints.RecordManyAsync(_tenantId, touchpoints, cancellationToken).ConfigureAwait(false);
            _touchpointsStored += ingested.Recorded;
            foreach (var row in touchpointRows)
            {
                row.TouchpointStored = true;
            }

            foreach (var index in ingested.AlreadyPresent)
            {
                touchpointRows[index].TouchpointStored = false;
            }

            foreach (var conflict in ingested.Conflicts)
            {
                var row = touchpointRows[conflict.Index];
                row.TouchpointStored = false;
                row.Rejected = true;
                rejectedRows++;
                Fail(row.LineNumber, _mapping.TouchpointKeyColumn!, CrmErrorCodes.TouchpointConflict, "another touchpoint is stored under this source key");
            }

            foreach (var invalid in ingested.Invalid)
            {
                var row = touchpointRows[invalid.Index];
                row.TouchpointStored = false;
                row.Rejected = true;
                rejectedRows++;
                Fail(row.LineNumber, _mapping.TouchpointKeyColumn!, CrmErrorCodes.ImportInvalidValue, "the touchpoint was refused");
            }
        }

        foreach (var row in parsed)
        {
            if (row.Rejected)
            {
                continue;
            }

            if ((row.Owner == row && row.Inserted) || row.TouchpointStored)
            {
                _stored++;
            }
            else
            {
                _skipped++;
            }
        }

        _rejected += rejectedRows;
        _read += rows.Count;
        _checkpoint = rows[^1].LineNumber;
        // Stable: a row's errors keep their column order.
        foreach (var error in _batchErrors.OrderBy(static e => e.LineNumber))
        {
            if (_errors.Count < ImportResult.ReportedErrorLimit)
            {
                _errors.Add(error);
            }
        }
    }

    private void Resolve(IReadOnlyList<string> header)
    {
        if (ReferenceEquals(header, _header))
        {
            return;
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            names.TryAdd(Preconditions.NotNull(header[i], nameof(header)), i);
        }

        int Find(string? column) => column is null ? -1 : names.TryGetValue(column, out var i) ? i : throw new ImportMappingException(column);

        var m = _mapping;
        _columns = new Columns
        {
            Key = Find(m.CustomerKeyColumn),
            Given = Find(m.GivenNameColumn),
            Family = Find(m.FamilyNameColumn),
            Organization = Find(m.OrganizationNameColumn),
            Email = Find(m.EmailColumn),
            Phone = Find(m.PhoneColumn),
            Tags = Find(m.TagsColumn),
            Attributes = [.. m.AttributeColumns.Select(a => Find(a.Column))],
            TouchpointKey = Find(m.TouchpointKeyColumn),
            Channel = Find(m.ChannelColumn),
            Kind = Find(m.TouchpointKindColumn),
            Function = Find(m.FunctionColumn),
            Direction = Find(m.DirectionColumn),
            OccurredAt = Find(m.OccurredAtColumn),
            Revenue = Find(m.RevenueColumn),
            Cost = Find(m.CostColumn),
            Campaign = Find(m.CampaignColumn),
        };
        _header = header;
    }

    private static string? Cell(ImportRow row, int index)
    {
        if (index < 0)
        {
            return null;
        }

        var value = row.Values[index];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private void Fail(long line, string column, string code, string reason) => _batchErrors.Add(new ImportRowError(line, column, code, reason));

    private void Fail(long line, string column, Exception e, string reason)
        => Fail(line, column, e switch
        {
            CrmException crm => crm.ErrorCode,
            InputLimitExceededException => CrmErrorCodes.InputLimitExceeded,
            _ => CrmErrorCodes.ImportInvalidValue,
        }, reason);

    private ParsedRow? Parse(ImportRow row)
    {
        var c = _columns;
        var m = _mapping;
        var line = row.LineNumber;
        var errors = _batchErrors.Count;
        if (row.Values.Count != row.ColumnNames.Count)
        {
            var at = Math.Min(row.Values.Count, row.ColumnNames.Count - 1);
            Fail(line, row.ColumnNames.Count == 0 ? "(none)" : row.ColumnNames[Math.Max(at, 0)], CrmErrorCodes.ImportCellCount, $"the row has {row.Values.Count} cells for {row.ColumnNames.Count} columns");
            return null;
        }

        var key = Cell(row, c.Key);
        ExternalIdentifier? identifier = null;
        if (key is null)
        {
            Fail(line, m.CustomerKeyColumn, CrmErrorCodes.ImportMissingValue, "the customer key is missing");
        }
        else
        {
            try
            {
                identifier = new ExternalIdentifier(m.SourceSystem, key);
            }
            catch (ArgumentException e)
            {
                Fail(line, m.CustomerKeyColumn, e, "not a valid customer key");
            }
        }

        var profile = ParseProfile(row);

        EmailAddress? email = null;
        if (Cell(row, c.Email) is { } emailText && !EmailAddress.TryParse(emailText, out email))
        {
            Fail(line, m.EmailColumn!, CrmErrorCodes.ImportInvalidEmail, "not a valid email address");
        }

        PhoneNumber? phone = null;
        if (Cell(row, c.Phone) is { } phoneText && !PhoneNumber.TryParse(phoneText, m.PhoneRegion, out phone))
        {
            Fail(line, m.PhoneColumn!, CrmErrorCodes.ImportInvalidPhone, "not a valid phone number");
        }

        List<CustomerTag>? tags = null;
        if (Cell(row, c.Tags) is { } tagText)
        {
            foreach (var part in tagText.Split(m.TagSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (CustomerTag.TryParse(part, out var tag))
                {
                    tags ??= [];
                    if (!tags.Contains(tag))
                    {
                        tags.Add(tag);
                    }
                }
                else
                {
                    Fail(line, m.TagsColumn!, CrmErrorCodes.ImportInvalidValue, "not a valid tag");
                    break;
                }
            }
        }

        List<(string Name, CustomAttributeValue Value)>? attributes = null;
        for (var i = 0; i < c.Attributes.Length; i++)
        {
            if (Cell(row, c.Attributes[i]) is not { } text)
            {
                continue;
            }

            var column = m.AttributeColumns[i];
            try
            {
                (attributes ??= []).Add((column.AttributeName, CustomAttributeValue.Parse(column.Type, text)));
            }
            catch (FormatException)
            {
                var code = column.Type is CustomAttributeType.Date or CustomAttributeType.Instant ? CrmErrorCodes.ImportInvalidDate : CrmErrorCodes.ImportInvalidValue;
                Fail(line, column.Column, code, $"not a valid {column.Type.ToString().ToLowerInvariant()} value");
            }
            catch (ArgumentException e)
            {
                Fail(line, column.Column, e, "not a valid value");
            }
        }

        var touchpoint = ParseTouchpoint(row);
        if (_batchErrors.Count > errors)
        {
            return null;
        }

        var customer = Customer.Register(_tenantId, profile!, _clock);
        if (!TryBuild(line, m.CustomerKeyColumn, () => customer.AddExternalIdentifier(identifier!))
            || (email is not null && !TryBuild(line, m.EmailColumn!, () => customer.AddContactPoint(email)))
            || (phone is not null && !TryBuild(line, m.PhoneColumn!, () => customer.AddContactPoint(phone))))
        {
            return null;
        }

        foreach (var tag in tags ?? [])
        {
            if (!TryBuild(line, m.TagsColumn!, () => customer.Tag(tag)))
            {
                return null;
            }
        }

        for (var i = 0; i < (attributes?.Count ?? 0); i++)
        {
            var (name, value) = attributes![i];
            if (!TryBuild(line, m.AttributeColumns.First(a => a.AttributeName == name).Column, () => customer.SetCustomAttribute(name, value)))
            {
                return null;
            }
        }

        return new ParsedRow(line, key!, customer, touchpoint);
    }

    private bool TryBuild(long line, string column, Action change)
    {
        try
        {
            change();
            return true;
        }
        catch (ArgumentException e)
        {
            Fail(line, column, e, "the customer refuses the value");
        }
        catch (CrmException e)
        {
            Fail(line, column, e, "the customer refuses the value");
        }

        return false;
    }

    private PartyProfile? ParseProfile(ImportRow row)
    {
        var c = _columns;
        var m = _mapping;
        var line = row.LineNumber;
        if (Cell(row, c.Organization) is { } legalName)
        {
            try
            {
                return new OrganizationProfile(legalName);
            }
            catch (ArgumentException e)
            {
                Fail(line, m.OrganizationNameColumn!, e, "not a valid organisation name");
                return null;
            }
        }

        var given = Cell(row, c.Given);
        var family = Cell(row, c.Family);
        if (given is null && family is null)
        {
            Fail(line, m.GivenNameColumn ?? m.FamilyNameColumn ?? m.OrganizationNameColumn!, CrmErrorCodes.ImportMissingValue, "the row has no name");
            return null;
        }

        try
        {
            return new PersonProfile(given, family);
        }
        catch (ArgumentException e)
        {
            Fail(line, e.ParamName == "familyName" ? m.FamilyNameColumn! : m.GivenNameColumn ?? m.FamilyNameColumn!, e, "not a valid name");
            return null;
        }
    }

    private ParsedTouchpoint? ParseTouchpoint(ImportRow row)
    {
        var c = _columns;
        var m = _mapping;
        var line = row.LineNumber;
        if (Cell(row, c.TouchpointKey) is not { } key)
        {
            return null;
        }

        var errors = _batchErrors.Count;
        ExternalIdentifier? source = null;
        try
        {
            source = new ExternalIdentifier(m.EffectiveTouchpointSourceSystem, key);
        }
        catch (ArgumentException e)
        {
            Fail(line, m.TouchpointKeyColumn!, e, "not a valid touchpoint key");
        }

        var channel = Required(row, c.Channel, m.ChannelColumn!, static (string t, out ChannelId v) => ChannelId.TryParse(t, out v), "not a valid channel id");
        var kind = Required(row, c.Kind, m.TouchpointKindColumn!, static (string t, out TouchpointKind v) => TryKind(t, out v), "not a valid touchpoint kind");
        var function = Required(row, c.Function, m.FunctionColumn!, static (string t, out CrmFunction v) => TryEnum(t, out v), "not a CRM function");
        var direction = Required(row, c.Direction, m.DirectionColumn!, static (string t, out InteractionDirection v) => TryEnum(t, out v), "not a direction");
        var occurredAt = default(Instant);
        if (Cell(row, c.OccurredAt) is not { } when)
        {
            Fail(line, m.OccurredAtColumn!, CrmErrorCodes.ImportMissingValue, "the occurred-at time is missing");
        }
        else if (!TryInstant(when, m.OccurredAtZone, out occurredAt))
        {
            Fail(line, m.OccurredAtColumn!, CrmErrorCodes.ImportInvalidDate, "not a date-time in the mapping's format");
        }

        var revenue = OptionalMoney(row, c.Revenue, m.RevenueColumn);
        var cost = OptionalMoney(row, c.Cost, m.CostColumn);
        var campaign = Cell(row, c.Campaign);
        return _batchErrors.Count > errors
            ? null
            : new ParsedTouchpoint(source!, channel, kind, function, direction, occurredAt, revenue, cost, campaign);
    }

    private delegate bool TryParser<T>(string text, out T value);

    private T Required<T>(ImportRow row, int index, string column, TryParser<T> parse, string reason)
        where T : struct
    {
        if (Cell(row, index) is not { } text)
        {
            Fail(row.LineNumber, column, CrmErrorCodes.ImportMissingValue, "the value is missing");
            return default;
        }

        if (!parse(text, out var value))
        {
            Fail(row.LineNumber, column, CrmErrorCodes.ImportInvalidValue, reason);
        }

        return value;
    }

    private Money? OptionalMoney(ImportRow row, int index, string? column)
    {
        if (Cell(row, index) is not { } text)
        {
            return null;
        }

        if (Money.TryParse(text, out var money))
        {
            return money;
        }

        Fail(row.LineNumber, column!, CrmErrorCodes.ImportInvalidValue, "not an amount with its currency");
        return null;
    }

    private static bool TryKind(string text, out TouchpointKind kind)
    {
        if (Slug.Normalize(text, TouchpointKind.MaxLength) is not null)
        {
            kind = new TouchpointKind(text);
            return true;
        }

        kind = default;
        return false;
    }

    private static bool TryEnum<T>(string text, out T value)
        where T : struct, Enum
        => Enum.TryParse(text, ignoreCase: true, out value) && !char.IsAsciiDigit(text[0]) && text[0] != '-' && Enum.IsDefined(value);

    /// <summary>Local date-times read in the mapping's zone: ISO with or without seconds, with <c>T</c> or a space.</summary>
    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.ExtendedIso,
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
    ];

    private static bool TryInstant(string text, DateTimeZone? zone, out Instant instant)
    {
        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (offset.Success)
        {
            instant = offset.Value.ToInstant();
            return true;
        }

        if (zone is not null)
        {
            foreach (var pattern in LocalPatterns)
            {
                if (pattern.Parse(text) is { Success: true } local)
                {
                    instant = zone.AtLeniently(local.Value).ToInstant();
                    return true;
                }
            }
        }

        instant = default;
        return false;
    }

    private struct Columns
    {
        public int Key;
        public int Given;
        public int Family;
        public int Organization;
        public int Email;
        public int Phone;
        public int Tags;
        public int[] Attributes;
        public int TouchpointKey;
        public int Channel;
        public int Kind;
        public int Function;
        public int Direction;
        public int OccurredAt;
        public int Revenue;
        public int Cost;
        public int Campaign;
    }

    private sealed class ParsedRow(long lineNumber, string key, Customer customer, ParsedTouchpoint? touchpoint)
    {
        public long LineNumber { get; } = lineNumber;

        public string Key { get; } = key;

        public Customer? Customer { get; } = customer;

        public ParsedTouchpoint? Touchpoint { get; } = touchpoint;

        public ParsedRow? Owner { get; set; }

        public CustomerId? CustomerId { get; set; }

        public bool Inserted { get; set; }

        public bool Existing { get; set; }

        public string? StoreError { get; set; }

        public bool TouchpointStored { get; set; }

        public bool Rejected { get; set; }
    }

    private sealed record ParsedTouchpoint(
        ExternalIdentifier Source,
        ChannelId Channel,
        TouchpointKind Kind,
        CrmFunction Function,
        InteractionDirection Direction,
        Instant OccurredAt,
        Money? Revenue,
        Money? Cost,
        string? CampaignId);
}
