using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Visits;

public class VisitOptionsTests
{
    private static IServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddClinicQueue(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void App_settings_change_an_exam_add_one_and_remove_one()
    {
        var rules = Services(new()
        {
            ["Visits:Exams:aviation:Clinics"] = "lab, ECG ,audio",
            ["Visits:Exams:divers:Name"] = "غواصين",
            ["Visits:Exams:divers:Clinics"] = "lab,ent,audio",
            ["Visits:Exams:cooks:Clinics"] = "",
        }).GetRequiredService<VisitRules>();

        Assert.Equal(["lab", "ecg", "audio"], rules.FindExam("aviation")!.Clinics);
        Assert.Equal("طيران سنوي", rules.FindExam("aviation")!.Name);
        Assert.Equal("غواصين", rules.FindExam("divers")!.Name);
        Assert.Equal(["lab", "ent", "audio"], rules.FindExam("divers")!.Clinics);
        Assert.Null(rules.FindExam("cooks"));
        Assert.Equal(8, rules.Exams.Count);
    }

    [Theory]
    [InlineData("Visits:Exams:aviation:Clinics", "lab,cardio", "clinic 'cardio' is not in Queue:Clinics")]
    [InlineData("Visits:Exams:aviation:Clinics", "lab,x ray", "'x ray' is not a valid clinic id")]
    [InlineData("Visits:WomenClinics", "internal", "not a 'shared=women' pair")]
    [InlineData("Visits:Exams:bad exam:Clinics", "lab", "'bad exam' is not a valid exam id")]
    public void Settings_that_would_route_patients_wrongly_stop_the_app_at_start(string key, string value, string message)
    {
        var services = Services(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<VisitOptions>>().Value);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_womens_clinic_must_exist_too()
    {
        var services = Services(new() { ["Queue:Clinics"] = "lab,internal,ent,surgery,eyes,ecg,audio,xray,vitals,psychiatry,dental,derma" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<VisitOptions>>().Value);
        Assert.Contains("clinic 'women_internal' is not in Queue:Clinics", error.Message);
    }

    [Fact]
    public void With_any_clinic_allowed_every_well_formed_clinic_is_accepted()
    {
        var services = Services(new() { ["Queue:Clinics"] = "", ["Visits:Exams:aviation:Clinics"] = "lab,cardio" });

        Assert.Equal(["lab", "cardio"], services.GetRequiredService<VisitRules>().FindExam("aviation")!.Clinics);
    }
}
