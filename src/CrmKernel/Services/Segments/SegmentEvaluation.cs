using CrmKernel.Consent;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Segments;

/// <summary>
/// One evaluation of one rule as of one instant: the rule compiled into nodes (referenced segments inlined), evaluated a
/// page of customers at a time. Each node narrows a candidate mask: "and" runs its children cheapest first on the
/// survivors of the ones before, so touchpoint, relationship and score reads happen only for customers every cheaper
/// clause kept.
/// </summary>
internal sealed class SegmentEvaluation
{
    private readonly Dictionary<SegmentId, Node> _compiled = [];
    private readonly HashSet<SegmentId> _compiling = [];

    public SegmentEvaluation(TenantId tenant, Instant asOf, ISegmentStore segments, ICustomerStore customers, ITouchpointStore touchpoints, IRelationshipStore? relationships, ICustomerScoreSource? scores, CancellationToken cancellationToken)
    {
        Tenant = tenant;
        AsOf = asOf;
        Segments = segments;
        Customers = customers;
        Touchpoints = touchpoints;
        Relationships = relationships;
        Scores = scores;
        CancellationToken = cancellationToken;
    }

    public TenantId Tenant { get; }

    public Instant AsOf { get; }

    public ISegmentStore Segments { get; }

    public ICustomerStore Customers { get; }

    public ITouchpointStore Touchpoints { get; }

    public IRelationshipStore? Relationships { get; }

    public ICustomerScoreSource? Scores { get; }

    public CancellationToken CancellationToken { get; }

    public Node Root { get; private set; } = null!;

    public async ValueTask CompileRootAsync(SegmentRule rule) => Root = await CompileAsync(rule).ConfigureAwait(false);

    /// <summary>Evaluates the root over a page of customers, returning the mask of members.</summary>
    public async ValueTask<bool[]> EvaluateAsync(IReadOnlyList<CustomerSnapshot> customers, Node node)
    {
        var page = new Page(this, customers);
        var candidates = new bool[customers.Count];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = customers[i].CreatedAt <= AsOf;
        }

        var result = new bool[customers.Count];
        await node.EvaluateAsync(page, candidates, result).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<Node> CompileAsync(SegmentRule rule)
    {
        switch (rule)
        {
            case AllOfRule all:
                return new AndNode(await CompileAllAsync(all.Children).ConfigureAwait(false));
            case AnyOfRule any:
                return new OrNode(await CompileAllAsync(any.Children).ConfigureAwait(false));
            case NotRule not:
                return new NotNode(await CompileAsync(not.Rule).ConfigureAwait(false));
            case InSegmentRule reference:
                return await ReferenceAsync(reference.Segment).ConfigureAwait(false);
            case RelatedToSegmentRule related:
                return new RelatedNode(related.RelationshipType, await ReferenceAsync(related.Segment).ConfigureAwait(false));
            case HasRelationshipRule has:
                return new RelatedNode(has.RelationshipType, null);
            case PartyKindRule kind:
                return new TestNode(1, (c, _) => c.Profile.Kind == kind.Kind);
            case HasTagRule tag:
                return new TestNode(1, (c, _) => c.Tags.Contains(tag.Tag));
            case LifecycleStageRule stage:
                var stages = stage.Stages.ToArray();
                return new TestNode(1, (c, at) => StageAt(c, at).Stage is { } s && Array.BinarySearch(stages, s) >= 0);
            case TimeInStageRule time:
                return new TestNode(1, (c, at) =>
                {
                    var (s, since) = StageAt(c, at);
                    var inStage = at - since;
                    return s is not null && (time.Bound == SegmentBound.AtLeast ? inStage >= time.Duration : inStage <= time.Duration);
                });
            case AttributeRule attribute:
                return new TestNode(2, (c, _) => Matches(attribute, c));
            case ContactConsentRule consent:
                return new TestNode(3, (c, at) => MayContact(consent, c, at));
            case ScoreRule score:
                return new ScoreNode(score);
            case RecencyRule recency:
                return new TouchpointNode((rows, at) =>
                {
                    var from = at - recency.Within;
                    foreach (ref readonly var row in rows)
                    {
                        if (row.OccurredAt >= from && (recency.Kind is not { } k || row.Kind == k) && (recency.Function is not { } f || row.Function == f))
                        {
                            return true;
                        }
                    }

                    return false;
                });
            case TouchpointCountRule count:
                return new TouchpointNode((rows, at) =>
                {
                    var from = at - count.Window;
                    var n = 0;
                    foreach (ref readonly var row in rows)
                    {
                        if (row.OccurredAt >= from && (count.Kind is not { } k || row.Kind == k) && ++n >= count.AtLeast)
                        {
                            return true;
                        }
                    }

                    return false;
                });
            case SpendRule spend:
                return new TouchpointNode((rows, at) =>
                {
                    var from = at - spend.Window;
                    var currency = spend.AtLeast.Currency;
                    var sum = 0m;
                    foreach (ref readonly var row in rows)
                    {
                        if (row.OccurredAt >= from && row.Revenue is { } revenue && revenue.Currency == currency)
                        {
                            sum += revenue.Amount;
                        }
                    }

                    return sum >= spend.AtLeast.Amount;
                });
            case ChannelUsedRule channel:
                return new TouchpointNode((rows, at) =>
                {
                    var from = at - channel.Window;
                    foreach (ref readonly var row in rows)
                    {
                        if (row.OccurredAt >= from && row.Channel == channel.Channel)
                        {
                            return true;
                        }
                    }

                    return false;
                });
            default:
                throw new NotSupportedException($"The segment clause {rule.GetType().Name} is not supported by this evaluator.");
        }
    }

    private async ValueTask<Node[]> CompileAllAsync(IReadOnlyList<SegmentRule> rules)
    {
        var nodes = new Node[rules.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = await CompileAsync(rules[i]).ConfigureAwait(false);
        }

        // Cheapest first; the sort is stable so equal costs keep the rule's order.
        return [.. nodes.OrderBy(static n => n.Cost)];
    }

    private async ValueTask<Node> ReferenceAsync(SegmentId segment)
    {
        if (_compiled.TryGetValue(segment, out var known))
        {
            return known;
        }

        if (!_compiling.Add(segment))
        {
            // Definitions are checked for cycles when saved; a cycle here means the store was changed behind the service.
            throw new SegmentRuleException(CrmErrorCodes.SegmentCycle, $"Segment {segment} refers to itself through other segments.");
        }

        var definition = await Segments.FindAsync(Tenant, segment, null, CancellationToken).ConfigureAwait(false)
            ?? throw new SegmentRuleException(CrmErrorCodes.SegmentUnknownReference, $"The segment {segment} is not defined.");
        var node = await CompileAsync(definition.Rule).ConfigureAwait(false);
        _compiling.Remove(segment);
        _compiled[segment] = node;
        return node;
    }

    /// <summary>The customer's lifecycle stage at an instant and since when it has been in it, read from the stage history.</summary>
    internal static (LifecycleStage? Stage, Instant Since) StageAt(CustomerSnapshot customer, Instant at)
    {
        var history = customer.LifecycleHistory;
        if (history.Count == 0)
        {
            return (customer.LifecycleStage, customer.CreatedAt);
        }

        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].At <= at)
            {
                return (history[i].To, history[i].At);
            }
        }

        return (history[0].From, customer.CreatedAt);
    }

    internal static bool Matches(AttributeRule rule, CustomerSnapshot customer)
    {
        if (!customer.CustomAttributes.TryGetValue(rule.Name, out var value))
        {
            return false;
        }

        var values = rule.Values;
        switch (rule.Comparison)
        {
            case SegmentComparison.Exists:
                return true;
            case SegmentComparison.Equal:
                return value.Equals(values[0]);
            case SegmentComparison.NotEqual:
                return !value.Equals(values[0]);
            case SegmentComparison.In:
                for (var i = 0; i < values.Count; i++)
                {
                    if (value.Equals(values[i]))
                    {
                        return true;
                    }
                }

                return false;
            default:
                if (Compare(value, values[0]) is not { } order)
                {
                    return false;
                }

                return rule.Comparison switch
                {
                    SegmentComparison.LessThan => order < 0,
                    SegmentComparison.LessThanOrEqual => order <= 0,
                    SegmentComparison.GreaterThan => order > 0,
                    _ => order >= 0,
                };
        }
    }

    internal static bool Compares(decimal value, SegmentComparison comparison, decimal threshold) => comparison switch
    {
        SegmentComparison.Equal => value == threshold,
        SegmentComparison.NotEqual => value != threshold,
        SegmentComparison.LessThan => value < threshold,
        SegmentComparison.LessThanOrEqual => value <= threshold,
        SegmentComparison.GreaterThan => value > threshold,
        _ => value >= threshold,
    };

    private static int? Compare(CustomAttributeValue value, CustomAttributeValue other)
    {
        if (value.Type != other.Type)
        {
            return null;
        }

        return value.Type switch
        {
            CustomAttributeType.Number => value.AsNumber().CompareTo(other.AsNumber()),
            CustomAttributeType.Date => value.AsDate().CompareTo(other.AsDate()),
            CustomAttributeType.Instant => value.AsInstant().CompareTo(other.AsInstant()),
            CustomAttributeType.Money when value.AsMoney().Currency == other.AsMoney().Currency => value.AsMoney().Amount.CompareTo(other.AsMoney().Amount),
            _ => null,
        };
    }

    private static bool MayContact(ContactConsentRule rule, CustomerSnapshot customer, Instant at)
    {
        CustomerContactPoint? chosen = null;
        foreach (var point in customer.ContactPoints)
        {
            if (point.Kind == rule.ContactPointKind && (chosen is null || (point.IsPrimary && !chosen.IsPrimary)))
            {
                chosen = point;
            }
        }

        if (chosen is null || customer.Consents.Count == 0)
        {
            return false;
        }

        var ledger = new ConsentLedger([.. customer.Consents]);
        return ledger.Decide(rule.Purpose, rule.Channel, chosen.Value, at).IsAllowed;
    }

    /// <summary>A page of customers being evaluated, with the touchpoint rows loaded for it so far.</summary>
    internal sealed class Page
    {
        private TouchpointScanRow[] _rows = [];
        private readonly int[] _start;
        private readonly int[] _count;
        private readonly bool[] _loaded;

        public Page(SegmentEvaluation evaluation, IReadOnlyList<CustomerSnapshot> customers)
        {
            Evaluation = evaluation;
            Customers = customers;
            _start = new int[customers.Count];
            _count = new int[customers.Count];
            _loaded = new bool[customers.Count];
        }

        public SegmentEvaluation Evaluation { get; }

        public IReadOnlyList<CustomerSnapshot> Customers { get; }

        public ReadOnlySpan<TouchpointScanRow> RowsOf(int index) => _rows.AsSpan(_start[index], _count[index]);

        /// <summary>Reads the touchpoints before the as-of instant of every candidate not read yet.</summary>
        public async ValueTask LoadTouchpointsAsync(bool[] candidates)
        {
            var wanted = new List<int>();
            for (var i = 0; i < candidates.Length; i++)
            {
                if (candidates[i] && !_loaded[i])
                {
                    wanted.Add(i);
                }
            }

            if (wanted.Count == 0)
            {
                return;
            }

            var index = new Dictionary<CustomerId, int>(wanted.Count);
            foreach (var i in wanted)
            {
                index[Customers[i].Id] = i;
                _loaded[i] = true;
            }

            var read = new List<(int Index, TouchpointScanRow Row)>();
            var evaluation = Evaluation;
            const int Chunk = ITouchpointScanStore.MaxCustomers;
            for (var offset = 0; offset < wanted.Count; offset += Chunk)
            {
                var ids = new CustomerId[Math.Min(Chunk, wanted.Count - offset)];
                for (var j = 0; j < ids.Length; j++)
                {
                    ids[j] = Customers[wanted[offset + j]].Id;
                }

                if (evaluation.Touchpoints is ITouchpointScanStore scan)
                {
                    await foreach (var batch in scan.StreamRowsByCustomerAsync(evaluation.Tenant, ids, evaluation.AsOf, evaluation.CancellationToken).ConfigureAwait(false))
                    {
                        foreach (var row in batch.Span)
                        {
                            read.Add((index[row.CustomerId], row));
                        }
                    }
                }
                else
                {
                    var filter = new TimelineFilter(ids, to: evaluation.AsOf);
                    await foreach (var touchpoints in evaluation.Touchpoints.TimelinePagesAsync(evaluation.Tenant, filter, StoreLimits.MaxPageSize, evaluation.CancellationToken).ConfigureAwait(false))
                    {
                        foreach (var touchpoint in touchpoints)
                        {
                            read.Add((index[touchpoint.CustomerId], TouchpointScanRow.From(touchpoint)));
                        }
                    }
                }
            }

            // Append the new rows grouped by customer (a counting sort by page position keeps each customer's order).
            var isNew = new bool[Customers.Count];
            foreach (var i in wanted)
            {
                isNew[i] = true;
            }

            var counts = new int[Customers.Count];
            foreach (var (i, _) in read)
            {
                counts[i]++;
            }

            var used = 0;
            for (var i = 0; i < _count.Length; i++)
            {
                used += isNew[i] ? 0 : _count[i];
            }

            var previous = _rows;
            var rows = new TouchpointScanRow[used + read.Count];
            var next = 0;
            for (var i = 0; i < _count.Length; i++)
            {
                if (isNew[i])
                {
                    _start[i] = next;
                    _count[i] = 0;
                    next += counts[i];
                }
                else if (_count[i] > 0)
                {
                    previous.AsSpan(_start[i], _count[i]).CopyTo(rows.AsSpan(next));
                    _start[i] = next;
                    next += _count[i];
                }
            }

            foreach (var (i, row) in read)
            {
                rows[_start[i] + _count[i]++] = row;
            }

            _rows = rows;
        }
    }

    /// <summary>A compiled rule: sets <c>result[i]</c> for every <c>candidates[i]</c> (leaving the others false).</summary>
    internal abstract class Node
    {
        public abstract int Cost { get; }

        public abstract ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result);
    }

    private sealed class TestNode(int cost, Func<CustomerSnapshot, Instant, bool> test) : Node
    {
        public override int Cost => cost;

        public override ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result)
        {
            var customers = page.Customers;
            var at = page.Evaluation.AsOf;
            for (var i = 0; i < candidates.Length; i++)
            {
                result[i] = candidates[i] && test(customers[i], at);
            }

            return ValueTask.CompletedTask;
        }
    }

    private delegate bool RowTest(ReadOnlySpan<TouchpointScanRow> rows, Instant asOf);

    private sealed class TouchpointNode(RowTest test) : Node
    {
        public override int Cost => 5;

        public override async ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result)
        {
            await page.LoadTouchpointsAsync(candidates).ConfigureAwait(false);
            var at = page.Evaluation.AsOf;
            for (var i = 0; i < candidates.Length; i++)
            {
                result[i] = candidates[i] && test(page.RowsOf(i), at);
            }
        }
    }

    private sealed class ScoreNode(ScoreRule rule) : Node
    {
        public override int Cost => 4;

        public override async ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result)
        {
            var evaluation = page.Evaluation;
            var source = evaluation.Scores ?? throw new NotSupportedException("Score clauses need a customer score source (ICustomerScoreSource).");
            var positions = new List<int>();
            var ids = new List<CustomerId>();
            for (var i = 0; i < candidates.Length; i++)
            {
                result[i] = false;
                if (candidates[i])
                {
                    positions.Add(i);
                    ids.Add(page.Customers[i].Id);
                }
            }

            if (ids.Count == 0)
            {
                return;
            }

            var scores = new decimal?[ids.Count];
            await source.ReadScoresAsync(evaluation.Tenant, rule.Score, ids, evaluation.AsOf, scores, evaluation.CancellationToken).ConfigureAwait(false);
            for (var j = 0; j < scores.Length; j++)
            {
                result[positions[j]] = scores[j] is { } score && Compares(score, rule.Comparison, rule.Threshold);
            }
        }
    }

    private sealed class AndNode(Node[] children) : Node
    {
        public override int Cost { get; } = children.Sum(static c => c.Cost);

        public override async ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result)
        {
            var alive = (bool[])candidates.Clone();
            var part = new bool[candidates.Length];
            foreach (var child in children)
            {
                await child.EvaluateAsync(page, alive, part).ConfigureAwait(false);
                var any = false;
                for (var i = 0; i < alive.Length; i++)
                {
                    alive[i] = alive[i] && part[i];
                    any |= alive[i];
                }

                if (!any)
                {
                    break;
                }
            }

            alive.CopyTo(result, 0);
        }
    }

    private sealed class OrNode(Node[] children) : Node
    {
        public override int Cost { get; } = children.Sum(static c => c.Cost);

        public override async ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result)
        {
            var open = (bool[])candidates.Clone();
            var part = new bool[candidates.Length];
            Array.Clear(result);
            foreach (var child in children)
            {
                await child.EvaluateAsync(page, open, part).ConfigureAwait(false);
                var any = false;
                for (var i = 0; i < open.Length; i++)
                {
                    if (open[i] && part[i])
                    {
                        result[i] = true;
                        open[i] = false;
                    }

                    any |= open[i];
                }

                if (!any)
                {
                    break;
                }
            }
        }
    }

    private sealed class NotNode(Node child) : Node
    {
        public override int Cost => child.Cost;

        public override async ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result)
        {
            var part = new bool[candidates.Length];
            await child.EvaluateAsync(page, candidates, part).ConfigureAwait(false);
            for (var i = 0; i < candidates.Length; i++)
            {
                result[i] = candidates[i] && !part[i];
            }
        }
    }

    /// <summary>Has a relationship of a type valid at the instant; with a target, to a member of the target segment.</summary>
    private sealed class RelatedNode(string type, Node? target) : Node
    {
        private readonly Dictionary<CustomerId, bool> _members = [];

        public override int Cost => 6 + (target?.Cost ?? 0);

        public override async ValueTask EvaluateAsync(Page page, bool[] candidates, bool[] result)
        {
            var evaluation = page.Evaluation;
            var store = evaluation.Relationships ?? throw new NotSupportedException("Relationship clauses need a relationship store (IRelationshipStore).");
            for (var i = 0; i < candidates.Length; i++)
            {
                result[i] = false;
                if (!candidates[i])
                {
                    continue;
                }

                var customer = page.Customers[i].Id;
                var relationships = await store.ListByPartyAsync(evaluation.Tenant, customer, evaluation.CancellationToken).ConfigureAwait(false);
                foreach (var relationship in relationships)
                {
                    if (relationship.Type.Id != type || !relationship.IsValidAt(evaluation.AsOf))
                    {
                        continue;
                    }

                    if (target is null || await IsMemberAsync(evaluation, relationship.Other(customer)).ConfigureAwait(false))
                    {
                        result[i] = true;
                        break;
                    }
                }
            }
        }

        private async ValueTask<bool> IsMemberAsync(SegmentEvaluation evaluation, CustomerId customer)
        {
            if (_members.TryGetValue(customer, out var known))
            {
                return known;
            }

            var snapshot = await evaluation.Customers.FindAsync(evaluation.Tenant, customer, evaluation.CancellationToken).ConfigureAwait(false);
            var member = snapshot is not null && (await evaluation.EvaluateAsync([snapshot], target!).ConfigureAwait(false))[0];
            _members[customer] = member;
            return member;
        }
    }
}
