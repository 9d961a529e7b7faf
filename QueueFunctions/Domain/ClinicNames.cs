namespace QueueFunctions.Domain;

/// <summary>The Arabic names of the clinic's own clinics, as staff and patients know them.</summary>
public static class ClinicNames
{
    private static readonly IReadOnlyDictionary<string, string> Arabic = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lab"] = "المختبر",
        ["xray"] = "الأشعة",
        ["eyes"] = "العيون",
        ["internal"] = "الباطنية",
        ["ent"] = "الأنف والأذن والحنجرة",
        ["surgery"] = "الجراحة",
        ["dental"] = "الأسنان",
        ["psychiatry"] = "الطب النفسي",
        ["derma"] = "الجلدية",
        ["bones"] = "العظام",
        ["vitals"] = "العلامات الحيوية",
        ["ecg"] = "تخطيط القلب",
        ["audio"] = "السمعيات",
        ["women_internal"] = "الباطنية (نساء)",
        ["women_derma"] = "الجلدية (نساء)",
        ["women_eyes"] = "العيون (نساء)",
    };

    private static readonly IReadOnlyDictionary<string, string> English = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lab"] = "Laboratory",
        ["xray"] = "X-ray",
        ["eyes"] = "Eyes",
        ["internal"] = "Internal medicine",
        ["ent"] = "ENT",
        ["surgery"] = "Surgery",
        ["dental"] = "Dental",
        ["psychiatry"] = "Psychiatry",
        ["derma"] = "Dermatology",
        ["bones"] = "Orthopaedics",
        ["vitals"] = "Vital signs",
        ["ecg"] = "ECG",
        ["audio"] = "Audiology",
        ["women_internal"] = "Internal medicine (women)",
        ["women_derma"] = "Dermatology (women)",
        ["women_eyes"] = "Eyes (women)",
    };

    /// <summary>The clinic's English name, or its id for a clinic that has none.</summary>
    public static string EnglishOf(string clinic) => English.TryGetValue(clinic, out var name) ? name : clinic;

    /// <summary>Every clinic that has an Arabic name.</summary>
    public static IEnumerable<string> Named => Arabic.Keys;

    /// <summary>The clinic's Arabic name, or its id for a clinic that has none.</summary>
    public static string ArabicOf(string clinic) => Arabic.TryGetValue(clinic, out var name) ? name : clinic;
}
