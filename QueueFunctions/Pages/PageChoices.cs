using System.Net;
using QueueFunctions.Domain;
using QueueFunctions.Visits;

namespace QueueFunctions.Pages;

/// <summary>
/// The kiosk's choices, written into its page as plain markup (not script), so the page needs no extra request and
/// stays within its content security policy. Names are HTML-encoded: they come from settings.
/// </summary>
public static class PageChoices
{
    public const string ExamsMarker = "<!--EXAMS-->";
    public const string ClinicsMarker = "<!--CLINICS-->";
    public const string NamesMarker = "<!--CLINIC_NAMES-->";

    /// <summary>
    /// The clinics' names for the page's script, as a JSON data block (not executed, so allowed by the page's policy).
    /// The serializer's default encoder escapes &lt; and &gt;, so a name cannot close the block.
    /// </summary>
    public static string NamesBlock(IEnumerable<string> clinics)
    {
        var names = clinics.Distinct().ToDictionary(c => c, c => new Dictionary<string, string> { ["ar"] = ClinicNames.ArabicOf(c), ["en"] = ClinicNames.EnglishOf(c) });
        return $"<script type=\"application/json\" id=\"clinic-names\">{System.Text.Json.JsonSerializer.Serialize(names)}</script>";
    }

    private static readonly IReadOnlyDictionary<string, string> ExamsInEnglish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["recruitment"] = "Recruitment",
        ["promotion"] = "Promotion",
        ["transfer"] = "Transfer",
        ["referral"] = "Referral",
        ["contract"] = "Contract renewal",
        ["aviation"] = "Annual aviation",
        ["cooks"] = "Cooks",
        ["courses"] = "Courses",
    };

    public static string ExamOptions(VisitRules rules) => Join(rules.Exams.Values.Select(exam =>
        Option(exam.Id, exam.Name, ExamsInEnglish.GetValueOrDefault(exam.Id, exam.Id))));

    public static string ClinicOptions(IEnumerable<string> clinics) => Join(clinics.Select(clinic =>
        Option(clinic, ClinicNames.ArabicOf(clinic), ClinicNames.EnglishOf(clinic))));

    private static string Option(string value, string arabic, string english) =>
        $"<option value=\"{Encode(value)}\" data-ar=\"{Encode(arabic)}\" data-en=\"{Encode(english)}\">{Encode(arabic)}</option>";

    private static string Join(IEnumerable<string> options) => string.Join('\n', options);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
