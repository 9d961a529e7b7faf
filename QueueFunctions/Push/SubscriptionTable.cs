using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;

namespace QueueFunctions.Push;

/// <summary>
/// The day's push subscriptions and the alerts already sent, in one Azure Table partitioned by service day. An
/// endpoint has one owner row (who holds it) and one row under its user (what to send with), written together in one
/// transaction, so a user's subscriptions are one range read and an unsubscribe by endpoint is one point read.
/// </summary>
public sealed class SubscriptionTable(TableServiceClient service, IOptions<PushOptions> options)
{
    private const string User = nameof(User);
    private const string Endpoint = nameof(Endpoint);
    private const string P256dh = nameof(P256dh);
    private const string Auth = nameof(Auth);
    private const string Lang = nameof(Lang);

    private readonly TableClient table = service.GetTableClient(options.Value.TableName);
    private readonly int maxPerUser = options.Value.MaxSubscriptionsPerUser;
    private volatile bool created;
    private DateOnly cleanedBefore;

    public TableClient Client => table;

    /// <summary>Keeps the subscription for the day, replacing the endpoint's earlier holder and the user's oldest beyond the cap.</summary>
    public async Task SaveAsync(DateOnly day, Subscription subscription, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var partition = PushKeys.DayOf(day);
        var id = PushKeys.EndpointId(subscription.Endpoint);
        var actions = new List<TableTransactionAction>();

        var owner = await table.GetEntityIfExistsAsync<TableEntity>(partition, PushKeys.EndpointRow(id), [User], cancellationToken);
        if (owner.HasValue && owner.Value!.GetString(User) is { } previous && !string.Equals(previous, subscription.User, StringComparison.OrdinalIgnoreCase))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PushKeys.UserRow(previous, id)), ETag.All));
        }

        var own = await RowsOfAsync(partition, subscription.User, cancellationToken);
        var others = own.Where(row => row.RowKey != PushKeys.UserRow(subscription.User, id)).OrderBy(row => row.Timestamp).ToList();
        foreach (var oldest in others.Take(Math.Max(0, others.Count - (maxPerUser - 1))))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, oldest.RowKey), ETag.All));
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PushKeys.EndpointRow(oldest.RowKey[^32..])), ETag.All));
        }

        actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PushKeys.EndpointRow(id)) { [User] = subscription.User }));
        actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PushKeys.UserRow(subscription.User, id))
        {
            [User] = subscription.User,
            [Endpoint] = subscription.Endpoint.AbsoluteUri,
            [P256dh] = subscription.P256dh,
            [Auth] = subscription.Auth,
            [Lang] = subscription.Lang,
        }));
        await SubmitAsync(actions, cancellationToken);
    }

    /// <returns>False when the endpoint had no subscription that day.</returns>
    public async Task<bool> DeleteAsync(DateOnly day, Uri endpoint, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var partition = PushKeys.DayOf(day);
        var id = PushKeys.EndpointId(endpoint);
        var owner = await table.GetEntityIfExistsAsync<TableEntity>(partition, PushKeys.EndpointRow(id), [User], cancellationToken);
        if (!owner.HasValue || owner.Value!.GetString(User) is not { } user)
        {
            return false;
        }

        await SubmitAsync(
            [
                new(TableTransactionActionType.Delete, new TableEntity(partition, PushKeys.UserRow(user, id)), ETag.All),
                new(TableTransactionActionType.Delete, new TableEntity(partition, PushKeys.EndpointRow(id)), ETag.All),
            ],
            cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<Subscription>> ForUserAsync(DateOnly day, string user, CancellationToken cancellationToken) =>
        (await ForUsersAsync(day, [user], cancellationToken))[user];

    /// <summary>
    /// The day's subscriptions of several patients in one table request: a change concerns up to four patients, most of
    /// whom have none, and a request each would be paid for every change of every clinic.
    /// </summary>
    /// <returns>Each of <paramref name="users"/> with their subscriptions (none: an empty list).</returns>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Subscription>>> ForUsersAsync(
        DateOnly day, IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        var prefixes = users.Distinct(StringComparer.Ordinal).ToDictionary(user => user, PushKeys.UserPrefix, StringComparer.Ordinal);
        var rows = new List<TableEntity>();
        if (prefixes.Count > 0)
        {
            await EnsureCreatedAsync(cancellationToken);
            var ranges = prefixes.Values.Distinct(StringComparer.Ordinal)
                .Select(prefix => TableClient.CreateQueryFilter($"(RowKey gt {prefix} and RowKey lt {PushKeys.AfterPrefix(prefix)})"));
            var filter = $"{TableClient.CreateQueryFilter($"PartitionKey eq {PushKeys.DayOf(day)}")} and ({string.Join(" or ", ranges)})";
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }
        }

        return prefixes.ToDictionary(
            pair => pair.Key,
            pair => (IReadOnlyList<Subscription>)rows.Where(row => row.RowKey.StartsWith(pair.Value, StringComparison.Ordinal)).Select(SubscriptionOf).ToList(),
            StringComparer.Ordinal);
    }

    private static Subscription SubscriptionOf(TableEntity row) =>
        new(row.GetString(User), new Uri(row.GetString(Endpoint)), row.GetString(P256dh), row.GetString(Auth), row.GetString(Lang) ?? PushLanguage.Arabic);

    /// <summary>
    /// Records that <paramref name="onceKey"/> goes to this endpoint, unless it already went: inserted before the
    /// push is sent, so a repeat of the same event (delivery is at least once) finds it and sends nothing.
    /// </summary>
    /// <returns>False when it was already recorded.</returns>
    public async Task<bool> TryMarkSentAsync(DateOnly day, string onceKey, Uri endpoint, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(new TableEntity(PushKeys.DayOf(day), PushKeys.SentRow(onceKey, PushKeys.EndpointId(endpoint))), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>A send that failed for a passing reason: the event's next delivery may try it again.</summary>
    public Task UnmarkSentAsync(DateOnly day, string onceKey, Uri endpoint, CancellationToken cancellationToken) =>
        table.DeleteEntityAsync(PushKeys.DayOf(day), PushKeys.SentRow(onceKey, PushKeys.EndpointId(endpoint)), ETag.All, cancellationToken);

    /// <summary>Deletes every row of the days before <paramref name="day"/>: subscriptions end with their service day.</summary>
    /// <returns>The rows deleted.</returns>
    public async Task<int> DeleteDaysBeforeAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var old = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey lt {PushKeys.DayOf(day)}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        var deleted = 0;
        var rows = new List<TableEntity>();
        await foreach (var row in old)
        {
            rows.Add(row);
        }

        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
                deleted += chunk.Length;
            }
        }

        return deleted;
    }

    /// <summary>
    /// The past days' rows go once a service day per app instance, with the day's first change: no timer of its own, and
    /// a past day's subscriptions are never read anyway.
    /// </summary>
    public async Task DeleteDaysBeforeOnceAsync(DateOnly day, CancellationToken cancellationToken)
    {
        if (cleanedBefore >= day)
        {
            return;
        }

        await DeleteDaysBeforeAsync(day, cancellationToken);
        cleanedBefore = day;
    }

    private async Task<List<TableEntity>> RowsOfAsync(string partition, string user, CancellationToken cancellationToken)
    {
        var prefix = PushKeys.UserPrefix(user);
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {prefix} and RowKey lt {PushKeys.AfterPrefix(prefix)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Deleting a row that is already gone is no failure: someone else removed it first.</summary>
    private async Task SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404 && ex.FailedTransactionActionIndex is { } index)
        {
            await SubmitAsync(actions.Where((_, i) => i != index).ToList(), cancellationToken);
        }
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
