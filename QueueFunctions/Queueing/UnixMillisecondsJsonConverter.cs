using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

/// <summary>
/// Stores an instant as milliseconds since 1970 (UTC): 13 digits instead of a 33-character ISO string. The clinic's
/// state holds one or two instants per ticket and receipt, and the engine keeps the state in its table row only while it
/// stays under about 60 KB; beyond that every operation reads and writes a blob instead. Times the API shows are in
/// clinic time and are converted when a reply is made, so the offset need not be stored.
/// </summary>
public sealed class UnixMillisecondsJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
}
