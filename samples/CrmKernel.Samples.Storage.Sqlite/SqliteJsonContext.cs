using System.Text.Json.Serialization;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Serialises the lists bound to <c>json_each</c> (customer ids, channels, functions, kinds, touchpoint ids) without
/// reflection. The values are ids and slugs, but they are still written by a JSON serialiser, never by concatenation.
/// </summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
