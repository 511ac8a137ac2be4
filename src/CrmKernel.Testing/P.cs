namespace CrmKernel.Testing; internal static class Placeholder {}
