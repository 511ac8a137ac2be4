namespace CrmKernel.Innovation;

/// <summary>Who brought an idea: a customer, or the company proposing a change for customers to weigh in on.</summary>
public enum IdeaOrigin
{
    /// <summary>A customer submitted it; <see cref="Idea.SubmittedBy"/> names them.</summary>
    Customer = 1,

    /// <summary>The company proposed it.</summary>
    Company = 2,
}
