namespace CrmKernel.Diagnostics;

/// <summary>
/// Every stable error code the kernel raises, in one place. Codes never change meaning once shipped;
/// match on them (via <see cref="CrmException.ErrorCode"/>) rather than on messages. docs/errors.md
/// lists them with what to do about each.
/// </summary>
public static class CrmErrorCodes
{
    /// <summary>
    /// An argument is longer, or holds more items, than its documented limit (docs/limits.md); raised as
    /// <see cref="InputLimitExceededException"/>, an <see cref="System.ArgumentException"/>.
    /// </summary>
    public const string InputLimitExceeded = "CRM-INPUT-001";

    /// <summary>Two amounts in different currencies were combined or compared.</summary>
    public const string CurrencyMismatch = "CRM-MONEY-001";

    /// <summary>An amount had to be converted and the exchange-rate provider has no rate for the pair on the date.</summary>
    public const string ExchangeRateNotFound = "CRM-MONEY-002";

    /// <summary>The customer already has this contact point (same kind and normalised value).</summary>
    public const string DuplicateContactPoint = "CRM-CUSTOMER-001";

    /// <summary>The customer has no such contact point.</summary>
    public const string ContactPointNotFound = "CRM-CUSTOMER-002";

    /// <summary>The customer already has an external identifier with this source and key.</summary>
    public const string DuplicateExternalIdentifier = "CRM-CUSTOMER-003";

    /// <summary>The customer has no external identifier with this source and key.</summary>
    public const string ExternalIdentifierNotFound = "CRM-CUSTOMER-004";

    /// <summary>The customer already carries this tag.</summary>
    public const string DuplicateTag = "CRM-CUSTOMER-005";

    /// <summary>The customer does not carry this tag.</summary>
    public const string TagNotFound = "CRM-CUSTOMER-006";

    /// <summary>The customer has no custom attribute with this name.</summary>
    public const string CustomAttributeNotFound = "CRM-CUSTOMER-007";

    /// <summary>The profile given is for the other party kind (a person profile for an organisation, or the reverse).</summary>
    public const string PartyKindMismatch = "CRM-CUSTOMER-008";

    /// <summary>The customer has reached a limit (contact points, identifiers, tags or attributes).</summary>
    public const string CustomerLimitExceeded = "CRM-CUSTOMER-009";

    /// <summary>No customer of the tenant has the id asked for.</summary>
    public const string CustomerNotFound = "CRM-CUSTOMER-010";

    /// <summary>A different touchpoint is already stored under the same source key; nothing was stored.</summary>
    public const string TouchpointConflict = "CRM-TOUCHPOINT-001";

    /// <summary>The same relationship type already links the same two parties during the period.</summary>
    public const string DuplicateRelationship = "CRM-RELATIONSHIP-001";

    /// <summary>The link would close a cycle in a hierarchy (e.g. a company becoming its own parent's parent).</summary>
    public const string HierarchyCycle = "CRM-RELATIONSHIP-002";

    /// <summary>The party already has a parent of that hierarchical type during the period.</summary>
    public const string HierarchyParentExists = "CRM-RELATIONSHIP-003";

    /// <summary>A party would have two primary relationships of one type at the same instant.</summary>
    public const string DuplicatePrimaryRelationship = "CRM-RELATIONSHIP-004";

    /// <summary>The relationship has already ended, or the end is not after its start.</summary>
    public const string RelationshipAlreadyEnded = "CRM-RELATIONSHIP-005";

    /// <summary>No relationship of the tenant has the id asked for.</summary>
    public const string RelationshipNotFound = "CRM-RELATIONSHIP-006";

    /// <summary>Stored state could not be turned back into a valid aggregate (e.g. a hand-edited row).</summary>
    public const string InvalidStoredState = "CRM-STORE-001";

    /// <summary>A write was made from a stale version (optimistic concurrency); nothing was stored.</summary>
    public const string ConcurrencyConflict = "CRM-STORE-002";

    /// <summary>Another customer of the tenant already holds the external identifier; nothing was stored.</summary>
    public const string ExternalIdentifierInUse = "CRM-STORE-003";

    /// <summary>The store's schema is newer than the code understands.</summary>
    public const string UnsupportedSchemaVersion = "CRM-STORE-004";

    /// <summary>A lifecycle rule refers to a stage the model does not declare.</summary>
    public const string LifecycleUndeclaredStage = "CRM-LIFECYCLE-001";

    /// <summary>A declared lifecycle stage cannot be reached from the model's initial stage.</summary>
    public const string LifecycleUnreachableStage = "CRM-LIFECYCLE-002";

    /// <summary>Two lifecycle rules could fire on the same trigger from the same stage.</summary>
    public const string LifecycleAmbiguousTrigger = "CRM-LIFECYCLE-003";

    /// <summary>Inactivity rules form a cycle, so time alone could move a customer round forever.</summary>
    public const string LifecycleInactivityCycle = "CRM-LIFECYCLE-004";

    /// <summary>Two lifecycle rules have the same name, or a stage is declared twice.</summary>
    public const string LifecycleDuplicateDeclaration = "CRM-LIFECYCLE-005";

    /// <summary>The lifecycle model does not allow the transition asked for from the customer's stage; nothing changed.</summary>
    public const string IllegalLifecycleTransition = "CRM-LIFECYCLE-006";

    /// <summary>A consent entry names a contact point the customer does not hold.</summary>
    public const string ConsentContactPointNotHeld = "CRM-CONSENT-001";

    /// <summary>A withdrawal was recorded for a scope whose current entry is not a grant.</summary>
    public const string ConsentNotGranted = "CRM-CONSENT-002";

    /// <summary>A consent entry was captured before the entry of the same scope it would supersede.</summary>
    public const string ConsentOutOfOrder = "CRM-CONSENT-003";

    /// <summary>The customer's consent ledger holds the most entries allowed.</summary>
    public const string ConsentLedgerFull = "CRM-CONSENT-004";

    /// <summary>No channel adapter is registered for the channel id asked for.</summary>
    public const string ChannelNotRegistered = "CRM-CHANNEL-001";

    /// <summary>Two channel adapters declare the same channel id.</summary>
    public const string DuplicateChannel = "CRM-CHANNEL-002";

    /// <summary>The channel cannot send outbound messages.</summary>
    public const string ChannelCannotSend = "CRM-CHANNEL-003";

    /// <summary>The driver links of a metric hierarchy form a cycle.</summary>
    public const string MetricHierarchyCycle = "CRM-METRIC-001";

    /// <summary>A driver link, identity or target names a metric the hierarchy does not define.</summary>
    public const string UnknownMetric = "CRM-METRIC-002";

    /// <summary>A driver link points down a level (from a higher-level metric to a lower-level one).</summary>
    public const string MetricLinkPointsDown = "CRM-METRIC-003";

    /// <summary>Two metric definitions share an id, or two driver links join the same pair of metrics.</summary>
    public const string DuplicateMetric = "CRM-METRIC-004";

    /// <summary>A customer-base model was asked to fit data without customers (an empty summary, cohorts of size zero, no weighted histories).</summary>
    public const string ModelWithoutCustomers = "CRM-MODEL-001";

    /// <summary>
    /// Nobody in the data has a transaction the model's likelihood is built from (Gamma-Gamma: no repeat buyer with a
    /// positive mean repeat spend), so there is nothing to fit.
    /// </summary>
    public const string ModelWithoutTransactions = "CRM-MODEL-002";

    /// <summary>The sales stage named is not a stage of the opportunity's pipeline.</summary>
    public const string UnknownSalesStage = "CRM-SALES-001";

    /// <summary>The opportunity is already in the stage it was asked to move to.</summary>
    public const string OpportunityAlreadyInStage = "CRM-SALES-002";

    /// <summary>The opportunity is closed (won or lost): it cannot be moved, edited or closed again.</summary>
    public const string OpportunityClosed = "CRM-SALES-003";

    /// <summary>Only a lost opportunity can be reopened: this one is open, or won (its purchase is recorded).</summary>
    public const string OpportunityCannotReopen = "CRM-SALES-004";

    /// <summary>An opportunity cannot be won without line items (nothing was sold).</summary>
    public const string OpportunityWithoutLineItems = "CRM-SALES-005";

    /// <summary>The opportunity has reached a limit (line items, contact roles or stage history).</summary>
    public const string OpportunityLimitExceeded = "CRM-SALES-006";

    /// <summary>A pipeline revision would remove a stage; stages can be added, renamed and reordered, never removed.</summary>
    public const string SalesStageRemoved = "CRM-SALES-007";

    /// <summary>No opportunity of the tenant has the id asked for.</summary>
    public const string OpportunityNotFound = "CRM-SALES-008";

    /// <summary>No sales pipeline of the tenant has the id asked for.</summary>
    public const string SalesPipelineNotFound = "CRM-SALES-009";

    /// <summary>A contact role names a party that is not related to the opportunity's customer (per the relationship graph).</summary>
    public const string ContactNotRelated = "CRM-SALES-010";

    /// <summary>The opportunity already has this contact in this role, or has no such contact role or line item to remove.</summary>
    public const string OpportunityItemConflict = "CRM-SALES-011";

    /// <summary>A purchase was asked for a deal that is not won.</summary>
    public const string OpportunityNotWon = "CRM-SALES-012";

    /// <summary>The case's status does not allow this step (e.g. resolving a new case, closing one that is not resolved, resuming one that is not waiting).</summary>
    public const string CaseTransitionRefused = "CRM-CASE-001";

    /// <summary>The case is resolved or closed: it cannot be assigned, answered, given touchpoints or escalated.</summary>
    public const string CaseNotActive = "CRM-CASE-002";

    /// <summary>Only a resolved case can be reopened, and only within the reopen window after its resolution.</summary>
    public const string CaseCannotReopen = "CRM-CASE-003";

    /// <summary>A case merges only into another case of the same tenant and customer, neither of them closed.</summary>
    public const string CaseMergeRefused = "CRM-CASE-004";

    /// <summary>The case has reached a limit (touchpoints, status history or escalation level).</summary>
    public const string CaseLimitExceeded = "CRM-CASE-005";

    /// <summary>No case of the tenant has the id asked for.</summary>
    public const string CaseNotFound = "CRM-CASE-006";

    /// <summary>The touchpoint a case is opened from or given does not exist, or belongs to another customer.</summary>
    public const string CaseTouchpointInvalid = "CRM-CASE-007";

    /// <summary>The touchpoint is already attached to the case.</summary>
    public const string CaseTouchpointAlreadyAttached = "CRM-CASE-008";

    /// <summary>A case was opened under an SLA policy name the case service has not registered (<c>CaseServiceOptions.SlaPolicies</c>), or a stored case names one no longer registered.</summary>
    public const string CaseSlaPolicyUnknown = "CRM-CASE-009";

    /// <summary>A segment rule names a custom attribute the host has not declared in its segment vocabulary.</summary>
    public const string SegmentUnknownAttribute = "CRM-SEG-001";

    /// <summary>A segment rule names a customer score the host has not declared in its segment vocabulary.</summary>
    public const string SegmentUnknownScore = "CRM-SEG-002";

    /// <summary>A segment rule compares an attribute with a value of another type, or with an operator its type does not support.</summary>
    public const string SegmentTypeMismatch = "CRM-SEG-003";

    /// <summary>A segment rule refers to a segment that has not been defined.</summary>
    public const string SegmentUnknownReference = "CRM-SEG-004";

    /// <summary>Segments would refer to each other in a cycle (directly or through others).</summary>
    public const string SegmentCycle = "CRM-SEG-005";

    /// <summary>A segment rule has more clauses, or is nested deeper, than the documented limits.</summary>
    public const string SegmentRuleTooLarge = "CRM-SEG-006";

    /// <summary>The segment (or the requested version of it) has not been defined.</summary>
    public const string SegmentNotFound = "CRM-SEG-007";
    /// <summary>An import row has no value in a column the mapping requires (the customer key, a name, a touchpoint field).</summary>
    public const string ImportMissingValue = "CRM-IMPORT-001";

    /// <summary>An import row's email column holds no valid email address (the rules of <c>EmailAddress.Parse</c>).</summary>
    public const string ImportInvalidEmail = "CRM-IMPORT-002";

    /// <summary>An import row's phone column holds no valid phone number (the rules of <c>PhoneNumber.Parse</c>).</summary>
    public const string ImportInvalidPhone = "CRM-IMPORT-003";

    /// <summary>An import row's cell is not a valid value of its column (a name, key, tag, channel, kind, function, direction, number or amount).</summary>
    public const string ImportInvalidValue = "CRM-IMPORT-004";

    /// <summary>An import row's date or time cell cannot be read in the mapping's format.</summary>
    public const string ImportInvalidDate = "CRM-IMPORT-005";

    /// <summary>The import source has no column the mapping names; nothing of the source was imported.</summary>
    public const string ImportMissingColumn = "CRM-IMPORT-006";

    /// <summary>An import row has fewer or more cells than the source has columns (e.g. a CSV line with a missing or extra separator).</summary>
    public const string ImportCellCount = "CRM-IMPORT-007";

    /// <summary>The prediction market is not open at that instant (closed, past its closing time, or settled): it takes no trades, no grants and cannot be closed again.</summary>
    public const string MarketNotOpen = "CRM-MARKET-001";

    /// <summary>The trade costs more points than the participant's balance holds; balances never go below zero.</summary>
    public const string MarketInsufficientPoints = "CRM-MARKET-002";

    /// <summary>The participant sells more shares of the outcome than they hold.</summary>
    public const string MarketInsufficientShares = "CRM-MARKET-003";

    /// <summary>The prediction market is already resolved or voided: it settles once.</summary>
    public const string MarketSettled = "CRM-MARKET-004";

    /// <summary>The prediction market has no outcome with that index.</summary>
    public const string MarketUnknownOutcome = "CRM-MARKET-005";

    /// <summary>The trade would take the market beyond its bounds (too many shares of an outcome, or two outcomes' quantities too far apart for prices to stay strictly between 0 and 1).</summary>
    public const string MarketBoundExceeded = "CRM-MARKET-006";

    /// <summary>The trade's idempotency key was already used in this market for a different trade (another customer, outcome or number of shares).</summary>
    public const string MarketTradeKeyConflict = "CRM-MARKET-007";

    /// <summary>No prediction market of the tenant has the id asked for.</summary>
    public const string MarketNotFound = "CRM-MARKET-008";

    /// <summary>The prediction market has reached its participant limit.</summary>
    public const string MarketLimitExceeded = "CRM-MARKET-009";
    /// <summary>An idea's status change is not allowed by the workflow (e.g. Submitted straight to Shipped).</summary>
    public const string IdeaIllegalTransition = "CRM-IDEA-001";

    /// <summary>The idea is shipped, declined or merged; it no longer changes (no status change, no comment, no vote).</summary>
    public const string IdeaClosed = "CRM-IDEA-002";

    /// <summary>An idea cannot be merged into itself.</summary>
    public const string IdeaMergeIntoItself = "CRM-IDEA-003";

    /// <summary>A change to an idea is dated before its last change.</summary>
    public const string IdeaTimeOrder = "CRM-IDEA-004";

    /// <summary>The idea (or the idea merged into) does not exist in the tenant.</summary>
    public const string IdeaNotFound = "CRM-IDEA-005";

    /// <summary>A voice record arrived under a source key already recorded with different content.</summary>
    public const string IdeaVoiceConflict = "CRM-IDEA-006";

    /// <summary>The loop can be closed only for a shipped or declined idea.</summary>
    public const string IdeaNotDecided = "CRM-IDEA-007";

    /// <summary>The idea to merge into is closed (shipped, declined or merged itself).</summary>
    public const string IdeaMergeTargetClosed = "CRM-IDEA-008";
    /// <summary>A customer cannot be erased: a lawful hold (the host's, e.g. an open invoice, or the kernel's open service case) keeps their data.</summary>
    public const string ErasureOnHold = "CRM-PRIV-001";
    /// <summary>A customer cannot be merged with itself.</summary>
    public const string MergeWithItself = "CRM-MERGE-001";

    /// <summary>A person and an organisation cannot be merged.</summary>
    public const string MergePartyKindMismatch = "CRM-MERGE-002";

    /// <summary>The customer was merged away: it can be neither merged again nor written to until the merge is undone.</summary>
    public const string CustomerMergedAway = "CRM-MERGE-003";

    /// <summary>The tenant has no such merge.</summary>
    public const string MergeNotFound = "CRM-MERGE-004";

    /// <summary>The merge's survivor was merged away since; undo that later merge first.</summary>
    public const string UnmergeSurvivorMergedAway = "CRM-MERGE-005";

    /// <summary>The merge record was redacted by the erasure of one of its customers, so the merge cannot be undone.</summary>
    public const string UnmergeRedacted = "CRM-MERGE-006";

    /// <summary>A customer to merge (on either side) was erased: an erased shell is never merged, so no personal data is attached to it again.</summary>
    public const string MergeOfErased = "CRM-MERGE-007";

    /// <summary>The customer to erase was merged away: its data lives in the survivor; erase the survivor instead.</summary>
    public const string ErasureOfMergedAway = "CRM-PRIV-002";
}
