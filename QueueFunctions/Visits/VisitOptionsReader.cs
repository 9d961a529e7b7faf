using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.Visits;

/// <summary>Turns the <c>Visits:*</c> settings into <see cref="VisitRules"/>, refusing settings that would route patients wrongly.</summary>
public static class VisitOptionsReader
{
    public static VisitRules ToRules(this VisitOptions options)
    {
        var exams = new Dictionary<string, Exam>(StringComparer.Ordinal);
        foreach (var (id, exam) in options.Exams)
        {
            var clinics = Split(exam.Clinics);
            if (clinics.Count > 0)
            {
                exams[id.Trim().ToLowerInvariant()] = new Exam(id.Trim().ToLowerInvariant(), exam.Name, clinics);
            }
        }

        var women = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Split(options.WomenClinics))
        {
            var parts = pair.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !IsClinic(parts[0]) || !IsClinic(parts[1]))
            {
                throw new FormatException($"Visits:WomenClinics: '{pair}' is not a 'shared=women' pair of clinic ids.");
            }

            women[parts[0]] = parts[1];
        }

        return new VisitRules(exams, Split(options.FirstClinics), women);
    }

    /// <summary>Every problem with the settings, for the options validator: empty when they are sound.</summary>
    public static IEnumerable<string> Problems(VisitOptions options, IReadOnlyCollection<string> knownClinics)
    {
        VisitRules rules;
        try
        {
            rules = options.ToRules();
        }
        catch (FormatException ex)
        {
            return [ex.Message];
        }

        var problems = new List<string>();
        foreach (var (id, exam) in rules.Exams)
        {
            if (!Identifiers.TryNormalizeClinic(id, out _))
            {
                problems.Add($"Visits:Exams: '{id}' is not a valid exam id (a-z, 0-9, _ and -).");
            }

            foreach (var clinic in exam.Clinics.Concat(exam.Clinics.Select(c => rules.WomenClinics.GetValueOrDefault(c, c))))
            {
                if (!IsClinic(clinic))
                {
                    problems.Add($"Visits:Exams:{id}: '{clinic}' is not a valid clinic id.");
                }
                else if (knownClinics.Count > 0 && !knownClinics.Contains(clinic))
                {
                    problems.Add($"Visits:Exams:{id}: clinic '{clinic}' is not in Queue:Clinics.");
                }
            }
        }

        return problems.Distinct();
    }

    private static List<string> Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToLowerInvariant())
            .Distinct()
            .ToList();

    private static bool IsClinic(string id) => Identifiers.TryNormalizeClinic(id, out var normal) && normal == id;
}
