using CrmKernel.Cases;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>One case's part of a <see cref="CaseCommit"/>: its key columns, the version it was read at and its new document.</summary>
public sealed class CaseWrite
{
    internal CaseWrite(ServiceCase serviceCase, string document)
    {
        CaseId = serviceCase.Id;
        CustomerId = serviceCase.CustomerId;
        Status = serviceCase.Status;
        ExpectedVersion = serviceCase.Version;
        Document = document;
    }

    /// <summary>The case's id (the key).</summary>
    public CaseId CaseId { get; }

    /// <summary>The case's customer (index it: cases are listed per customer).</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The case's status after the commit (index it: cases are listed per status).</summary>
    public CaseStatus Status { get; }

    /// <summary>The version the change was made from: 0 means insert.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version stored by this commit (<see cref="ExpectedVersion"/> + 1).</summary>
    public long NewVersion => ExpectedVersion + 1;

    /// <summary>True when this write inserts a new case.</summary>
    public bool IsInsert => ExpectedVersion == 0;

    /// <summary>The new state; store it verbatim and read it back with <see cref="CaseDocuments.Read(TenantId, CaseId, CustomerId, string, string)"/>.</summary>
    public string Document { get; }
}
