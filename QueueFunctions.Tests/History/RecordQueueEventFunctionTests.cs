using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using QueueFunctions.Configuration;
using QueueFunctions.History;

namespace QueueFunctions.Tests.History;

public class RecordQueueEventFunctionTests
{
    private readonly Mock<TableClient> table = new();
    private readonly List<(TableEntity Row, TableUpdateMode Mode)> upserts = [];
    private readonly RecordQueueEventFunction function;

    public RecordQueueEventFunctionTests()
    {
        var service = new Mock<TableServiceClient>();
        service.Setup(s => s.GetTableClient("queuehistory")).Returns(table.Object);
        table.Setup(t => t.CreateIfNotExistsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Response.FromValue(Mock.Of<Azure.Data.Tables.Models.TableItem>(), Mock.Of<Response>()));
        table.Setup(t => t.UpsertEntityAsync(It.IsAny<TableEntity>(), It.IsAny<TableUpdateMode>(), It.IsAny<CancellationToken>()))
            .Callback<TableEntity, TableUpdateMode, CancellationToken>((row, mode, _) => upserts.Add((row, mode)))
            .ReturnsAsync(Mock.Of<Response>());
        var history = new HistoryTable(service.Object, Options.Create(new HistoryOptions()), NullLogger<HistoryTable>.Instance);
        function = new RecordQueueEventFunction(history, NullLogger<RecordQueueEventFunction>.Instance);
    }

    [Fact]
    public async Task An_issued_ticket_merges_its_own_columns_into_the_tickets_row()
    {
        await function.RunAsync(
            """{"id":"lab:7","clinic":"lab","serviceDay":"2026-11-29","version":7,"type":"TICKET_ISSUED","number":3,"user":"U1","at":"2026-11-29T05:10:00+00:00","round":1}""",
            CancellationToken.None);

        var (row, mode) = Assert.Single(upserts);
        Assert.Equal(TableUpdateMode.Merge, mode);
        Assert.Equal(("2026-11-29_lab", "t-001-000003"), (row.PartitionKey, row.RowKey));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 5, 10, 0, TimeSpan.Zero), row.GetDateTimeOffset("IssuedAt"));
        Assert.Equal((1, 3, "U1"), (row.GetInt32("Round"), row.GetInt32("Number"), row.GetString("User")));
        Assert.False(row.ContainsKey("DoneAt") || row.ContainsKey("NoShowAt"));
    }

    [Fact]
    public async Task A_done_ticket_touches_only_its_done_time_so_arriving_before_its_issue_loses_nothing()
    {
        await function.RunAsync(
            """{"id":"lab:9","clinic":"lab","serviceDay":"2026-11-29","version":9,"type":"TICKET_DONE","number":3,"user":"U1","at":"2026-11-29T05:30:00+00:00","round":1}""",
            CancellationToken.None);

        var (row, _) = Assert.Single(upserts);
        Assert.Equal("t-001-000003", row.RowKey);
        Assert.True(row.ContainsKey("DoneAt"));
        Assert.False(row.ContainsKey("IssuedAt") || row.ContainsKey("NoShowAt"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":"lab:1"}""")]
    [InlineData("[]")]
    public async Task A_message_that_is_not_a_queue_event_fails_so_the_host_retries_then_poisons_it(string message)
    {
        await Assert.ThrowsAsync<FormatException>(() => function.RunAsync(message, CancellationToken.None));
        Assert.Empty(upserts);
    }

    [Fact]
    public async Task An_event_the_history_does_not_keep_is_skipped_without_failing()
    {
        await function.RunAsync(
            """{"id":"lab:2","clinic":"lab","serviceDay":"2026-11-29","version":2,"type":"SOMETHING_NEW","number":null,"user":null,"at":"2026-11-29T05:30:00+00:00"}""",
            CancellationToken.None);

        Assert.Empty(upserts);
    }
}
