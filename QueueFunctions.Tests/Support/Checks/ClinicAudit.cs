using QueueFunctions.Domain;

namespace QueueFunctions.Tests.Support.Checks;

/// <summary>
/// Checks one clinic after a fault against what its clients were told: numbers 1..n exactly once, no patient waiting
/// twice, and every acknowledged ticket held by its patient. What each finding says is the evidence, so a failing test
/// prints it.
/// </summary>
public sealed class ClinicAudit
{
    private ClinicAudit(string clinic) => Clinic = clinic;

    public string Clinic { get; }

    public List<string> Findings { get; } = [];

    /// <summary>Acknowledged (200) tickets that the clinic does not hold for that patient.</summary>
    public int Lost { get; private set; }

    /// <summary>
    /// From the stored state alone, for a clinic whose finished tickets all stay in it (the state keeps the newest 50
    /// finished for an hour; waiting tickets always).
    /// </summary>
    public static ClinicAudit OfState(string clinic, ClinicQueueState stored, IEnumerable<(string User, int Number)> acknowledged)
    {
        var audit = new ClinicAudit(clinic);
        var numbers = stored.Tickets.Select(t => t.Number).Order().ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, stored.LastNumber)))
        {
            audit.Findings.Add($"{clinic}: stored numbers are not exactly 1..{stored.LastNumber}: {Describe(numbers, stored.LastNumber)}");
        }

        audit.CheckOneWaitingTicketEach(stored);
        foreach (var (user, number) in acknowledged)
        {
            if (stored.Tickets.FirstOrDefault(t => t.Number == number) is not { } held || !held.BelongsTo(user))
            {
                audit.Lost++;
                audit.Findings.Add($"{clinic}: {user} was told number {number}, which the clinic holds for {stored.Tickets.FirstOrDefault(t => t.Number == number)?.User ?? "nobody"}");
            }
        }

        return audit;
    }

    /// <summary>
    /// From the clinic's <c>queue-events</c> and its stored state: every change since the day opened arrived (consecutive
    /// versions up to the state's), every number was issued once, and each acknowledged ticket was issued to its patient
    /// and is still waiting, unless the patient was told it is done (<paramref name="doneSent"/>: patients a done was sent for).
    /// </summary>
    public static ClinicAudit OfEvents(
        string clinic,
        ClinicQueueState stored,
        IReadOnlyList<QueueEvent> events,
        long firstVersion,
        IEnumerable<(string User, int Number)> acknowledged,
        IEnumerable<(string User, int Number)> finished,
        IReadOnlySet<string> doneSent)
    {
        var audit = new ClinicAudit(clinic);
        foreach (var twice in events.Where(e => e.Clinic == clinic).Distinct().GroupBy(e => e.Id).Where(g => g.Count() > 1))
        {
            // A repeat is the same message again; one id with two contents is a version the clinic issued twice.
            audit.Findings.Add($"{clinic}: {twice.Key} arrived as {string.Join(" and ", twice.Select(e => $"{e.Type} {e.Number} {e.User}"))}");
        }

        var changes = events.Where(e => e.Clinic == clinic).DistinctBy(e => e.Id).OrderBy(e => e.Version).ToList();
        var expected = Enumerable.Range((int)firstVersion, (int)(stored.Version - firstVersion + 1)).Select(v => (long)v).ToList();
        if (!changes.Select(e => e.Version).SequenceEqual(expected))
        {
            audit.Findings.Add($"{clinic}: queue-events versions {string.Join(",", changes.Select(e => e.Version))} are not exactly {firstVersion}..{stored.Version}");
        }

        var issued = changes.Where(e => e.Type == QueueEvent.TicketIssued).ToList();
        var numbers = issued.Select(e => e.Number!.Value).Order().ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, stored.LastNumber)))
        {
            audit.Findings.Add($"{clinic}: issued numbers are not exactly 1..{stored.LastNumber}: {Describe(numbers, stored.LastNumber)}");
        }

        audit.CheckOneWaitingTicketEach(stored);
        var doneNumbers = changes.Where(e => e.Type == QueueEvent.TicketDone).Select(e => e.Number!.Value).ToHashSet();
        var finishedNumbers = finished.Select(f => f.Number).ToHashSet();
        foreach (var (user, number) in acknowledged)
        {
            var issuedTo = issued.FirstOrDefault(e => e.Number == number)?.User;
            var held = stored.Tickets.FirstOrDefault(t => t.Number == number);
            // Done, when the patient was told so; else waiting, or done by a request that timed out but still landed.
            var isDone = doneNumbers.Contains(number) && held is null or { Status: TicketStatus.Done };
            var keptForUser = finishedNumbers.Contains(number)
                ? isDone
                : (held is { IsWaiting: true } && held.BelongsTo(user)) || (doneSent.Contains(user) && isDone);
            if (issuedTo is null || !string.Equals(issuedTo, user, StringComparison.OrdinalIgnoreCase) || !keptForUser)
            {
                audit.Lost++;
                audit.Findings.Add($"{clinic}: {user} was told number {number}; issued to {issuedTo ?? "nobody"}, stored as {held?.User ?? "-"} {held?.Status}");
            }
        }

        foreach (var number in finishedNumbers.Where(n => !doneNumbers.Contains(n)))
        {
            audit.Findings.Add($"{clinic}: number {number} was answered done but no TICKET_DONE arrived");
        }

        return audit;
    }

    private void CheckOneWaitingTicketEach(ClinicQueueState stored)
    {
        foreach (var twice in stored.Tickets.Where(t => t.IsWaiting).GroupBy(t => ClinicQueueState.UserKey(t.User)).Where(g => g.Count() > 1))
        {
            Findings.Add($"{Clinic}: {twice.Key} waits with {twice.Count()} tickets: {string.Join(",", twice.Select(t => t.Number))}");
        }
    }

    private static string Describe(List<int> numbers, int last)
    {
        var missing = Enumerable.Range(1, last).Except(numbers).Take(10).ToList();
        var doubled = numbers.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).Take(10).ToList();
        return $"{numbers.Count} numbers, missing [{string.Join(",", missing)}], doubled [{string.Join(",", doubled)}]";
    }
}
