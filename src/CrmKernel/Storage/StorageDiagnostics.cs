using System.Diagnostics;
using CrmKernel.Diagnostics;

namespace CrmKernel.Storage;

/// <summary>The <c>crm.customer.commit</c> span: tenant, customer id, versions and event count, never the customer's data.</summary>
internal static class StorageDiagnostics
{
    public const string InsertTag = "crm.customer.insert";

    public static Activity? StartCommit(CustomerCommit commit)
    {
        var activity = CrmTracing.Start(CrmTracing.CustomerCommit, commit.Customer.TenantId.Value);
        if (activity is not null)
        {
            activity.SetTag(CrmTracing.CustomerTag, commit.Customer.Id.ToString());
            activity.SetTag(CrmTracing.VersionTag, commit.NewVersion);
            activity.SetTag(InsertTag, commit.IsInsert);
            activity.SetTag(CrmTracing.EventCountTag, commit.Events.Count);
        }

        return activity;
    }
}
