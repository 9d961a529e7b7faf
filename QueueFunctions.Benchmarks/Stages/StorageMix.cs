using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>
/// Storage requests by service and kind, as counts or as averages per ticket. Reads (GET, HEAD) and writes are apart
/// because they cost differently, and on Azurite a write is the slower round trip.
/// </summary>
public sealed record StorageMix(double BlobReads, double BlobWrites, double QueueReads, double QueueWrites, double TableReads, double TableWrites)
{
    public static StorageMix None { get; } = new(0, 0, 0, 0, 0, 0);

    public double Total => BlobReads + BlobWrites + QueueReads + QueueWrites + TableReads + TableWrites;

    public static StorageMix Of(IEnumerable<StorageCall> calls) =>
        calls.Aggregate(None, (mix, call) => mix + One(call));

    static StorageMix One(StorageCall call) => (call.Service, call.IsRead) switch
    {
        (StorageService.Blob, true) => new(1, 0, 0, 0, 0, 0),
        (StorageService.Blob, false) => new(0, 1, 0, 0, 0, 0),
        (StorageService.Queue, true) => new(0, 0, 1, 0, 0, 0),
        (StorageService.Queue, false) => new(0, 0, 0, 1, 0, 0),
        (StorageService.Table, true) => new(0, 0, 0, 0, 1, 0),
        (StorageService.Table, false) => new(0, 0, 0, 0, 0, 1),
        _ => None,
    };

    public static StorageMix operator +(StorageMix a, StorageMix b) => new(
        a.BlobReads + b.BlobReads, a.BlobWrites + b.BlobWrites, a.QueueReads + b.QueueReads,
        a.QueueWrites + b.QueueWrites, a.TableReads + b.TableReads, a.TableWrites + b.TableWrites);

    public StorageMix Per(double count) => count <= 0 ? None : new(
        BlobReads / count, BlobWrites / count, QueueReads / count, QueueWrites / count, TableReads / count, TableWrites / count);

    /// <summary>E.g. "3.0 (queue 1.0 r + 1.0 w, table 1.0 r)"; services without requests are left out.</summary>
    public string Describe()
    {
        if (Total < 0.05)
        {
            return "0";
        }

        var parts = new List<string>();
        void Add(string service, double reads, double writes)
        {
            if (reads + writes >= 0.05)
            {
                parts.Add(Measure.Inv($"{service} {reads:0.0} r + {writes:0.0} w"));
            }
        }

        Add("blob", BlobReads, BlobWrites);
        Add("queue", QueueReads, QueueWrites);
        Add("table", TableReads, TableWrites);
        return Measure.Inv($"{Total:0.0} ({string.Join(", ", parts)})");
    }
}
