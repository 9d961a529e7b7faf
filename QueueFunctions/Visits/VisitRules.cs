namespace QueueFunctions.Visits;

/// <summary>
/// Which clinics a visit passes and in what order. The exam fixes the set; the order is decided as the visit goes:
/// the first clinics in their fixed order, then whichever remaining clinic has the fewest patients waiting.
/// </summary>
/// <param name="FirstClinics">Clinics that come first, in this order, when the exam has them (lab, xray, vitals).</param>
/// <param name="WomenClinics">For women: the clinic that replaces a shared one (internal → women_internal, ...).</param>
public sealed record VisitRules(
    IReadOnlyDictionary<string, Exam> Exams,
    IReadOnlyList<string> FirstClinics,
    IReadOnlyDictionary<string, string> WomenClinics)
{
    public Exam? FindExam(string? id) =>
        id is not null && Exams.TryGetValue(id.Trim().ToLowerInvariant(), out var exam) ? exam : null;

    /// <summary>The exam's clinics for this patient, in the exam table's order, women's clinics substituted.</summary>
    public IReadOnlyList<string> ClinicsFor(Exam exam, string gender) =>
        exam.Clinics
            .Select(c => gender == VisitGender.Female && WomenClinics.TryGetValue(c, out var women) ? women : c)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Of the visit's clinics, those that come first, in their fixed order.</summary>
    public IReadOnlyList<string> FixedOrderOf(IReadOnlyList<string> clinics) =>
        FirstClinics.Where(clinics.Contains).ToList();

    /// <summary>
    /// The next clinic: the first fixed one still to do, else the remaining clinic with the fewest waiting
    /// (ties in table order). <paramref name="remaining"/> is in table order.
    /// </summary>
    public static string Next(IReadOnlyList<string> remaining, IReadOnlyList<string> fixedOrder, Func<string, int> waiting)
    {
        if (remaining.Count == 0)
        {
            throw new InvalidOperationException("A visit with no clinic left has no next clinic.");
        }

        var first = fixedOrder.FirstOrDefault(remaining.Contains);
        if (first is not null)
        {
            return first;
        }

        // MinBy keeps the first of equal keys, which is the table order the contract asks for on ties.
        return remaining.MinBy(waiting)!;
    }

    /// <summary>Whether the next clinic is already fixed, so no waiting counts need to be read.</summary>
    public static bool IsFixed(IReadOnlyList<string> remaining, IReadOnlyList<string> fixedOrder) =>
        fixedOrder.Any(remaining.Contains);
}
