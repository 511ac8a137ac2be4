using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Touchpoints;

/// <summary>
/// Someone who took part in a contact besides the customer it is recorded on: another customer (a colleague
/// on the call, the person referred) or a member of staff (by the host's user id), with their role such as
/// <c>agent</c>, <c>account-manager</c>, <c>cc</c> or <c>referred</c>.
/// </summary>
public sealed class TouchpointParticipant : IEquatable<TouchpointParticipant>
{
    /// <summary>The longest staff user id accepted.</summary>
    public const int MaxUserIdLength = 128;

    /// <summary>The most characters a participant's role has, after normalisation.</summary>
    public const int MaxRoleLength = 64;

    private TouchpointParticipant(string role, CustomerId? customerId, string? userId)
    {
        Role = role;
        CustomerId = customerId;
        UserId = userId;
    }

    /// <summary>The participant's role, normalised like a tag.</summary>
    public string Role { get; }

    /// <summary>The participating customer, when the participant is one.</summary>
    public CustomerId? CustomerId { get; }

    /// <summary>The host's user id of the participating member of staff, when the participant is one.</summary>
    public string? UserId { get; }

    /// <summary>A participating customer.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is null.</exception>
    /// <exception cref="ArgumentException">The role is invalid or the id is the default.</exception>
    /// <exception cref="InputLimitExceededException">The role is longer than <see cref="MaxRoleLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static TouchpointParticipant Customer(CustomerId customerId, string role)
        => new(Slug.Require(role, MaxRoleLength, "role", nameof(role)), Preconditions.NotDefault(customerId), null);

    /// <summary>A participating member of staff, by the host's user id.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The role or user id is invalid.</exception>
    /// <exception cref="InputLimitExceededException">The user id is longer than <see cref="MaxUserIdLength"/> or the role than <see cref="MaxRoleLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static TouchpointParticipant Staff(string userId, string role)
    {
        Preconditions.NotNull(userId);
        var trimmed = userId.Trim();
        Preconditions.MaxLength(trimmed, MaxUserIdLength, nameof(userId));
        Preconditions.Check(trimmed.Length > 0 && !Preconditions.HasControlCharacter(trimmed), $"A user id is 1 to {MaxUserIdLength} characters without control characters.", nameof(userId));
        return new(Slug.Require(role, MaxRoleLength, "role", nameof(role)), null, trimmed);
    }

    /// <inheritdoc />
    public bool Equals(TouchpointParticipant? other)
        => other is not null && Role == other.Role && CustomerId == other.CustomerId && UserId == other.UserId;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TouchpointParticipant);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Role, CustomerId, UserId);
}
