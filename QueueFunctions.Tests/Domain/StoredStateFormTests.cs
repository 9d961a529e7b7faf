using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Converters;
using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

/// <summary>
/// The clinic's state is what the engine reads and writes on every operation, and it stays in the engine's table row
/// only while it is small: these pin the short stored form and that it reads back to the same queue.
/// </summary>
public class StoredStateFormTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    [Fact]
    public void A_waiting_ticket_is_stored_as_an_array_with_numbers_for_status_and_time()
    {
        var state = Clinic.OpenLab().WithPatients("A");

        var ticket = JsonSerializer.Serialize(state.Tickets[0]);

        var at = Clinic.Morning.AddMinutes(1).ToUnixTimeMilliseconds();
        Assert.Equal($$"""[1,"A",0,{{at}},null,"req-A"]""", ticket);
    }

    [Fact]
    public void A_finished_ticket_and_a_receipt_are_stored_as_arrays_too()
    {
        var done = Clinic.OpenLab().WithPatients("A", "B").Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins);

        var ticket = JsonSerializer.Serialize(done.Tickets.Single(t => t.User == "A"));
        var receipt = JsonSerializer.Serialize(Assert.Single(done.Receipts));

        var enteredAt = Clinic.Morning.AddMinutes(1).ToUnixTimeMilliseconds();
        var finishedAt = Clinic.Morning.AddMinutes(5).ToUnixTimeMilliseconds();
        Assert.Equal($$"""[1,"A",1,{{enteredAt}},{{finishedAt}},"req-A"]""", ticket);
        Assert.Equal($$"""["d1",0,1,2,1,{{finishedAt}}]""", receipt);
    }

    [Fact]
    public void A_busy_days_state_reads_back_as_the_same_queue()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D")
            .Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Call("c1", Clinic.Morning.AddMinutes(11), Clinic.Rules, Pins)
            .Done("C", Clinic.WrongPin, "d2", Clinic.Morning.AddMinutes(12), Clinic.Rules, Pins);
        var json = JsonSerializer.Serialize(state);

        var read = JsonSerializer.Deserialize<ClinicQueueState>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(read));
        Assert.Equal(state.Tickets.Select(t => (t.Number, t.User, t.Status, t.EnteredAt, t.FinishedAt)), read.Tickets.Select(t => (t.Number, t.User, t.Status, t.EnteredAt, t.FinishedAt)));
        Assert.Equal([TicketStatus.Done, TicketStatus.NoShow, TicketStatus.Waiting, TicketStatus.Waiting], read.Tickets.Select(t => t.Status));
        Assert.Equal([ReceiptOutcome.Done, ReceiptOutcome.InvalidPin], read.Receipts.Select(r => r.Outcome));
        Assert.Equal([ReceiptOutcome.Called], read.StaffReceipts!.Select(r => r.Outcome));
        Assert.Equal(state.Current, read.Current);
        Assert.Equal(1, read.PinFailures["C"]);
    }

    [Fact]
    public void A_visits_ticket_and_receipt_keep_the_visit_as_a_last_item()
    {
        var state = ClinicQueueState.New("lab").Enter("A", "r1", Clinic.Morning, Clinic.Rules, Pins, visit: "visit-1")
            .Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins);

        var read = JsonSerializer.Deserialize<ClinicQueueState>(JsonSerializer.Serialize(state))!;

        Assert.EndsWith(",\"visit-1\"]", JsonSerializer.Serialize(state.Tickets[0]), StringComparison.Ordinal);
        Assert.Equal("visit-1", read.Tickets[0].Visit);
        Assert.Equal("visit-1", Assert.Single(read.Receipts).Visit);
        Assert.Null(JsonSerializer.Deserialize<Ticket>("""[2,"B",0,1,null,"r"]""")!.Visit);
    }

    [Theory]
    [InlineData("""{"n":1}""")]
    [InlineData("""[1,"A",0]""")]
    [InlineData("""[1,"A","WAITING",1,null,"r"]""")]
    [InlineData("""[1,"A",0,1,null,"r","v",7]""")]
    [InlineData("""[1,"A",9,1,null,"r"]""")]
    public void A_stored_ticket_of_another_shape_is_refused_clearly(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Ticket>(json));

        Assert.Contains("stored Ticket", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every field the state stores, each in the form it takes when set: after two resets, with a refusal, a
    /// wrong PIN, a late no-show done, a visit's tickets, and a publisher holding the outbox with a flush on its way.</summary>
    private static ClinicQueueState EveryStoredField()
    {
        var rules = Clinic.Rules with { MaxWaiting = 3 };
        var t = Clinic.Morning;
        var state = Clinic.OpenLab()
            .Enter("A", "e-a", t.AddMinutes(1), rules, Pins)
            .Enter("B", "e-b", t.AddMinutes(2), rules, Pins, visit: "visit-b")
            .Done("A", Clinic.Pin, "d-a", t.AddMinutes(3), rules, Pins)
            .Call("c-1", t.AddMinutes(4), rules, Pins)
            .Reset("r-1", t.AddMinutes(5), rules, Pins)
            .Enter("C", "e-c", t.AddMinutes(6), rules, Pins)
            .Enter("D", "e-d", t.AddMinutes(7), rules, Pins)
            .Enter("E", "e-e", t.AddMinutes(8), rules, Pins)
            .Enter("F", "e-f", t.AddMinutes(9), rules, Pins)
            .Done("D", Clinic.Pin, "d-d", t.AddMinutes(10), rules, Pins)
            .Reset("r-2", t.AddMinutes(11), rules, Pins)
            .Enter("G", "e-g", t.AddMinutes(12), rules, Pins, visit: "visit-g")
            .Enter("H", "e-h", t.AddMinutes(13), rules, Pins)
            .Done("B", Clinic.Pin, "d-b", t.AddMinutes(14), rules, Pins)
            .Done("G", Clinic.WrongPin, "w-g", t.AddMinutes(15), rules, Pins)
            .Done("H", Clinic.Pin, "d-h", t.AddMinutes(16), rules, Pins);
        return state with { Outbox = state.Outbox.PublishingBy("pub-1", t.AddMinutes(17)) with { FlushPending = true } };
    }

    /// <summary>
    /// A state with every field set as this app stores it, laid out here one item a line (the stored form has no
    /// whitespace, and none of its strings has any). The remembered patients are in key order: they are a dictionary,
    /// whose order changes from one process to the next.
    /// </summary>
    private const string StoredBusyStateLaidOut =
        """
        {
          "clinic":"lab",
          "day":"2026-11-29",
          "version":16,
          "last":2,
          "pin":"4821",
          "tickets":[
            [1,"G",0,1795929120000,null,"e-g","visit-g"],
            [2,"H",1,1795929180000,1795929360000,"e-h"]
          ],
          "pinFailures":{"G":1},
          "receipts":[
            ["d-b",0,2,1,2,1795929240000,"visit-20261129-df7e70e5021544f4834bbee64a9e3789"],
            ["w-g",2,1,1,2,1795929300000],
            ["d-h",0,2,1,1,1795929360000]
          ],
          "outbox":[
            {"id":"lab:2","clinic":"lab","serviceDay":"2026-11-29","version":2,"type":"TICKET_ISSUED","number":1,"user":"A","at":"2026-11-29T08:01:00+03:00","round":0},
            {"id":"lab:3","clinic":"lab","serviceDay":"2026-11-29","version":3,"type":"TICKET_ISSUED","number":2,"user":"B","at":"2026-11-29T08:02:00+03:00","round":0},
            {"id":"lab:4","clinic":"lab","serviceDay":"2026-11-29","version":4,"type":"TICKET_DONE","number":1,"user":"A","at":"2026-11-29T08:03:00+03:00","round":0},
            {"id":"lab:5","clinic":"lab","serviceDay":"2026-11-29","version":5,"type":"TICKET_NO_SHOW","number":2,"user":"B","at":"2026-11-29T08:04:00+03:00","round":0},
            {"id":"lab:6","clinic":"lab","serviceDay":"2026-11-29","version":6,"type":"QUEUE_RESET","number":null,"user":null,"at":"2026-11-29T08:05:00+03:00","round":1},
            {"id":"lab:7","clinic":"lab","serviceDay":"2026-11-29","version":7,"type":"TICKET_ISSUED","number":1,"user":"C","at":"2026-11-29T08:06:00+03:00","round":1},
            {"id":"lab:8","clinic":"lab","serviceDay":"2026-11-29","version":8,"type":"TICKET_ISSUED","number":2,"user":"D","at":"2026-11-29T08:07:00+03:00","round":1},
            {"id":"lab:9","clinic":"lab","serviceDay":"2026-11-29","version":9,"type":"TICKET_ISSUED","number":3,"user":"E","at":"2026-11-29T08:08:00+03:00","round":1},
            {"id":"lab:10","clinic":"lab","serviceDay":"2026-11-29","version":10,"type":"TICKET_DONE","number":2,"user":"D","at":"2026-11-29T08:10:00+03:00","round":1},
            {"id":"lab:11","clinic":"lab","serviceDay":"2026-11-29","version":11,"type":"QUEUE_RESET","number":null,"user":null,"at":"2026-11-29T08:11:00+03:00","round":2},
            {"id":"lab:12","clinic":"lab","serviceDay":"2026-11-29","version":12,"type":"TICKET_ISSUED","number":1,"user":"G","at":"2026-11-29T08:12:00+03:00","round":2},
            {"id":"lab:13","clinic":"lab","serviceDay":"2026-11-29","version":13,"type":"TICKET_ISSUED","number":2,"user":"H","at":"2026-11-29T08:13:00+03:00","round":2},
            {"id":"lab:14","clinic":"lab","serviceDay":"2026-11-29","version":14,"type":"TICKET_DONE","number":2,"user":"B","at":"2026-11-29T08:14:00+03:00","round":0},
            {"id":"lab:16","clinic":"lab","serviceDay":"2026-11-29","version":16,"type":"TICKET_DONE","number":2,"user":"H","at":"2026-11-29T08:16:00+03:00","round":2}
          ],
          "publishing":true,
          "round":2,
          "doneTotal":1,
          "pace":{"count":1,"first":"2026-11-29T08:16:00+03:00","last":"2026-11-29T08:16:00+03:00"},
          "flush":true,
          "past":{"A":11,"B":23,"D":[21,1]},
          "staff":[
            ["c-1",4,2,0,0,1795928640000],
            ["r-1",6,null,0,0,1795928700000],
            ["r-2",6,null,0,0,1795929060000]
          ],
          "refused":[
            ["e-f",8,null,1,3,1795928940000]
          ],
          "publisher":{"id":"pub-1","seen":"2026-11-29T08:17:00+03:00"}
        }
        """;

    private static readonly string StoredBusyState = Compact(StoredBusyStateLaidOut);

    /// <summary>A state stored before resets, the day's memory, the staff's and refused trails and named publishers.</summary>
    private const string StoredEarlyStateLaidOut =
        """
        {
          "clinic":"lab",
          "day":"2026-11-29",
          "version":2,
          "last":1,
          "pin":"4821",
          "tickets":[
            [1,"A",0,1795928460000,null,"req-A"]
          ],
          "pinFailures":{},
          "receipts":[],
          "outbox":[
            {"id":"lab:2","clinic":"lab","serviceDay":"2026-11-29","version":2,"type":"TICKET_ISSUED","number":1,"user":"A","at":"2026-11-29T08:01:00+03:00","round":0}
          ],
          "publishing":true
        }
        """;

    private static readonly string StoredEarlyState = Compact(StoredEarlyStateLaidOut);

    [Theory]
    [MemberData(nameof(Serializers))]
    public void The_state_is_written_as_stored_states_are(string serializer)
    {
        var (write, _) = SerializerNamed(serializer);

        Assert.Equal(StoredBusyState, PastInKeyOrder(write(EveryStoredField())));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_stored_state_reads_back_as_the_same_queue_and_is_written_again_byte_for_byte(string serializer)
    {
        var (write, read) = SerializerNamed(serializer);
        var expected = EveryStoredField();

        var state = read(StoredBusyState);

        Assert.Equal(StoredBusyState, PastInKeyOrder(write(state)));
        Assert.Equal(expected.Tickets, state.Tickets);
        Assert.Equal(expected.Receipts, state.Receipts);
        Assert.Equal(expected.StaffReceipts!, state.StaffReceipts!);
        Assert.Equal(expected.Refused!, state.Refused!);
        Assert.Equal(expected.Past!.OrderBy(p => p.Key), state.Past!.OrderBy(p => p.Key));
        Assert.Equal(expected.PinFailures, state.PinFailures);
        Assert.Equal(expected.Outbox.AsEnumerable(), state.Outbox.AsEnumerable());
        Assert.Equal(
            (expected.Outbox.Publishing, expected.Outbox.Publisher, expected.Outbox.FlushPending),
            (state.Outbox.Publishing, state.Outbox.Publisher, state.Outbox.FlushPending));
        Assert.Equal(
            (expected.Clinic, expected.ServiceDay, expected.Version, expected.LastNumber, expected.Pin, expected.Round, expected.DoneTotal, expected.Pace),
            (state.Clinic, state.ServiceDay, state.Version, state.LastNumber, state.Pin, state.Round, state.DoneTotal, state.Pace));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_state_stored_before_the_later_fields_reads_them_as_their_defaults(string serializer)
    {
        var (write, read) = SerializerNamed(serializer);

        var state = read(StoredEarlyState);

        Assert.Equal((0, 0, null, null, null, null), (state.Round, state.DoneTotal, state.Pace, state.Past, state.StaffReceipts, state.Refused));
        Assert.Equal((true, null, false), (state.Outbox.Publishing, state.Outbox.Publisher, state.Outbox.FlushPending));
        Assert.True(state.Outbox.PublisherSilentAt(Clinic.Morning, TimeSpan.FromMinutes(1)));
        var rewritten = StoredEarlyState.Replace("\"publishing\":true}", "\"publishing\":true,\"round\":0,\"doneTotal\":0,\"pace\":null}", StringComparison.Ordinal);
        Assert.Equal(rewritten, write(state));
    }

    /// <summary>
    /// How the state meets JSON: plain, as the Functions worker's serializer does (its options ignore case), and
    /// through the Durable Task converter that the local host stores entities with.
    /// </summary>
    public static TheoryData<string> Serializers => ["default", "worker", "durable"];

    private static readonly JsonSerializerOptions WorkerJson = new() { PropertyNameCaseInsensitive = true };

    private static (Func<ClinicQueueState, string> Write, Func<string, ClinicQueueState> Read) SerializerNamed(string name) => name switch
    {
        "default" => (s => JsonSerializer.Serialize(s), json => JsonSerializer.Deserialize<ClinicQueueState>(json)!),
        "worker" => (s => JsonSerializer.Serialize(s, WorkerJson), json => JsonSerializer.Deserialize<ClinicQueueState>(json, WorkerJson)!),
        _ => (s => JsonDataConverter.Default.Serialize(s)!, json => JsonDataConverter.Default.Deserialize<ClinicQueueState>(json)!),
    };

    private static string Compact(string laidOut) => Regex.Replace(laidOut, "\\s+", "");

    private static string PastInKeyOrder(string json) => Regex.Replace(json, "\"past\":\\{[^}]*\\}", match =>
    {
        using var past = JsonDocument.Parse("{" + match.Value + "}");
        var entries = past.RootElement.GetProperty("past").EnumerateObject()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        return $"\"past\":{{{string.Join(",", entries)}}}";
    });
}
