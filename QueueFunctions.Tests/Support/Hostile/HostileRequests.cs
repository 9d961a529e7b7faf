using System.Text;
using QueueFunctions.Tests.Support.Clients;
using static QueueFunctions.Tests.Support.Hostile.HostileOutcome;

namespace QueueFunctions.Tests.Support.Hostile;

/// <summary>
/// The table of malformed and hostile requests, by class, over every endpoint. None may create a ticket: each is
/// invalid, or resolves to a read, a page or a stream (which change nothing) and says so in its outcome.
/// </summary>
public static class HostileRequests
{
    /// <summary>Text an echoing page would give back; no reply may contain it.</summary>
    public const string Marker = "hostile-marker-7f3a";

    private const string Json = "application/json";

    private static readonly (string Name, string Path, bool Staff, string Template)[] Posts =
    [
        ("enter", "/api/v1/queue/enter", false, """{"clinic":"lab","user":"HOSTILE_1"}"""),
        ("done", "/api/v1/queue/done", false, """{"clinic":"lab","user":"HOSTILE_1","pin":"1234"}"""),
        ("call", "/api/v1/queue/call", true, """{"clinic":"lab"}"""),
        ("reset", "/api/v1/queue/reset", true, """{"clinic":"lab"}"""),
        ("visits", "/api/v1/visits", false, """{"user":"HOSTILE_1","exam":"recruitment","gender":"male"}"""),
    ];

    private static readonly (string Path, bool Staff, string Method)[] Routes =
    [
        ("/api/v1/queue/enter", false, "POST"),
        ("/api/v1/queue/done", false, "POST"),
        ("/api/v1/queue/call", true, "POST"),
        ("/api/v1/queue/reset", true, "POST"),
        ("/api/v1/visits", false, "POST,GET"),
        ("/api/v1/queue/status?clinic=lab", false, "GET"),
        ("/api/v1/queue/tickets?clinic=lab", true, "GET"),
        ("/api/v1/pin/status", true, "GET"),
        ("/api/v1/reports/daily", true, "GET"),
        ("/api/v1/reports/range", true, "GET"),
        ("/api/v1/overview", true, "GET"),
        ("/api/v1/overview/stream", true, "GET"),
        ("/api/v1/events/stream?clinic=lab", false, "GET"),
        ("/api/v1/push/public-key", false, "GET"),
        ("/api/v1/push/subscriptions", false, "POST,DELETE"),
        ("/kiosk", false, "GET"),
        ("/display?clinic=lab", false, "GET"),
        ("/clinic?clinic=lab", false, "GET"),
        ("/overview", false, "GET"),
        ("/ticket?user=1", false, "GET"),
        ("/assets/common.js", false, "GET"),
        ("/ticket-sw.js", false, "GET"),
        ("/qr?user=1", false, "GET"),
    ];

    /// <summary>Control, line-breaking, format (Cf) and bidirectional characters; none may be part of an id.</summary>
    private static readonly string[] InvisibleOrControl =
    [
        "\u0000", "\u0007", "\u0008", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d",
        "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
        "\u061c", "\u00ad", "\u180e", "\U000E0001", "\u206f", "\ufff9",
    ];

    /// <summary>Code points that print nothing a reader could check: private use, unassigned, and letters drawn blank.</summary>
    private static readonly string[] Unprintable = ["\ue000", "\uf8ff", "\uffff", "\ufdd0", "\u0378", "\U0010FFFF", "\u3164", "\u115f", "\uffa0", "\u2800"];

    public static IReadOnlyList<HostileCase> All(string staffKey) =>
    [
        .. MalformedJson(staffKey),
        .. DeepNesting(staffKey),
        .. WrongTypes(staffKey),
        .. DuplicateKeys(staffKey),
        .. InvalidText(staffKey),
        .. Invisible("control/format/bidi", InvisibleOrControl),
        .. Invisible("unassigned/private use/blank", Unprintable),
        .. InvisibleElsewhere(),
        .. HugeInput(staffKey),
        .. Framing(),
        .. PathTricks(),
        .. QueryTricks(staffKey),
        .. KeyTricks(staffKey),
        .. WrongMethods(staffKey),
        .. ContentTypes(),
        .. UnknownClinics(staffKey),
        .. Pages(),
        .. SlowBodies(),
    ];

    private static IEnumerable<HostileCase> MalformedJson(string key)
    {
        string[] bodies =
        [
            "", " ", "{", "}", "{\"clinic\":}", "[]", "null", "true", "1", "\"lab\"", "{\"clinic\":\"lab\",}", "{'clinic':'lab'}",
            "{clinic:\"lab\"}", "{\"clinic\":\"lab\"}garbage", "{\"a\":1}{\"b\":2}", "/*c*/{\"clinic\":\"lab\"}", "{\"clinic\":\"lab\" \"user\":\"x\"}",
            "{\"x\":NaN}", "{\"clinic\":\"lab\\x41\"}", "{\"clinic\":\"lab", "\u0000", "{\"clinic\":\"lab\"}\u0000",
        ];
        foreach (var (name, path, staff, _) in Posts)
        {
            foreach (var (body, i) in bodies.Select((b, i) => (b, i)))
            {
                yield return new("malformed JSON", $"{name} #{i}", Post(path, body, staff ? key : null), Refused, 400, "INVALID_JSON");
            }
        }
    }

    private static IEnumerable<HostileCase> DeepNesting(string key)
    {
        foreach (var (name, path, staff, _) in Posts)
        {
            foreach (var depth in new[] { 65, 500, 2000 })
            {
                yield return new("deep nesting", $"{name} array {depth}", Post(path, new string('[', depth) + new string(']', depth), staff ? key : null), Refused, 400, "INVALID_JSON");
            }

            var objects = string.Concat(Enumerable.Repeat("{\"clinic\":", 300)) + "1" + new string('}', 300);
            yield return new("deep nesting", $"{name} objects 300", Post(path, objects, staff ? key : null), Refused, 400, "INVALID_JSON");
            var field = "{\"clinic\":" + new string('[', 200) + new string(']', 200) + ",\"user\":\"A\"}";
            yield return new("deep nesting", $"{name} nested field", Post(path, field, staff ? key : null), Refused, 400);
            var unclosed = "{\"clinic\":" + new string('[', 3000);
            yield return new("deep nesting", $"{name} unclosed", Post(path, unclosed, staff ? key : null), Refused, 400, "INVALID_JSON");
        }
    }

    private static IEnumerable<HostileCase> WrongTypes(string key)
    {
        string[] wrong = ["1", "-0", "1e400", "true", "[]", "[\"lab\"]", "{}", "{\"clinic\":\"lab\"}"];
        foreach (var value in wrong)
        {
            yield return new("wrong types", $"enter clinic {value}", Post("/api/v1/queue/enter", $"{{\"clinic\":{value},\"user\":\"A\"}}"), Refused, 400, "INVALID_CLINIC");
            yield return new("wrong types", $"enter user {value}", Post("/api/v1/queue/enter", $"{{\"clinic\":\"lab\",\"user\":{value}}}"), Refused, 400, "INVALID_USER");
            yield return new("wrong types", $"done pin {value}", Post("/api/v1/queue/done", $"{{\"clinic\":\"lab\",\"user\":\"A\",\"pin\":{value}}}"), Refused, 400, "INVALID_PIN_FORMAT");
            yield return new("wrong types", $"call clinic {value}", Post("/api/v1/queue/call", $"{{\"clinic\":{value}}}", key), Refused, 400, "INVALID_CLINIC");
            yield return new("wrong types", $"visits exam {value}", Post("/api/v1/visits", $"{{\"user\":\"A\",\"exam\":{value},\"gender\":\"male\"}}"), Refused, 400, "INVALID_EXAM");
        }

        foreach (var (name, path, staff, template) in Posts)
        {
            var firstField = template.Split('"')[1];
            yield return new("wrong types", $"{name} {firstField} null", Post(path, template.Replace($"\"{firstField}\":\"", $"\"{firstField}\":null,\"x\":\"", StringComparison.Ordinal), staff ? key : null), Refused, 400, "MISSING_FIELD");
            yield return new("wrong types", $"{name} no fields", Post(path, "{}", staff ? key : null), Refused, 400, "MISSING_FIELD");
        }

        yield return new("wrong types", "done pin too short", Post("/api/v1/queue/done", "{\"clinic\":\"lab\",\"user\":\"A\",\"pin\":\"12\"}"), Refused, 400, "INVALID_PIN_FORMAT");
        yield return new("wrong types", "done pin Arabic digits", Post("/api/v1/queue/done", "{\"clinic\":\"lab\",\"user\":\"A\",\"pin\":\"\u0661\u0662\u0663\u0664\"}"), Refused, 400, "INVALID_PIN_FORMAT");
        yield return new("wrong types", "visits gender other", Post("/api/v1/visits", "{\"user\":\"A\",\"exam\":\"recruitment\",\"gender\":\"x\"}"), Refused, 400, "INVALID_GENDER");
        yield return new("wrong types", "visits gender number", Post("/api/v1/visits", "{\"user\":\"A\",\"exam\":\"recruitment\",\"gender\":1}"), Refused, 400, "INVALID_GENDER");
    }

    private static IEnumerable<HostileCase> DuplicateKeys(string key)
    {
        foreach (var (name, path, staff, template) in Posts)
        {
            var firstField = template.Split('"')[1];
            var twice = "{\"" + firstField + "\":\"nowhere\"," + template[1..];
            yield return new("duplicate keys", $"{name} {firstField} twice", Post(path, twice, staff ? key : null), Refused, 400, "INVALID_JSON");
            var extraTwice = template[..^1] + ",\"x\":1,\"x\":2}";
            yield return new("duplicate keys", $"{name} unknown key twice", Post(path, extraTwice, staff ? key : null), Refused, 400, "INVALID_JSON");
            var escaped = "{\"\\u" + ((int)firstField[0]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + firstField[1..] + "\":\"nowhere\"," + template[1..];
            yield return new("duplicate keys", $"{name} {firstField} twice, once escaped", Post(path, escaped, staff ? key : null), Refused, 400, "INVALID_JSON");
        }
    }

    private static IEnumerable<HostileCase> InvalidText(string key)
    {
        byte[][] badUtf8 = [[0xff], [0xc0, 0xaf], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];
        foreach (var (bytes, i) in badUtf8.Select((b, i) => (b, i)))
        {
            yield return new("invalid UTF-8/UTF-16", $"enter user raw bytes #{i}", PostBytes("/api/v1/queue/enter", Concat("{\"clinic\":\"lab\",\"user\":\"A"u8, bytes, "\"}"u8)), Refused, 400, "INVALID_JSON");
            yield return new("invalid UTF-8/UTF-16", $"visits user raw bytes #{i}", PostBytes("/api/v1/visits", Concat("{\"user\":\"A"u8, bytes, "\",\"exam\":\"recruitment\",\"gender\":\"male\"}"u8)), Refused, 400, "INVALID_JSON");
            yield return new("invalid UTF-8/UTF-16", $"enter unread field raw bytes #{i}", PostBytes("/api/v1/queue/enter", Concat("{\"clinic\":\"lab\",\"user\":\"HOSTILE_2\",\"note\":\"A"u8, bytes, "\"}"u8)), Refused, 400, "INVALID_JSON");
            yield return new("invalid UTF-8/UTF-16", $"call clinic raw bytes #{i}", PostBytes("/api/v1/queue/call", Concat("{\"clinic\":\"la"u8, bytes, "\"}"u8), key), Refused, 400, "INVALID_JSON");
        }

        string[] loneSurrogates = ["\\ud800", "\\udfff", "a\\ud800b", "\\udc00\\ud800", "\\ud800\\ud800", "\\udbff"];
        foreach (var escape in loneSurrogates)
        {
            yield return new("invalid UTF-8/UTF-16", $"enter user {escape}", Post("/api/v1/queue/enter", $"{{\"clinic\":\"lab\",\"user\":\"{escape}\"}}"), Refused, 400, "INVALID_USER");
            yield return new("invalid UTF-8/UTF-16", $"enter clinic {escape}", Post("/api/v1/queue/enter", $"{{\"clinic\":\"{escape}\",\"user\":\"A\"}}"), Refused, 400, "INVALID_CLINIC");
            yield return new("invalid UTF-8/UTF-16", $"done pin {escape}", Post("/api/v1/queue/done", $"{{\"clinic\":\"lab\",\"user\":\"A\",\"pin\":\"{escape}\"}}"), Refused, 400, "INVALID_PIN_FORMAT");
            yield return new("invalid UTF-8/UTF-16", $"visits exam {escape}", Post("/api/v1/visits", $"{{\"user\":\"A\",\"exam\":\"{escape}\",\"gender\":\"male\"}}"), Refused, 400, "INVALID_EXAM");
        }

        var utf16 = Encoding.Unicode.GetBytes("{\"clinic\":\"lab\",\"user\":\"A\"}");
        yield return new("invalid UTF-8/UTF-16", "enter body in UTF-16", PostBytes("/api/v1/queue/enter", utf16), Refused, 400, "INVALID_JSON");
        yield return new("invalid UTF-8/UTF-16", "enter body in UTF-16 with BOM", PostBytes("/api/v1/queue/enter", [0xff, 0xfe, .. utf16]), Refused, 400, "INVALID_JSON");
        yield return new("invalid UTF-8/UTF-16", "enter body in UTF-32", PostBytes("/api/v1/queue/enter", Encoding.UTF32.GetBytes("{\"clinic\":\"lab\",\"user\":\"A\"}")), Refused, 400, "INVALID_JSON");

        // Percent-encoded bytes that are not UTF-8 are decoded to U+FFFD by the server: an odd but printable id.
        yield return new("invalid UTF-8/UTF-16", "status clinic %FF", Get("/api/v1/queue/status?clinic=%FF"), Refused, 400, "INVALID_CLINIC");
        yield return new("invalid UTF-8/UTF-16", "status user %ED%A0%80", Get("/api/v1/queue/status?clinic=lab&user=%ED%A0%80"), Read);
        yield return new("invalid UTF-8/UTF-16", "stream clinic %C0%AF", Get("/api/v1/events/stream?clinic=%C0%AFlab"), Refused, 400, "INVALID_CLINIC");
        yield return new("invalid UTF-8/UTF-16", "tickets clinic %ED%B0%80", Get("/api/v1/queue/tickets?clinic=%ED%B0%80", key), Refused, 400, "INVALID_CLINIC");
        yield return new("invalid UTF-8/UTF-16", "visits user %FF%FE", Get("/api/v1/visits?user=%FF%FE"), Refused, 404, "NO_VISIT");
        yield return new("invalid UTF-8/UTF-16", "qr user %80", Get("/qr?user=%80"), Page);
        yield return new("invalid UTF-8/UTF-16", "raw byte in path", RawGet("/api/v1/queue/st\u00ffatus?clinic=nowhere"), RefusedByServer);
        yield return new("invalid UTF-8/UTF-16", "raw byte in query", RawGet("/api/v1/queue/status?clinic=la\u00ffb"), RefusedByServer);
    }

    private static IEnumerable<HostileCase> Invisible(string kind, string[] characters)
    {
        foreach (var c in characters)
        {
            var escaped = string.Concat(c.Select(ch => $"\\u{(int)ch:x4}"));
            var encoded = Uri.EscapeDataString(c);
            var name = $"U+{char.ConvertToUtf32(c, 0):X4}";
            yield return new(kind, $"enter user {name}", Post("/api/v1/queue/enter", $"{{\"clinic\":\"lab\",\"user\":\"12{escaped}34\"}}"), Refused, 400, "INVALID_USER");
            yield return new(kind, $"enter user only {name}", Post("/api/v1/queue/enter", $"{{\"clinic\":\"lab\",\"user\":\"{escaped}\"}}"), Refused, 400, "INVALID_USER");
            yield return new(kind, $"done clinic {name}", Post("/api/v1/queue/done", $"{{\"clinic\":\"la{escaped}b\",\"user\":\"A\",\"pin\":\"1234\"}}"), Refused, 400, "INVALID_CLINIC");
            yield return new(kind, $"status user {name}", Get($"/api/v1/queue/status?clinic=lab&user=12{encoded}34"), Refused, 400, "INVALID_USER");
            yield return new(kind, $"qr user {name}", Get($"/qr?user=12{encoded}34"), Refused, 400, "INVALID_USER");
        }
    }

    private static IEnumerable<HostileCase> InvisibleElsewhere()
    {
        yield return new("control/format/bidi", "visits user RLO", Post("/api/v1/visits", "{\"user\":\"\\u202e1234\",\"exam\":\"recruitment\",\"gender\":\"male\"}"), Refused, 400, "INVALID_USER");
        yield return new("control/format/bidi", "visits get user LRI", Get("/api/v1/visits?user=%E2%81%A6123"), Refused, 400, "INVALID_USER");
        yield return new("control/format/bidi", "stream user ZWSP", Get("/api/v1/events/stream?clinic=lab&user=%E2%80%8B"), Refused, 400, "INVALID_USER");
        yield return new("control/format/bidi", "raw control byte in query", RawGet("/api/v1/queue/status?clinic=lab\u0001"), RefusedByServer);
        yield return new("control/format/bidi", "NUL in a header value", Raw("GET /api/v1/queue/status?clinic=nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-A: a\u0000b\r\n\r\n"), RefusedByServer);
    }

    private static IEnumerable<HostileCase> HugeInput(string key)
    {
        var overSize = "{\"clinic\":\"lab\",\"user\":\"A\",\"pad\":\"" + new string('x', 4100) + "\"}";
        foreach (var (name, path, staff, _) in Posts)
        {
            var k = staff ? key : null;
            yield return new("huge input", $"{name} 4 KiB + 1, declared", Post(path, overSize, k), Refused, 413, "BODY_TOO_LARGE");
            yield return new("huge input", $"{name} 4 KiB + 1, chunked", Chunked(path, [Encoding.UTF8.GetBytes(overSize)], k), Refused, 413, "BODY_TOO_LARGE");
            yield return new("huge input", $"{name} 1 MiB chunked", Chunked(path, Enumerable.Repeat(new byte[64 * 1024], 16).ToArray(), k), Refused, 413, "BODY_TOO_LARGE");
            yield return new("huge input", $"{name} 10 MB declared, 64 KiB sent", Declared(path, 10_000_000, new byte[64 * 1024], k), Refused, 413, "BODY_TOO_LARGE");
            yield return new("huge input", $"{name} 2^62 declared", Declared(path, 1L << 62, new byte[16], k), RefusedByServer, 413);
            yield return new("huge input", $"{name} body without length", PostBytes(path, "{\"clinic\":\"lab\",\"user\":\"A\"}"u8.ToArray(), k, contentLength: false), RefusedByServer, 400);
        }

        yield return new("huge input", "enter user 65 chars", Post("/api/v1/queue/enter", $"{{\"clinic\":\"lab\",\"user\":\"{new string('9', 65)}\"}}"), Refused, 400, "INVALID_USER");
        yield return new("huge input", "enter user 4000 chars", Post("/api/v1/queue/enter", $"{{\"clinic\":\"lab\",\"user\":\"{new string('9', 4000)}\"}}"), Refused, 400, "INVALID_USER");
        yield return new("huge input", "enter user 1300 escapes", Post("/api/v1/queue/enter", $"{{\"clinic\":\"lab\",\"user\":\"{string.Concat(Enumerable.Repeat("\\u0661", 650))}\"}}"), Refused, 400, "INVALID_USER");
        yield return new("huge input", "enter clinic 33 chars", Post("/api/v1/queue/enter", $"{{\"clinic\":\"{new string('a', 33)}\",\"user\":\"A\"}}"), Refused, 400, "INVALID_CLINIC");
        yield return new("huge input", "enter 400 unknown keys", Post("/api/v1/queue/enter", "{" + string.Concat(Enumerable.Range(0, 400).Select(i => $"\"k{i}\":0,")) + "\"clinic\":\"nowhere\",\"user\":\"A\"}"), Refused, 404, "UNKNOWN_CLINIC");
        yield return new("huge input", "status query 6,000 chars", Get("/api/v1/queue/status?clinic=" + new string('a', 6000)), Refused, 400, "INVALID_CLINIC");
        yield return new("huge input", "stream query 6,000 chars", Get("/api/v1/events/stream?clinic=" + new string('a', 6000)), Refused, 400, "INVALID_CLINIC");
        yield return new("huge input", "stream 17 clinics", Get("/api/v1/events/stream?clinic=" + string.Join(',', Enumerable.Repeat("lab", 17))), Refused, 400, "INVALID_CLINIC");
        yield return new("huge input", "qr user 6,000 chars", Get("/qr?user=" + new string('9', 6000)), Refused, 400, "INVALID_USER");
        yield return new("huge input", "status query 100,000 chars", Get("/api/v1/queue/status?clinic=" + new string('a', 100_000)), RefusedByServer, 414);
        yield return new("huge input", "status 40 KiB header", Get("/api/v1/queue/status?clinic=nowhere", headers: [("Cookie", new string('c', 40_000))]), RefusedByServer, 431);
        yield return new("huge input", "status 500 headers", Get("/api/v1/queue/status?clinic=nowhere", headers: Enumerable.Range(0, 500).Select(i => ($"X-H{i}", "v")).ToArray()), RefusedByServer);
        yield return new("huge input", "kiosk query 6,000 chars", Get("/kiosk?x=" + Marker + new string('a', 6000)), Page);
        yield return new("huge input", "asset name 2,000 chars", Get("/assets/" + new string('a', 2000) + ".js"), Refused, 404);
    }

    /// <summary>Ways to frame a body that two servers could read differently (request smuggling) or not at all.</summary>
    private static IEnumerable<HostileCase> Framing()
    {
        const string start = "POST /api/v1/queue/enter HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n";
        const string body = "{\"clinic\":\"nowhere\",\"user\":\"A\"}";
        (string Name, string Wire, HostileOutcome Outcome, int? Status)[] cases =
        [
            // Chunked wins over a length (RFC 9112 6.3), and the connection closes after it: the app reads the body once.
            ("length and chunked", $"{start}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n{body.Length:x}\r\n{body}\r\n0\r\n\r\n", Refused, 404),
            ("two different lengths", $"{start}Content-Length: {body.Length}\r\nContent-Length: 3\r\n\r\n{body}", RefusedByServer, 400),
            ("negative length", $"{start}Content-Length: -1\r\n\r\n{body}", RefusedByServer, 400),
            ("length not a number", $"{start}Content-Length: 1e3\r\n\r\n{body}", RefusedByServer, 400),
            ("gzip not chunked", $"{start}Transfer-Encoding: gzip\r\n\r\n{body}", RefusedByServer, 400),
            ("chunked then gzip", $"{start}Transfer-Encoding: chunked, gzip\r\n\r\n{body}", RefusedByServer, 400),
            ("bad chunk size", $"{start}Transfer-Encoding: chunked\r\n\r\nzz\r\n{body}\r\n0\r\n\r\n", RefusedOrDropped, null),
            ("chunk larger than sent", $"{start}Transfer-Encoding: chunked\r\n\r\nffffffff\r\n{body}", RefusedOrDropped, null),
            ("long chunk extension", $"{start}Transfer-Encoding: chunked\r\n\r\n{body.Length:x};{new string('e', 10_000)}\r\n{body}\r\n0\r\n\r\n", RefusedOrDropped, null),
            ("folded header", $"{start}X-A: a\r\n b\r\nContent-Length: {body.Length}\r\n\r\n{body}", RefusedByServer, 400),
            ("space before colon", $"{start}Content-Length : {body.Length}\r\n\r\n{body}", RefusedByServer, 400),
            ("HTTP/1.0 without length", $"POST /api/v1/queue/enter HTTP/1.0\r\nContent-Type: application/json\r\n\r\n{body}", RefusedByServer, 400),
            ("HTTP/1.0 with length", $"POST /api/v1/queue/enter HTTP/1.0\r\nContent-Length: {body.Length}\r\n\r\n{body}", Refused, 404),
            ("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", RefusedOrDropped, null),
            ("HTTP/9.9", $"GET /api/v1/queue/status?clinic=nowhere HTTP/9.9\r\nHost: x\r\n\r\n", VersionRefused, 505),
            ("no Host header", "GET /api/v1/queue/status?clinic=nowhere HTTP/1.1\r\nConnection: close\r\n\r\n", RefusedByServer, 400),
            ("two Host headers", "GET /api/v1/queue/status?clinic=nowhere HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", RefusedByServer, 400),
            ("100-continue, 10 MB declared, never sent", $"{start}Expect: 100-continue\r\nContent-Length: 10000000\r\n\r\n", Refused, 413),
            ("100-continue, body not UTF-8", $"{start}Expect: 100-continue\r\nContent-Length: 3\r\n\r\n\u00ff\u00fe\u00fd", Refused, 400),
            ("bare LF line ends", "GET /api/v1/queue/status?clinic=nowhere HTTP/1.1\nHost: x\nConnection: close\n\n", RefusedByServer, null),
        ];
        foreach (var (name, wire, outcome, status) in cases)
        {
            yield return new("framing", name, Raw(wire), outcome, status);
        }
    }

    private static IEnumerable<HostileCase> PathTricks()
    {
        (string Target, HostileOutcome Outcome, int? Status)[] targets =
        [
            ("/api/v1/queue%2Fstatus?clinic=nowhere", Refused, 404),
            ("/api%2Fv1%2Fqueue%2Fenter", Refused, 404),
            ("/api/v1/queue/status/../enter", Refused, 405),
            ("/api/v1/queue/x/../status?clinic=nowhere", Refused, 404),
            ("/api/v1/queue/./status?clinic=nowhere", Refused, 404),
            ("/api/v1/queue/%2e%2e/queue/status?clinic=nowhere", Refused, 404),
            ("/api/v1/queue/%2E/status?clinic=nowhere", Refused, 404),
            ("/api/v1//queue/status?clinic=nowhere", Refused, 404),
            ("/api/v1/queue/status/?clinic=nowhere", Refused, 404),
            ("/API/V1/QUEUE/STATUS?clinic=nowhere", Refused, 404),
            ("/api/v1/queue/status;x=1?clinic=nowhere", Refused, 404),
            ("/api/v1/queue/status%00?clinic=nowhere", RefusedByServer, null),
            ("/api/v1/queue/status%20?clinic=nowhere", Refused, 404),
            ("/../../etc/passwd", RefusedByServer, null),
            ("/api/v1/../../../etc/passwd", RefusedByServer, null),
            ("/assets/..%2Fpages%2Fkiosk.html", Refused, 404),
            ("/assets/..%5Cpages%5Ckiosk.html", Refused, 404),
            ("/assets/%2e%2e", Refused, 404),
            ("/assets/.", Refused, 404),
            ("/assets/..", Refused, 404),
            ("/assets/common.js%00.png", RefusedByServer, null),
            ("/assets/COMMON.JS", Refused, 404),
            ("/assets/common.js/", Page, 200),
            ("/assets/%252e%252e%252fpages%252fkiosk.html", Refused, 404),
            ("/assets/..%252f..%252fappsettings.json", Refused, 404),
            ("/assets/con", Refused, 404),
            ("/assets/*", Refused, 404),
            ("/assets/%2fetc%2fpasswd", Refused, 404),
            ("/assets/", Refused, 404),
            ("/assets", Refused, 404),
            ("/kiosk/../clinic", Page, 200),
            ("/kiosk.html", Refused, 404),
            ("/pages/kiosk.html", Refused, 404),
            ("/wwwroot/pages/kiosk.html", Refused, 404),
            ("/QueueFunctions.dll", Refused, 404),
            ("/appsettings.json", Refused, 404),
            ("http://evil.example/api/v1/queue/status?clinic=nowhere", RefusedByServer, null),
            ("*", RefusedByServer, null),
        ];
        foreach (var (target, outcome, status) in targets)
        {
            yield return new("path tricks", target.Length > 60 ? target[..60] : target, RawGet(target), outcome, status);
        }
    }

    private static IEnumerable<HostileCase> QueryTricks(string key)
    {
        (string Target, bool Staff, HostileOutcome Outcome, int? Status, string? Code)[] targets =
        [
            ("/api/v1/queue/status?clinic=lab&clinic=xray", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=lab&clinic=lab", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=lab&user=A&user=B", false, Refused, 400, "INVALID_USER"),
            ("/api/v1/events/stream?clinic=lab&clinic=xray", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/events/stream?clinic=lab&user=A&user=B", false, Refused, 400, "INVALID_USER"),
            ("/api/v1/queue/tickets?clinic=lab&clinic=xray", true, Refused, 400, "INVALID_CLINIC"),
            ("/qr?user=A&user=B", false, Refused, 400, "INVALID_USER"),
            ("/api/v1/visits?user=A&user=B", false, Refused, 400, "INVALID_USER"),
            ("/api/v1/queue/status", false, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/queue/status?clinic=", false, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/queue/status?clinic", false, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/queue/status?=lab", false, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/queue/status?clinic[]=lab", false, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/queue/status?CLINIC=nowhere", false, Refused, 404, "UNKNOWN_CLINIC"),
            ("/api/v1/queue/status?%63linic=nowhere", false, Refused, 404, "UNKNOWN_CLINIC"),
            ("/api/v1/queue/status?clinic=lab%00", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=lab%2Cxray", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=la%20b", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=%2e%2e%2flab", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=lab&user=", false, Read, 200, null),
            ("/api/v1/queue/status?clinic=lab;user=A", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=lab#fragment", false, RefusedByServer, null, null),
            ("/api/v1/queue/status?clinic=lab?clinic=xray", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=%252Flab", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/queue/status?clinic=lab&" + string.Join('&', Enumerable.Range(0, 300).Select(i => $"p{i}=1")), false, Read, 200, null),
            ("/api/v1/queue/status?clinic=lab&" + string.Join('&', Enumerable.Repeat("clinic=lab", 300)), false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/events/stream", false, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/events/stream?clinic=lab,", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/events/stream?clinic=,,,", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/events/stream?clinic=lab,xray&user=A", false, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/events/stream?clinic=lab,nowhere", false, Refused, 404, "UNKNOWN_CLINIC"),
            ("/api/v1/visits", false, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/visits?user=%20%20", false, Refused, 400, "INVALID_USER"),
            ("/qr", false, Refused, 400, "MISSING_FIELD"),
            ("/qr?user=" + new string('9', 65), false, Refused, 400, "INVALID_USER"),
            ("/api/v1/queue/tickets", true, Refused, 400, "MISSING_FIELD"),
            ("/api/v1/reports/daily?date=2026-02-30", true, Refused, 400, "INVALID_DATE"),
            ("/api/v1/reports/daily?date=..%2F..%2F", true, Refused, 400, "INVALID_DATE"),
            ("/api/v1/reports/daily?date=9999-12-31", true, Refused, 400, "INVALID_DATE"),
            ("/api/v1/reports/daily?date=2026-11-29T00:00", true, Refused, 400, "INVALID_DATE"),
            ("/api/v1/reports/daily?date=%00", true, Refused, 400, "INVALID_DATE"),
            ("/api/v1/reports/daily?format=xml", true, Refused, 400, "INVALID_FORMAT"),
            ("/api/v1/reports/daily?format=csv&format=json", true, Refused, 400, "INVALID_FORMAT"),
            ("/api/v1/reports/daily?clinic=..%2F", true, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/reports/daily?clinic=nowhere", true, Refused, 404, "UNKNOWN_CLINIC"),
            ("/api/v1/reports/daily?clinic=lab&clinic=xray", true, Refused, 400, "INVALID_CLINIC"),
            ("/api/v1/reports/range?from=..%2F..%2F&to=2026-01-31", true, Refused, 400, "INVALID_DATE"),
            ("/api/v1/reports/range?from=2026-01-01&from=2026-01-02&to=2026-01-31", true, Refused, 400, "INVALID_DATE"),
            ("/api/v1/reports/range?from=2026-01-01&to=9999-12-31", true, Refused, 400, "INVALID_RANGE"),
            ("/api/v1/reports/range?from=0001-01-01&to=2026-01-31", true, Refused, 400, "INVALID_RANGE"),
        ];
        foreach (var (target, staff, outcome, status, code) in targets)
        {
            yield return new("query tricks", target.Length > 70 ? target[..70] : target, Get(target, staff ? key : null), outcome, status, code);
        }
    }

    private static IEnumerable<HostileCase> KeyTricks(string key)
    {
        (string Path, string Method, string Body)[] staffRoutes =
        [
            ("/api/v1/queue/call", "POST", "{\"clinic\":\"lab\"}"),
            ("/api/v1/queue/reset", "POST", "{\"clinic\":\"lab\"}"),
            ("/api/v1/pin/status", "GET", ""),
            ("/api/v1/queue/tickets?clinic=lab", "GET", ""),
            ("/api/v1/reports/daily", "GET", ""),
            ("/api/v1/reports/range?from=2026-01-01&to=2026-01-31", "GET", ""),
            ("/api/v1/overview", "GET", ""),
            ("/api/v1/overview/stream", "GET", ""),
        ];
        (string Name, (string, string)[] Headers, string Query)[] tricks =
        [
            ("no key", [], ""),
            ("wrong key", [("x-functions-key", "wrong")], ""),
            ("empty key", [("x-functions-key", "")], ""),
            // The host reads the first value only (as on Azure): a right key after a wrong one does not count.
            ("wrong key, then the key, in header", [("x-functions-key", "wrong"), ("x-functions-key", key)], ""),
            ("key with a space", [("x-functions-key", key + " x")], ""),
            ("key prefix", [("x-functions-key", key[..^1])], ""),
            ("wrong code", [], "code=wrong"),
            ("wrong code, then the key as code", [], $"code=wrong&code={key}"),
            ("empty header, no code", [("x-functions-key", " ")], ""),
        ];
        foreach (var (path, method, body) in staffRoutes)
        {
            foreach (var (name, headers, query) in tricks)
            {
                var target = query.Length == 0 ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
                var request = method == "GET"
                    ? RawRequest.Of("GET", target, headers)
                    : RawRequest.Of("POST", target, [.. headers, ("Content-Type", Json)], Encoding.UTF8.GetBytes(body));
                yield return new("function key tricks", $"{path} {name}", request, Refused, 401);
            }
        }
    }

    private static IEnumerable<HostileCase> WrongMethods(string key)
    {
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"];
        foreach (var (path, staff, method) in Routes)
        {
            foreach (var wrong in methods.Where(m => !method.Split(',').Contains(m)))
            {
                var headers = staff ? new[] { ("x-functions-key", key) } : [];
                var body = wrong is "GET" or "HEAD" or "TRACE" or "OPTIONS" ? null : "{\"clinic\":\"nowhere\"}"u8.ToArray();
                yield return new("wrong methods", $"{wrong} {path}", RawRequest.Of(wrong, path, headers, body), Refused, 405);
            }
        }
    }

    private static IEnumerable<HostileCase> ContentTypes()
    {
        const string Valid = "{\"clinic\":\"nowhere\",\"user\":\"A\",\"pin\":\"1234\",\"exam\":\"none\",\"gender\":\"male\"}";
        (string Type, string Body, int Status, string Code)[] cases =
        [
            ("text/plain", "clinic=lab&user=A", 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("application/x-www-form-urlencoded", "clinic=lab&user=A", 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"clinic\"\r\n\r\nlab\r\n--b--", 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("application/xml", "<clinic>lab</clinic>", 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("text/html", "<script>" + Marker + "</script>", 415, "UNSUPPORTED_MEDIA_TYPE"),
            // A valid body under a declaration that contradicts it: refused for the declaration alone.
            ("text/plain;charset=UTF-8", Valid, 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("application/json; charset=utf-16", Valid, 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("application/json; charset=latin1", Valid, 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("application/jsonx", Valid, 415, "UNSUPPORTED_MEDIA_TYPE"),
            ("application/json;;", Valid, 415, "UNSUPPORTED_MEDIA_TYPE"),
            // JSON in UTF-8, declared or not: read, and these name an unknown clinic or exam, so nothing changes.
            ("APPLICATION/JSON; CHARSET=UTF-8", Valid, 0, ""),
            ("", Valid, 0, ""),
        ];
        foreach (var (name, path, _, _) in Posts.Where(p => !p.Staff))
        {
            foreach (var (type, body, status, code) in cases)
            {
                var headers = type.Length == 0 ? Array.Empty<(string, string)>() : [("Content-Type", type)];
                var request = RawRequest.Of("POST", path, headers, Encoding.UTF8.GetBytes(body));

                (int? expected, string? expectedCode) = status != 0 ? (status, code) : name == "visits" ? (400, "INVALID_EXAM") : (404, "UNKNOWN_CLINIC");
                yield return new("content types", $"{name} '{type}'", request, Refused, expected, expectedCode);
            }

            var gzip = RawRequest.Of("POST", path, [("Content-Type", Json), ("Content-Encoding", "gzip")], [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            yield return new("content types", $"{name} gzip", gzip, Refused, 400, "INVALID_JSON");
        }
    }

    private static IEnumerable<HostileCase> UnknownClinics(string key)
    {
        string[] clinics = ["nowhere", "lab2", "LAB_", new string('z', 32), "cardio", "-", "_"];
        foreach (var clinic in clinics)
        {
            yield return new("unknown clinics", $"enter {clinic}", Post("/api/v1/queue/enter", $"{{\"clinic\":\"{clinic}\",\"user\":\"A\"}}"), Refused, 404, "UNKNOWN_CLINIC");
            yield return new("unknown clinics", $"done {clinic}", Post("/api/v1/queue/done", $"{{\"clinic\":\"{clinic}\",\"user\":\"A\",\"pin\":\"1234\"}}"), Refused, 404, "UNKNOWN_CLINIC");
            yield return new("unknown clinics", $"call {clinic}", Post("/api/v1/queue/call", $"{{\"clinic\":\"{clinic}\"}}", key), Refused, 404, "UNKNOWN_CLINIC");
            yield return new("unknown clinics", $"reset {clinic}", Post("/api/v1/queue/reset", $"{{\"clinic\":\"{clinic}\"}}", key), Refused, 404, "UNKNOWN_CLINIC");
            yield return new("unknown clinics", $"status {clinic}", Get($"/api/v1/queue/status?clinic={clinic}"), Refused, 404, "UNKNOWN_CLINIC");
            yield return new("unknown clinics", $"stream {clinic}", Get($"/api/v1/events/stream?clinic={clinic}"), Refused, 404, "UNKNOWN_CLINIC");
            yield return new("unknown clinics", $"tickets {clinic}", Get($"/api/v1/queue/tickets?clinic={clinic}", key), Refused, 404, "UNKNOWN_CLINIC");
        }
    }

    private static IEnumerable<HostileCase> Pages()
    {
        var script = Uri.EscapeDataString($"<script>{Marker}</script>");
        string[] targets =
        [
            $"/kiosk?x={script}", $"/kiosk?idle={script}", $"/display?clinic={script}", $"/display?clinic=..%2F..%2F{Marker}",
            $"/clinic?clinic={script}", $"/clinic?clinic=lab&code={Marker}", $"/ticket?user={script}", $"/ticket?user=1&clinic={script}",
            $"/ticket?user=%E2%80%AE{Marker}", $"/display?clinic=lab&clinic=xray&{Marker}=1",
        ];
        foreach (var target in targets)
        {
            yield return new("pages", target.Length > 50 ? target[..50] : target, Get(target), Page);
        }

        yield return new("pages", "stream with hostile Last-Event-ID", Get("/api/v1/events/stream?clinic=xray", headers: [("Last-Event-ID", "-1' OR 1=1; " + new string('9', 400))]), HostileOutcome.Stream);
        yield return new("pages", "stream with Accept: application/json", Get("/api/v1/events/stream?clinic=xray", headers: [("Accept", "application/json")]), HostileOutcome.Stream);
    }

    private static IEnumerable<HostileCase> SlowBodies()
    {
        var slow = TimeSpan.FromSeconds(45);
        var head = "POST /api/v1/queue/enter HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n";

        // A byte every 250 ms, far below any real client: the server's minimum data rate drops it, or the app's read time ends it.
        yield return new("slow bodies", "declared length, 4 bytes/s, never completes", Trickle(head + "Content-Length: 200\r\n\r\n", "{\"clinic\":", TimeSpan.FromMilliseconds(250)), RefusedOrDropped, Within: slow);
        yield return new("slow bodies", "chunked, 4 bytes/s, never ends", Trickle(head + "Transfer-Encoding: chunked\r\n\r\n", "a\r\n{\"clinic\":\r\n", TimeSpan.FromMilliseconds(250), chunkedSpaces: true), RefusedOrDropped, Within: slow);

        // 30 bytes every 100 ms (300 B/s) keeps above the server's minimum rate; the app's own read time must end it.
        var steady = Enumerable.Range(0, 400).Select(_ => Encoding.ASCII.GetBytes(new string(' ', 30))).Prepend("{\"clinic\":"u8.ToArray()).ToList();
        yield return new("slow bodies", "no length, 300 bytes/s", new RawRequest(Encoding.ASCII.GetBytes(head + "Transfer-Encoding: chunked\r\n\r\n"), steady.Select(ChunkOf).ToList(), TimeSpan.FromMilliseconds(100)), RefusedOrDropped, Within: slow);
        yield return new("slow bodies", "declared 4,000 bytes at 300 bytes/s", new RawRequest(Encoding.ASCII.GetBytes(head + "Content-Length: 4000\r\n\r\n"), steady, TimeSpan.FromMilliseconds(100)), RefusedOrDropped, Within: slow);
        yield return new("slow bodies", "body cut short", Raw(head + "Content-Length: 100\r\n\r\n{\"clinic\":\"lab\""), RefusedOrDropped, Within: slow);

        // Headers that never end: the server's header time limit closes the connection.
        yield return new("slow bodies", "headers never end", new RawRequest("GET /api/v1/queue/status?clinic=lab HTTP/1.1\r\nHost: x\r\n"u8.ToArray(), [], TimeSpan.FromMilliseconds(500), KeepTrickling: true, Drip: (byte)'X'), RefusedOrDropped, Within: slow);
    }

    private static RawRequest Post(string path, string body, string? key = null) => PostBytes(path, Encoding.UTF8.GetBytes(body), key);

    private static RawRequest PostBytes(string path, byte[] body, string? key = null, bool contentLength = true) =>
        RawRequest.Of("POST", path, key is null ? [("Content-Type", Json)] : [("Content-Type", Json), ("x-functions-key", key)], body, contentLength);

    private static RawRequest Get(string target, string? key = null, (string, string)[]? headers = null) =>
        RawRequest.Of("GET", target, [.. headers ?? [], .. key is null ? Array.Empty<(string, string)>() : [("x-functions-key", key)]]);

    /// <summary>A request target sent byte for byte as written (Latin-1), without any client's clean-up.</summary>
    private static RawRequest RawGet(string target) => Raw($"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    private static RawRequest Raw(string wire) => new(Encoding.Latin1.GetBytes(wire), [], TimeSpan.Zero);

    private static RawRequest Chunked(string path, byte[][] pieces, string? key) => new(
        Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {Json}\r\nTransfer-Encoding: chunked\r\n" + (key is null ? "" : $"x-functions-key: {key}\r\n") + "\r\n"),
        [.. pieces.Select(ChunkOf), "0\r\n\r\n"u8.ToArray()],
        TimeSpan.Zero);

    private static RawRequest Declared(string path, long length, byte[] sent, string? key) => new(
        Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {Json}\r\nContent-Length: {length}\r\n" + (key is null ? "" : $"x-functions-key: {key}\r\n") + "\r\n"),
        [sent],
        TimeSpan.Zero);

    private static RawRequest Trickle(string head, string start, TimeSpan pace, bool chunkedSpaces = false) => chunkedSpaces
        ? new(Encoding.ASCII.GetBytes(head + start), Enumerable.Range(0, 1000).Select(_ => "1\r\n \r\n"u8.ToArray()).ToList(), pace)
        : new(Encoding.ASCII.GetBytes(head + start), [], pace, KeepTrickling: true);

    private static byte[] ChunkOf(byte[] piece) => [.. Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"), .. piece, .. "\r\n"u8];

    private static byte[] Concat(ReadOnlySpan<byte> a, byte[] b, ReadOnlySpan<byte> c) => [.. a, .. b, .. c];
}
