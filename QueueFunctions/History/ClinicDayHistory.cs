namespace QueueFunctions.History;

/// <summary>What the history holds of one clinic's service day: its tickets, and the rounds its resets opened.</summary>
/// <param name="ResetRounds">The round each reset of the day opened (1 for the first). A reset after which nobody
/// entered leaves no ticket of its new round, so only these rows tell that the tickets before it were cleared.</param>
public sealed record ClinicDayHistory(IReadOnlyList<TicketRecord> Tickets, IReadOnlyList<int> ResetRounds);
