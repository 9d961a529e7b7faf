using QueueFunctions.History;

namespace QueueFunctions.Tests.Support.Checks;

/// <summary>What the day's history lacks of what the clinics did: tickets without their issue, finished tickets without their DONE.</summary>
public static class HistoryAudit
{
    /// <param name="issued">Per clinic, the last number issued: every ticket 1..n must be in the history.</param>
    /// <param name="finished">Tickets whose patients were told they are done.</param>
    /// <returns>One line per missing fact; empty when the history has everything.</returns>
    public static async Task<List<string>> MissingAsync(
        HistoryTable history, DateOnly day, IReadOnlyDictionary<string, int> issued, IEnumerable<(string Clinic, int Number)> finished)
    {
        var missing = new List<string>();
        var rows = new Dictionary<string, Dictionary<int, TicketRecord>>();
        foreach (var clinic in issued.Keys)
        {
            var records = (await history.ReadDayAsync(day, clinic, CancellationToken.None)).GetValueOrDefault(clinic)?.Tickets ?? [];
            rows[clinic] = records.Where(r => r.Round == 0).ToDictionary(r => r.Number);
            var notIssued = Enumerable.Range(1, issued[clinic]).Where(n => rows[clinic].GetValueOrDefault(n)?.IssuedAt is null).ToList();
            if (notIssued.Count > 0)
            {
                missing.Add($"{clinic}: {notIssued.Count} of {issued[clinic]} tickets not issued in the history ({string.Join(",", notIssued.Take(20))})");
            }
        }

        var notDone = finished.Where(f => rows[f.Clinic].GetValueOrDefault(f.Number)?.DoneAt is null).ToList();
        if (notDone.Count > 0)
        {
            missing.Add($"{notDone.Count} finished tickets not done in the history ({string.Join(",", notDone.Take(20).Select(f => $"{f.Clinic}/{f.Number}"))})");
        }

        return missing;
    }
}
