using Microsoft.DurableTask.Client;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// The queue's guarantees, checked on the stored entity state after a case. Finished tickets leave the state (the
/// day's history keeps them), but a case's own patients never finish, so all of theirs are still there: they must be
/// numbered exactly the last k numbers of the clinic (no duplicate, no gap, nothing issued past them), one ticket per
/// user, and every 200 answer's number must be the stored ticket of that user.
/// </summary>
public static class GuaranteeCheck
{
    /// <summary>
    /// How often a failed check is repeated, 2 s apart: the entity state a client reads can trail the answers (seen on
    /// the orchestration path: an orchestration had the entity's answer before the entity's new state was readable),
    /// so only what is still wrong after that counts as broken.
    /// </summary>
    const int Attempts = 6;

    /// <param name="finished">
    /// Users whose ticket a done finished: the state keeps only the newest finished tickets, so such a ticket may have
    /// left it; its answered number then stands in for it in the numbering check.
    /// </param>
    public static async Task<List<string>> RunAsync(
        DurableTaskClient client, IEnumerable<string> clinics, IReadOnlyCollection<EnterSample> samples, CancellationToken cancel, IReadOnlySet<string>? finished = null)
    {
        var start = Measure.Now;
        for (var attempt = 1; ; attempt++)
        {
            var broken = await CheckAsync(client, clinics, samples, finished ?? new HashSet<string>(), cancel);
            if (broken.Count == 0 || attempt == Attempts)
            {
                if (attempt > 1)
                {
                    Measure.Progress(Measure.Inv($"  the stored state trailed the answers: checked {attempt} times over {Measure.SecondsSince(start):0.0} s, {(broken.Count == 0 ? "then it held" : "still broken")}"));
                }

                return broken;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancel);
        }
    }

    static async Task<List<string>> CheckAsync(
        DurableTaskClient client, IEnumerable<string> clinics, IReadOnlyCollection<EnterSample> samples, IReadOnlySet<string> finished, CancellationToken cancel)
    {
        var broken = new List<string>();
        var byClinic = samples.ToLookup(s => s.Clinic);
        foreach (var clinic in clinics.Distinct())
        {
            var state = await ReadAsync(client, clinic, cancel);
            var caseUsers = byClinic[clinic].Select(s => s.User).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var tickets = (state?.Tickets ?? []).Where(t => caseUsers.Contains(t.User)).ToList();
            var inState = tickets.Select(t => t.User).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var gone = byClinic[clinic].Where(s => s.Outcome.Status == 200 && finished.Contains(s.User) && !inState.Contains(s.User)).ToList();
            var numbers = tickets.Select(t => t.Number).Concat(gone.Select(s => s.Outcome.Number ?? 0)).Order().ToList();
            var last = state?.LastNumber ?? 0;
            if (!numbers.SequenceEqual(Enumerable.Range(last - numbers.Count + 1, numbers.Count)))
            {
                var duplicates = numbers.GroupBy(n => n).Count(g => g.Count() > 1);
                broken.Add(Measure.Inv($"{clinic}: this case's {numbers.Count} tickets are not exactly the clinic's last numbers up to {last} ({duplicates} duplicated, lowest {numbers.FirstOrDefault()})"));
            }

            var byUser = tickets.GroupBy(t => t.User, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
            var twice = byUser.Count(p => p.Value.Count > 1);
            if (twice > 0)
            {
                broken.Add(Measure.Inv($"{clinic}: {twice} users hold more than one ticket"));
            }

            var answered = byClinic[clinic].Where(s => s.Outcome.Status == 200).ToList();
            var repeated = answered.GroupBy(s => s.Outcome.Number).Count(g => g.Select(s => s.User).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1);
            if (repeated > 0)
            {
                broken.Add(Measure.Inv($"{clinic}: {repeated} numbers were answered to two different users"));
            }

            var missing = 0;
            var differ = 0;
            string? example = null;
            foreach (var sample in answered.Where(s => !gone.Contains(s)))
            {
                if (!byUser.TryGetValue(sample.User, out var held))
                {
                    missing++;
                    example ??= Measure.Inv($"{sample.User} was answered {sample.Outcome.Number} but holds no ticket");
                }
                else if (held[0].Number != sample.Outcome.Number)
                {
                    differ++;
                    example ??= Measure.Inv($"{sample.User} was answered {sample.Outcome.Number} but holds {held[0].Number}");
                }
            }

            if (missing + differ > 0)
            {
                broken.Add(Measure.Inv($"{clinic}: {differ} answers differ from the stored ticket, {missing} answered users hold none (e.g. {example})"));
            }
        }

        return broken;
    }

    /// <summary>A large state lives in a blob the engine swaps on each write; a read racing the swap fails once.</summary>
    static async Task<ClinicQueueState?> ReadAsync(DurableTaskClient client, string clinic, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await client.Entities.GetEntityAsync<ClinicQueueState>(ClinicStateReader.EntityIdOf(clinic), includeState: true, cancel))?.State;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancel);
            }
        }
    }
}
