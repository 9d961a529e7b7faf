using System.Text.Json;

namespace QueueFunctions.Domain;

/// <summary>Reads and writes a value stored as a JSON array item by item, failing clearly on a shape it does not expect.</summary>
internal static class StoredArray
{
    public static void Start(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"A stored {what} is an array.");
        }
    }

    public static int Int(ref Utf8JsonReader reader, string what) => Next(ref reader, what) == JsonTokenType.Number
        ? reader.GetInt32()
        : throw Unexpected(ref reader, what);

    public static T Enum<T>(ref Utf8JsonReader reader, string what)
        where T : struct, Enum
    {
        var value = (T)(object)Int(ref reader, what);
        return System.Enum.IsDefined(value) ? value : throw new JsonException($"A stored {what} has an unknown {typeof(T).Name} {Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    public static int? OptionalInt(ref Utf8JsonReader reader, string what) => Next(ref reader, what) switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.GetInt32(),
        _ => throw Unexpected(ref reader, what),
    };

    public static string String(ref Utf8JsonReader reader, string what) => Next(ref reader, what) == JsonTokenType.String
        ? reader.GetString()!
        : throw Unexpected(ref reader, what);

    public static DateTimeOffset? Instant(ref Utf8JsonReader reader, string what) => Next(ref reader, what) switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64()),
        _ => throw Unexpected(ref reader, what),
    };

    /// <summary>A last item that may be left out: null when the array ends instead. Either way the array has ended after it.</summary>
    public static string? LastOptionalString(ref Utf8JsonReader reader, string what)
    {
        if (Next(ref reader, what) == JsonTokenType.EndArray)
        {
            return null;
        }

        var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Unexpected(ref reader, what);
        return Next(ref reader, what) == JsonTokenType.EndArray ? value : throw new JsonException($"A stored {what} has more items than expected.");
    }

    /// <summary>Every item left, all of them numbers; the array has ended after them.</summary>
    public static IReadOnlyList<int> RemainingInts(ref Utf8JsonReader reader, string what)
    {
        var items = new List<int>(2);
        while (Next(ref reader, what) != JsonTokenType.EndArray)
        {
            items.Add(reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : throw Unexpected(ref reader, what));
        }

        return items;
    }

    public static void WriteInstant(Utf8JsonWriter writer, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    public static void WriteOptionalInt(Utf8JsonWriter writer, int? number)
    {
        if (number is { } value)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>The item that <see cref="LastOptionalString"/> reads: left out when there is none.</summary>
    public static void WriteLastOptional(Utf8JsonWriter writer, string? last)
    {
        if (last is not null)
        {
            writer.WriteStringValue(last);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string what) =>
        reader.Read() ? reader.TokenType : throw new JsonException($"A stored {what} ends too early.");

    private static JsonException Unexpected(ref Utf8JsonReader reader, string what) =>
        new($"A stored {what} has {reader.TokenType} where another item was expected.");
}
