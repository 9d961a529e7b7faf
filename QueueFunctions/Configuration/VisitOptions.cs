namespace QueueFunctions.Configuration;

/// <summary>One exam in the <c>Visits:Exams</c> settings.</summary>
public sealed class ExamOptions
{
    /// <summary>The Arabic name shown first on the screens.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Comma-separated clinic ids, in table order (ties go to the earlier one). Empty: the exam is not offered.</summary>
    public string Clinics { get; set; } = string.Empty;
}

/// <summary>
/// The <c>Visits:*</c> app settings. Every default is the centre's own table (README, "Visits"); a setting such as
/// <c>Visits__Exams__aviation__Clinics</c> changes one exam or adds another, and an empty <c>Clinics</c> removes it.
/// </summary>
public sealed class VisitOptions
{
    public const string Section = "Visits";

    private const string Recruitment = "lab,xray,vitals,eyes,internal,surgery,ent,psychiatry,dental,derma";

    public Dictionary<string, ExamOptions> Exams { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["recruitment"] = new() { Name = "تجنيد", Clinics = Recruitment },
        ["promotion"] = new() { Name = "ترفيع", Clinics = Recruitment },
        ["transfer"] = new() { Name = "نقل", Clinics = Recruitment },
        ["referral"] = new() { Name = "تحويل", Clinics = Recruitment },
        ["contract"] = new() { Name = "تجديد التعاقد", Clinics = Recruitment },
        ["aviation"] = new() { Name = "طيران سنوي", Clinics = "lab,eyes,internal,ent,ecg,audio" },
        ["cooks"] = new() { Name = "طباخين", Clinics = "lab,internal,ent,surgery" },
        ["courses"] = new() { Name = "دورات", Clinics = "lab,eyes,surgery,internal" },
    };

    /// <summary>Clinics that come first, in this order, when an exam has them.</summary>
    public string FirstClinics { get; set; } = "lab,xray,vitals";

    /// <summary>For women, <c>shared=women</c> pairs: the clinic that replaces a shared one.</summary>
    public string WomenClinics { get; set; } = "internal=women_internal,eyes=women_eyes,derma=women_derma";
}
