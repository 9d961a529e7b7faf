using System.Net;
using System.Text;
using QueueFunctions.Queueing;
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

    public static string ExamOptions(VisitRules rules) => Join(rules.Exams.Values.Select(exam =>
        Option(exam.Id, exam.Name, EnglishOf(exam.Id))));

    public static string ClinicOptions(IEnumerable<string> clinics) => Join(clinics.Select(clinic =>
        Option(clinic, ClinicNames.ArabicOf(clinic), EnglishOf(clinic))));

    /// <summary>The English label of an id: its words capitalised (<c>women_internal</c> → "Women internal").</summary>
    public static string EnglishOf(string id)
    {
        var words = id.Replace('_', ' ').Replace('-', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static string Option(string value, string arabic, string english) =>
        $"<option value=\"{Encode(value)}\" data-ar=\"{Encode(arabic)}\" data-en=\"{Encode(english)}\">{Encode(arabic)}</option>";

    private static string Join(IEnumerable<string> options) => new StringBuilder().AppendJoin('\n', options).ToString();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
