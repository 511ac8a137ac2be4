using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>A comment on an idea, by a customer (who then counts as a contributor) or by the company (no author).</summary>
public sealed class IdeaComment : IEquatable<IdeaComment>
{
    /// <summary>The longest comment accepted.</summary>
    public const int MaxTextLength = 2000;

    /// <summary>Creates a comment (the aggregate does this; adapters rebuild one from a document).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is blank or the author is the default id.</exception>
    /// <exception cref="InputLimitExceededException">The text is longer than <see cref="MaxTextLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public IdeaComment(CustomerId? author, string text, Instant at)
    {
        Preconditions.Check(author is null || author.Value != default, "The author is the default id.", nameof(author));
        Text = Preconditions.MaxLength(Preconditions.NotBlank(text).Trim(), MaxTextLength, nameof(text));
        Author = author;
        At = at;
    }

    /// <summary>The customer who wrote it, or null for the company.</summary>
    public CustomerId? Author { get; }

    /// <summary>What it says.</summary>
    public string Text { get; }

    /// <summary>When it was written.</summary>
    public Instant At { get; }

    /// <inheritdoc />
    public bool Equals(IdeaComment? other) => other is not null && Author == other.Author && Text == other.Text && At == other.At;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdeaComment);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Author, Text, At);
}
