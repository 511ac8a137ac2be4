using CrmKernel.Diagnostics;

namespace CrmKernel.Channels;

/// <summary>What a message says: an optional subject and a body. Templating and rendering are the host's.</summary>
public sealed class MessageContent
{
    /// <summary>The longest subject accepted.</summary>
    public const int MaxSubjectLength = 256;

    /// <summary>The longest body accepted.</summary>
    public const int MaxBodyLength = 100_000;

    /// <summary>Creates content.</summary>
    /// <param name="body">The body text (1 to 100,000 characters).</param>
    /// <param name="subject">The subject, or null for channels without one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException">The body is empty or too long, or the subject is blank or too long.</exception>
    public MessageContent(string body, string? subject = null)
    {
        Preconditions.NotNull(body);
        Preconditions.MaxLength(body, MaxBodyLength);
        Preconditions.MaxLength(subject?.Trim() ?? string.Empty, MaxSubjectLength, nameof(subject));
        Preconditions.Check(body.Length is > 0 and <= MaxBodyLength, $"A body is 1 to {MaxBodyLength} characters.", nameof(body));
        Preconditions.Check(subject is null || (subject.Trim().Length is > 0 and <= MaxSubjectLength), $"A subject is 1 to {MaxSubjectLength} characters.", nameof(subject));
        Body = body;
        Subject = subject?.Trim();
    }

    /// <summary>The body.</summary>
    public string Body { get; }

    /// <summary>The subject, or null.</summary>
    public string? Subject { get; }
}
