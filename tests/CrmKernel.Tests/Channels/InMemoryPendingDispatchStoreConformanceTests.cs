using CrmKernel.Channels;
using CrmKernel.Testing.Channels;

namespace CrmKernel.Tests.Channels;

/// <summary>The in-memory pending-dispatch store passes the whole kit.</summary>
public sealed class InMemoryPendingDispatchStoreConformanceTests : PendingDispatchStoreConformanceTests
{
    protected override ValueTask<IPendingDispatchStore> CreateStoreAsync() => ValueTask.FromResult<IPendingDispatchStore>(new InMemoryPendingDispatchStore());
}
