namespace QueueFunctions.Benchmarks.Shared.Storage;

/// <summary>
/// Azure Storage requests counted by service and by kind. Reads (GET, HEAD) and writes are apart because storage
/// bills them at different prices; tables bill every transaction alike.
/// </summary>
public sealed record StorageRequests(long BlobReads, long BlobWrites, long QueueReads, long QueueWrites, long Table, long Other)
{
    public static StorageRequests None { get; } = new(0, 0, 0, 0, 0, 0);

    public long Total => BlobReads + BlobWrites + QueueReads + QueueWrites + Table + Other;

    public static StorageRequests operator +(StorageRequests a, StorageRequests b) => new(
        a.BlobReads + b.BlobReads, a.BlobWrites + b.BlobWrites, a.QueueReads + b.QueueReads,
        a.QueueWrites + b.QueueWrites, a.Table + b.Table, a.Other + b.Other);

    public static StorageRequests operator -(StorageRequests a, StorageRequests b) => new(
        a.BlobReads - b.BlobReads, a.BlobWrites - b.BlobWrites, a.QueueReads - b.QueueReads,
        a.QueueWrites - b.QueueWrites, a.Table - b.Table, a.Other - b.Other);

    /// <summary>The line a counted app instance prints, and its parse; see <see cref="StorageCounterHook"/>.</summary>
    public string ToLine() => Measure.Inv($"{BlobReads} {BlobWrites} {QueueReads} {QueueWrites} {Table} {Other}");

    public static StorageRequests? TryParse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = new long[6];
        if (parts.Length != values.Length)
        {
            return null;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!long.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return new StorageRequests(values[0], values[1], values[2], values[3], values[4], values[5]);
    }

    public string Describe() =>
        Measure.Inv($"{Total:N0} (blob {BlobReads:N0} read + {BlobWrites:N0} write, queue {QueueReads:N0} read + {QueueWrites:N0} write, table {Table:N0}{(Other > 0 ? $", other {Other:N0}" : "")})");
}
