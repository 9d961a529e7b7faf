using QueueFunctions.History;

namespace QueueFunctions.Tests.Support.Checks;

/// <summary>
/// What a day of requests should leave in the history, worked out from the requests alone: the test keeps its own
/// queue per clinic and notes the moment each ticket reaches the front, instead of deriving it from finish times as
/// the report does.
/// </summary>
public sealed class HistoryModel
{
    private readonly Dictionary<string, ClinicModel> clinics = new(StringComparer.Ordinal);

    public ClinicModel this[string clinic] => clinics.TryGetValue(clinic, out var model) ? model : clinics[clinic] = new ClinicModel();

    public ClinicDailyFigures Expected(string clinic) => this[clinic].Figures(clinic);

    public sealed class ClinicModel
    {
        private readonly List<Ticket> tickets = [];
        private int round;
        private int last;

        /// <summary>The ticket now being served, if anyone waits.</summary>
        public Ticket? Current => tickets.Where(t => t.Round == round && t.Waiting).MinBy(t => t.Number);

        /// <summary>Patients of this round called as no-shows and not yet done: a reset voids the tickets of earlier rounds.</summary>
        public IEnumerable<Ticket> NoShows => tickets.Where(t => t.Round == round && t.NoShowAt is not null && t.DoneAt is null);

        public int Enter(string user, DateTimeOffset at)
        {
            tickets.Add(new Ticket(round, ++last, user, at));
            Advance(at);
            return last;
        }

        public void Done(Ticket ticket, DateTimeOffset at)
        {
            ticket.DoneAt = at;
            Advance(at);
        }

        public void Call(DateTimeOffset at)
        {
            Current!.NoShowAt = at;
            Advance(at);
        }

        /// <summary>The clinic's waiting tickets are cleared: the report counts them apart, not as still waiting.</summary>
        public void Reset()
        {
            round++;
            last = 0;
        }

        private void Advance(DateTimeOffset at)
        {
            if (Current is { BecameCurrentAt: null } front)
            {
                front.BecameCurrentAt = at;
            }
        }

        public ClinicDailyFigures Figures(string clinic)
        {
            var waits = tickets.Where(t => t.BecameCurrentAt is not null).Select(t => (t.BecameCurrentAt!.Value - t.IssuedAt).TotalMinutes).ToList();
            // A late patient (done after a no-show) has no service time: their examination's start is not recorded.
            var services = tickets.Where(t => t.DoneAt is not null && t.NoShowAt is null && t.BecameCurrentAt is not null).Select(t => (t.DoneAt!.Value - t.BecameCurrentAt!.Value).TotalMinutes).ToList();
            var arrivals = new int[24];
            tickets.ForEach(t => arrivals[TimeZoneInfo.ConvertTime(t.IssuedAt, Clinic.Qatar).Hour]++);
            var waitsByHour = Enumerable.Range(0, 24)
                .Select(hour => tickets
                    .Where(t => t.BecameCurrentAt is not null && TimeZoneInfo.ConvertTime(t.IssuedAt, Clinic.Qatar).Hour == hour)
                    .Select(t => (t.BecameCurrentAt!.Value - t.IssuedAt).TotalMinutes)
                    .ToList())
                .Select(hour => Round(hour.Count == 0 ? null : hour.Average()))
                .ToList();
            return new ClinicDailyFigures(
                clinic,
                clinic,
                tickets.Count,
                tickets.Count(t => t.DoneAt is not null),
                tickets.Count(t => t.NoShowAt is not null && t.DoneAt is null),
                tickets.Count(t => t.Waiting && t.Round == round),
                tickets.Count(t => t.Waiting && t.Round < round),
                Round(waits.Count == 0 ? null : waits.Average()),
                Round(waits.Count == 0 ? null : waits.Order().ElementAt((int)Math.Ceiling(waits.Count * 0.9) - 1)),
                Round(services.Count == 0 ? null : services.Average()),
                arrivals,
                waitsByHour);
        }

        private static double? Round(double? minutes) => minutes is { } m ? Math.Round(m, 1, MidpointRounding.AwayFromZero) : null;
    }

    public sealed class Ticket(int round, int number, string user, DateTimeOffset issuedAt)
    {
        public int Round { get; } = round;
        public int Number { get; } = number;
        public string User { get; } = user;
        public DateTimeOffset IssuedAt { get; } = issuedAt;
        public DateTimeOffset? BecameCurrentAt { get; set; }
        public DateTimeOffset? NoShowAt { get; set; }
        public DateTimeOffset? DoneAt { get; set; }
        public bool Waiting => NoShowAt is null && DoneAt is null;
    }
}
