namespace CrmKernel.ContactPoints;

/// <summary>The kinds of contact point a party can have.</summary>
public enum ContactPointKind
{
    /// <summary>An email address (<see cref="EmailAddress"/>).</summary>
    Email = 1,

    /// <summary>A telephone number in E.164 form (<see cref="PhoneNumber"/>).</summary>
    Phone = 2,

    /// <summary>A postal address (<see cref="PostalAddress"/>).</summary>
    PostalAddress = 3,

    /// <summary>A handle on a social network (<see cref="SocialHandle"/>).</summary>
    SocialHandle = 4,
}
