namespace QueueFunctions.Benchmarks.Shared.Storage;

/// <summary>
/// Unit prices used to turn storage requests into money. Assumptions, not quotes: approximate USD list prices of a
/// general-purpose v2 account, locally redundant (LRS), hot tier, in a US region; they change by region and over
/// time, so check the current Azure Storage price page before quoting a cost.
/// </summary>
public static class StoragePrices
{
    public const double BlobWritePer10k = 0.05;
    public const double BlobReadPer10k = 0.004;
    public const double QueueWritePer10k = 0.04;
    public const double QueueReadPer10k = 0.004;
    public const double TablePer10k = 0.00036;

    public static string Assumptions =>
        Measure.Inv($"USD per 10,000 requests, assumed list prices (GPv2, LRS, hot tier, US region): blob write {BlobWritePer10k} / read {BlobReadPer10k}, ") +
        Measure.Inv($"queue write (class 1: put, update, delete) {QueueWritePer10k} / read (class 2: get, peek) {QueueReadPer10k}, table {TablePer10k}; ") +
        "requests the counter cannot place are priced as blob writes. Not a quote: prices vary by region and over time.";

    public static double Cost(StorageRequests r) =>
        (r.BlobWrites * BlobWritePer10k + r.BlobReads * BlobReadPer10k + r.QueueWrites * QueueWritePer10k
         + r.QueueReads * QueueReadPer10k + r.Table * TablePer10k + r.Other * BlobWritePer10k) / 10_000;
}
