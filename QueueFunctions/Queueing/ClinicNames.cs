namespace QueueFunctions.Queueing;

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

    /// <summary>The clinic's Arabic name, or its id for a clinic that has none.</summary>
    public static string ArabicOf(string clinic) => Arabic.TryGetValue(clinic, out var name) ? name : clinic;
}
