using QueueFunctions.Push;
using QueueFunctions.Streams;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Push;

/// <summary>A notification says what the open page would say, in the subscription's language.</summary>
public sealed class PushTextsTests
{
    private static UserUpdateMessage Message(string type, string? next = null, int? nextNumber = null) =>
        new(type, "lab", "P 1", 12, 10, 2, null, Clinic.Morning, next, nextNumber);

    [Theory]
    [InlineData("YOUR_TURN", "ar", "دوري — المختبر 12", "حان دورك! تفضل إلى العيادة.")]
    [InlineData("YOUR_TURN", "en", "My turn — Laboratory 12", "It is your turn! Please go in.")]
    [InlineData("NEAR_TURN", "ar", "دوري — المختبر 12", "اقترب دورك، استعد.")]
    [InlineData("NEAR_TURN", "en", "My turn — Laboratory 12", "Your turn is near; get ready.")]
    [InlineData("STEP_DONE_NEXT", "en", "My turn — Laboratory 12", "This step is done.")]
    [InlineData("VISIT_COMPLETE", "ar", "دوري — المختبر 12", "اكتملت زيارتك. شكرًا لك!")]
    [InlineData("VISIT_COMPLETE", "en", "My turn — Laboratory 12", "Your visit is complete. Thank you!")]
    public void Each_alert_has_the_pages_words_in_its_language(string type, string lang, string title, string body)
    {
        var payload = PushTexts.PayloadOf(Message(type), lang);

        Assert.Equal((type, title, body, lang, "lab", 12), (payload.Type, payload.Title, payload.Body, payload.Lang, payload.Clinic, payload.Number));
        Assert.Equal("/ticket?clinic=lab&user=P%201", payload.Url);
    }

    [Fact]
    public void A_done_step_names_the_next_clinic_and_number_and_opens_the_next_clinics_ticket()
    {
        var arabic = PushTexts.PayloadOf(Message(StreamMessages.StepDoneNext, "xray", 7), "ar");
        var english = PushTexts.PayloadOf(Message(StreamMessages.StepDoneNext, "xray", 7), "en");

        Assert.Equal("انتهت هذه الخطوة. توجه إلى الأشعة — 7", arabic.Body);
        Assert.Equal("This step is done. Go to X-ray — 7", english.Body);
        Assert.Equal(("xray", 7, "/ticket?clinic=xray&user=P%201"), (english.NextClinic, english.NextNumber, english.Url));
    }
}
