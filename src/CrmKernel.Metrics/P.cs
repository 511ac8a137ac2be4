namespace CrmKernel.Metrics; internal static class Placeholder {}
