using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference idea store: thread-safe, ideas, voice records and votes kept in memory per tenant. Ideas are kept as their
/// documents, so a caller changing an idea it read changes nothing stored. Registered with <c>builder.UseInMemoryStores()</c>;
/// data lives as long as the instance.
/// </summary>
public sealed class InMemoryIdeaStore : IIdeaStore
{
    private readonly TenantPartitions<TenantIdeas> _tenants = new();

    /// <inheritdoc />
    public ValueTask SaveAsync(Idea idea, int expectedVersion, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(idea);
        CheckExpected(idea, expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        var row = (idea.Version, IdeaDocuments.Write(idea));
        _tenants.Write(idea.TenantId, (idea.Id, expectedVersion, row), static (t, a) =>
        {
            Put(t, a.Id, a.expectedVersion, a.row);
            return true;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Idea?> FindAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        cancellationToken.ThrowIfCancellationRequested();
        var row = _tenants.Read(tenantId, idea, static (t, id) => t.Ideas.TryGetValue(id, out var r) ? r : ((int, string)?)null, null);
        return ValueTask.FromResult(row is { } r ? IdeaDocuments.Read(tenantId, idea, r.Item1, r.Item2) : null);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Idea>> PageAsync(TenantId tenantId, IdeaId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var rows = _tenants.Read(tenantId, (after, limit), static (t, a) => Page(t.Ideas, a.after, a.limit), []);
        return ValueTask.FromResult<IReadOnlyList<Idea>>([.. rows.Select(r => IdeaDocuments.Read(tenantId, r.Key, r.Value.Version, r.Value.Document))]);
    }

    /// <inheritdoc />
    public ValueTask<CustomerVoice> AddVoiceAsync(CustomerVoice voice, Idea? idea, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(voice);
        CheckVoiceIdea(voice, idea);
        cancellationToken.ThrowIfCancellationRequested();
        (int, string)? ideaRow = idea is null ? null : (idea.Version, IdeaDocuments.Write(idea));
        return ValueTask.FromResult(_tenants.Write(voice.TenantId, (voice, idea?.Id, ideaRow), static (t, a) =>
        {
            var key = a.voice.Source.ToString();
            if (t.VoiceKeys.TryGetValue(key, out var existing))
            {
                return t.Voices[existing];
            }

            if (a.Item2 is { } ideaId)
            {
                Put(t, ideaId, 0, a.ideaRow!.Value);
            }

            t.Voices.Add(a.voice.Id, a.voice);
            t.VoiceKeys.Add(key, a.voice.Id);
            return a.voice;
        }));
    }

    /// <inheritdoc />
    public ValueTask<CustomerVoice?> FindVoiceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, source.ToString(), static (t, key) => t.VoiceKeys.TryGetValue(key, out var id) ? t.Voices[id] : null, null));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerVoice>> PageVoicesAsync(TenantId tenantId, TouchpointId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<CustomerVoice>>(_tenants.Read(tenantId, (after, limit), static (t, a) => Page(t.Voices, a.after, a.limit).Select(p => p.Value).ToList(), []));
    }

    /// <inheritdoc />
    public ValueTask<IdeaVote?> FindVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        Preconditions.NotDefault(customer);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, (idea, customer), static (t, a) => t.Votes.TryGetValue(a.idea, out var votes) ? votes.GetValueOrDefault(a.customer) : null, null));
    }

    /// <inheritdoc />
    public ValueTask SetVoteAsync(IdeaVote vote, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(vote);
        cancellationToken.ThrowIfCancellationRequested();
        _tenants.Write(vote.TenantId, vote, static (t, vote) =>
        {
            if (!t.Votes.TryGetValue(vote.Idea, out var votes))
            {
                votes = [];
                t.Votes.Add(vote.Idea, votes);
            }

            votes[vote.Customer] = vote;
            return true;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        Preconditions.NotDefault(customer);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Write(tenantId, (idea, customer), static (t, a) => t.Votes.TryGetValue(a.idea, out var votes) && votes.Remove(a.customer)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IdeaVote>> PageVotesAsync(TenantId tenantId, IdeaId idea, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<IdeaVote>>(_tenants.Read(
            tenantId,
            (idea, after, limit),
            static (t, a) => t.Votes.TryGetValue(a.idea, out var votes) ? Page(votes, a.after, a.limit).Select(p => p.Value).ToList() : [],
            []));
    }

    internal static void CheckExpected(Idea idea, int expectedVersion)
    {
        if (expectedVersion < 0 || expectedVersion >= idea.Version)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "The expected version is 0 (new) or the version the idea was read at, below its current version.");
        }
    }

    internal static void CheckVoiceIdea(CustomerVoice voice, Idea? idea)
    {
        var ok = voice.Kind == VoiceKind.Idea
            ? idea is not null && idea.Id == voice.Idea && idea.TenantId == voice.TenantId && idea.Version == 1
            : idea is null;
        Preconditions.Check(ok, "An idea's voice record is stored with the new idea it submitted (version 1); feedback with none.", nameof(idea));
    }

    /// <summary>
    /// Rewrites what a customer wrote (their ideas' title and description, their comments' text, their voice records'
    /// title and text) under the tenant's lock, as part of an erasure: the rewrites are prepared first (reading can fail),
    /// <paramref name="inner"/> gets the counts (ideas, comments, voices) and runs, then they are stored (nothing fails).
    /// </summary>
    internal TResult EraseCustomer<TResult>(TenantId tenantId, CustomerId customerId, Func<int, int, int, TResult> inner)
        => _tenants.Write(tenantId, 0, (t, _) =>
        {
            var marker = customerId.ToString();
            var ideas = new List<(IdeaId Id, int Version, string Document)>();
            int own = 0, comments = 0;
            foreach (var (id, row) in t.Ideas)
            {
                if (row.Document.Contains(marker, StringComparison.Ordinal) && ErasureDocuments.EraseIdea(tenantId, id, row.Version, row.Document, customerId) is { } erased)
                {
                    ideas.Add((id, erased.Version, erased.Document));
                    own += erased.TextReplaced ? 1 : 0;
                    comments += erased.CommentsReplaced;
                }
            }

            var voices = new List<CustomerVoice>();
            foreach (var voice in t.Voices.Values)
            {
                if (ErasureDocuments.Erase(voice, customerId) is { } erased)
                {
                    voices.Add(erased);
                }
            }

            var result = inner(own, comments, voices.Count);
            foreach (var (id, version, document) in ideas)
            {
                t.Ideas[id] = (version, document);
            }

            foreach (var voice in voices)
            {
                t.Voices[voice.Id] = voice;
            }

            return result;
        });

    private static void Put(TenantIdeas t, IdeaId id, int expectedVersion, (int Version, string Document) row)
    {
        var stored = t.Ideas.TryGetValue(id, out var current) ? current.Version : 0;
        if (stored != expectedVersion)
        {
            throw new ConcurrencyConflictException("idea", id.ToString(), expectedVersion, stored == 0 ? null : stored);
        }

        t.Ideas[id] = row;
    }

    private static List<KeyValuePair<TKey, TValue>> Page<TKey, TValue>(SortedList<TKey, TValue> items, TKey? after, int limit)
        where TKey : struct, IComparable<TKey>
    {
        var keys = items.Keys;
        var (lo, hi) = (0, keys.Count);
        if (after is { } a)
        {
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                (lo, hi) = keys[mid].CompareTo(a) <= 0 ? (mid + 1, hi) : (lo, mid);
            }
        }

        var page = new List<KeyValuePair<TKey, TValue>>(Math.Min(limit, keys.Count - lo));
        for (var i = lo; i < keys.Count && page.Count < limit; i++)
        {
            page.Add(new(keys[i], items.Values[i]));
        }

        return page;
    }

    private sealed class TenantIdeas : ITenantPartition
    {
        public Lock Gate { get; } = new();

        public SortedList<IdeaId, (int Version, string Document)> Ideas { get; } = [];

        public SortedList<TouchpointId, CustomerVoice> Voices { get; } = [];

        public Dictionary<string, TouchpointId> VoiceKeys { get; } = new(StringComparer.Ordinal);

        public SortedList<IdeaId, SortedList<CustomerId, IdeaVote>> Votes { get; } = [];
    }
}
