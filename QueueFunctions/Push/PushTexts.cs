using QueueFunctions.Domain;
using QueueFunctions.Streams;

namespace QueueFunctions.Push;

/// <summary>
/// A notification's words, the patient page's own (<c>wwwroot/assets/common.js</c>), so the lock screen says what the
/// open page would have said.
/// </summary>
public static class PushTexts
{
    public static PushPayload PayloadOf(UserUpdateMessage alert, string lang)
    {
        var arabic = lang != PushLanguage.English;
        string Name(string clinic) => arabic ? ClinicNames.ArabicOf(clinic) : ClinicNames.EnglishOf(clinic);
        var title = $"{(arabic ? "دوري" : "My turn")} — {Name(alert.Clinic)} {alert.Number}";
        var body = alert.Type switch
        {
            StreamMessages.YourTurn => arabic ? "حان دورك! تفضل إلى العيادة." : "It is your turn! Please go in.",
            StreamMessages.NearTurn => arabic ? "اقترب دورك، استعد." : "Your turn is near; get ready.",
            StreamMessages.VisitComplete => arabic ? "اكتملت زيارتك. شكرًا لك!" : "Your visit is complete. Thank you!",
            StreamMessages.StepDoneNext when alert.NextClinic is { } next =>
                arabic ? $"انتهت هذه الخطوة. توجه إلى {Name(next)} — {alert.NextNumber}" : $"This step is done. Go to {Name(next)} — {alert.NextNumber}",
            _ => arabic ? "انتهت هذه الخطوة." : "This step is done.",
        };
        var url = $"/ticket?clinic={Uri.EscapeDataString(alert.NextClinic ?? alert.Clinic)}&user={Uri.EscapeDataString(alert.User)}";
        return new PushPayload(alert.Type, title, body, url, alert.Clinic, alert.Number, alert.NextClinic, alert.NextNumber, arabic ? PushLanguage.Arabic : PushLanguage.English);
    }
}
