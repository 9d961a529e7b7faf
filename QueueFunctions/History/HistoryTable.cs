using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.History;

/// <summary>
/// The day's history in Azure Table storage: one row per ticket (and one per reset), partitioned by service day
/// and clinic. Every event merges only the columns it owns, with values taken from the event itself, so replays
/// and out-of-order arrivals leave the same row.
/// </summary>
public sealed class HistoryTable(TableServiceClient service, IOptions<HistoryOptions> options, ILogger<HistoryTable> logger)
{
    private const string IssuedAt = nameof(IssuedAt);
    private const string NoShowAt = nameof(NoShowAt);
    private const string DoneAt = nameof(DoneAt);
    private const string ResetAt = nameof(ResetAt);

    /// <summary>Transactions hold at most 100 operations, all in one partition.</summary>
    private const int MaxTransaction = 100;

    /// <summary>
    /// Days a range report reads at once. A day's read is mostly round trips to storage, which overlap when days are
    /// read side by side; more at once would take connections and account throughput from the patients' requests on
    /// the same instance and account.
    /// </summary>
    private const int ConcurrentDayReads = 4;

    /// <summary>
    /// The columns a report reads: not the patient's id, which no figure needs, nor the storage's own timestamp.
    /// </summary>
    private static readonly string[] ReportColumns = ["PartitionKey", "RowKey", nameof(TicketRecord.Round), nameof(TicketRecord.Number), IssuedAt, NoShowAt, DoneAt];

    private readonly TableClient table = service.GetTableClient(options.Value.TableName);
    private volatile bool created;
    private long writes;

    /// <summary>Events written by this app instance, repeats included.</summary>
    public long Writes => Interlocked.Read(ref writes);

    public TableClient Client => table;

    /// <returns>False for an event that the history does not keep.</returns>
    public async Task<bool> RecordAsync(QueueEvent change, CancellationToken cancellationToken)
    {
        if (RowOf(change) is not { } row)
        {
            return false;
        }

        await EnsureCreatedAsync(cancellationToken);
        await table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        Interlocked.Increment(ref writes);
        return true;
    }

    /// <summary>Every ticket and reset of <paramref name="day"/>, per clinic; only <paramref name="clinic"/> when given.</summary>
    public async Task<IReadOnlyDictionary<string, ClinicDayHistory>> ReadDayAsync(DateOnly day, string? clinic, CancellationToken cancellationToken)
    {
        var filter = clinic is null
            ? HistoryKeys.DayFilter(day)
            : TableClient.CreateQueryFilter($"PartitionKey eq {HistoryKeys.Partition(day, clinic)}");
        var tickets = new Dictionary<string, List<TicketRecord>>(StringComparer.Ordinal);
        var resets = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        try
        {
            await EnsureCreatedAsync(cancellationToken);
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ReportColumns, cancellationToken: cancellationToken))
            {
                var ofClinic = HistoryKeys.ClinicOf(row.PartitionKey);
                if (row.RowKey.StartsWith(HistoryKeys.TicketPrefix, StringComparison.Ordinal))
                {
                    ListOf(tickets, ofClinic).Add(new TicketRecord(
                        row.GetInt32(nameof(TicketRecord.Round)) ?? 0,
                        row.GetInt32(nameof(TicketRecord.Number)) ?? 0,
                        row.GetDateTimeOffset(IssuedAt),
                        row.GetDateTimeOffset(NoShowAt),
                        row.GetDateTimeOffset(DoneAt)));
                }
                else if (row.RowKey.StartsWith(HistoryKeys.ResetPrefix, StringComparison.Ordinal))
                {
                    ListOf(resets, ofClinic).Add(HistoryKeys.RoundOfReset(row.RowKey));
                }
            }
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            logger.LogError(ex, "Could not read the history of {Day}", day);
            throw new BackendUnavailableException("The history is unavailable right now.", ex);
        }

        return tickets.Keys.Union(resets.Keys).ToDictionary(
            c => c,
            c => new ClinicDayHistory(tickets.GetValueOrDefault(c) ?? [], resets.GetValueOrDefault(c) ?? []),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Every ticket and reset of each of <paramref name="days"/>, per day and clinic; only <paramref name="clinic"/> when
    /// given. One query per day (<see cref="ReadDayAsync"/>), <see cref="ConcurrentDayReads"/> at a time: the keys (day,
    /// then clinic) would let a single query cover the whole range, but its pages (1,000 rows each) come one after
    /// another, each asking for the next, where days read side by side; the requests are the same either way, one per
    /// 1,000 rows of a day and at least one per day. With a clinic, each day's query is one partition's.
    /// </summary>
    public async Task<IReadOnlyDictionary<DateOnly, IReadOnlyDictionary<string, ClinicDayHistory>>> ReadDaysAsync(
        IEnumerable<DateOnly> days, string? clinic, CancellationToken cancellationToken)
    {
        // Once before the fan-out, so that an instance's first report checks for the table once, not once per day read.
        try
        {
            await EnsureCreatedAsync(cancellationToken);
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            logger.LogError(ex, "Could not reach the history table");
            throw new BackendUnavailableException("The history is unavailable right now.", ex);
        }

        var read = new ConcurrentDictionary<DateOnly, IReadOnlyDictionary<string, ClinicDayHistory>>();
        await Parallel.ForEachAsync(
            days.Distinct(),
            new ParallelOptions { MaxDegreeOfParallelism = ConcurrentDayReads, CancellationToken = cancellationToken },
            async (day, token) => read[day] = await ReadDayAsync(day, clinic, token));
        return read;
    }

    private static List<T> ListOf<T>(Dictionary<string, List<T>> lists, string clinic) =>
        lists.TryGetValue(clinic, out var list) ? list : lists[clinic] = [];

    /// <summary>Deletes every row of the service days before <paramref name="firstKept"/>.</summary>
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> DeleteBeforeAsync(DateOnly firstKept, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var deleted = 0;
        var old = table.QueryAsync<TableEntity>(HistoryKeys.BeforeFilter(firstKept), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        var batch = new List<TableTransactionAction>();
        string? partition = null;
        await foreach (var row in old)
        {
            if (batch.Count == MaxTransaction || (partition is not null && partition != row.PartitionKey))
            {
                deleted += await SubmitAsync(batch, cancellationToken);
            }

            partition = row.PartitionKey;
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
        }

        return deleted + await SubmitAsync(batch, cancellationToken);
    }

    private async Task<int> SubmitAsync(List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var count = batch.Count;
        await table.SubmitTransactionAsync(batch, cancellationToken);
        batch.Clear();
        return count;
    }

    private static TableEntity? RowOf(QueueEvent change)
    {
        var partition = HistoryKeys.Partition(change.ServiceDay, change.Clinic);
        if (change.Type == QueueEvent.QueueReset)
        {
            return new TableEntity(partition, HistoryKeys.Reset(change.Round)) { [ResetAt] = change.At };
        }

        var column = change.Type switch
        {
            QueueEvent.TicketIssued => IssuedAt,
            QueueEvent.TicketNoShow => NoShowAt,
            QueueEvent.TicketDone => DoneAt,
            _ => null,
        };
        if (column is null || change.Number is not { } number)
        {
            return null;
        }

        return new TableEntity(partition, HistoryKeys.Ticket(change.Round, number))
        {
            [nameof(TicketRecord.Round)] = change.Round,
            [nameof(TicketRecord.Number)] = number,
            ["User"] = change.User,
            [column] = change.At,
        };
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
            created = true;
        }
    }
}
