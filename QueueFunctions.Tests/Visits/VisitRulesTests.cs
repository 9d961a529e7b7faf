using QueueFunctions.Configuration;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Visits;

public class VisitRulesTests
{
    private readonly VisitRules rules = new VisitOptions().ToRules();

    [Fact]
    public void The_default_table_has_the_eight_exams_with_their_clinics_and_arabic_names()
    {
        Assert.Equal(["aviation", "contract", "cooks", "courses", "promotion", "recruitment", "referral", "transfer"], rules.Exams.Keys.Order());
        var recruitment = rules.FindExam("recruitment")!;
        Assert.Equal("تجنيد", recruitment.Name);
        Assert.Equal(["lab", "xray", "vitals", "eyes", "internal", "surgery", "ent", "psychiatry", "dental", "derma"], recruitment.Clinics);
        foreach (var same in new[] { "promotion", "transfer", "referral", "contract" })
        {
            Assert.Equal(recruitment.Clinics, rules.FindExam(same)!.Clinics);
        }

        Assert.Equal(["lab", "eyes", "internal", "ent", "ecg", "audio"], rules.FindExam("aviation")!.Clinics);
        Assert.Equal(["lab", "internal", "ent", "surgery"], rules.FindExam("cooks")!.Clinics);
        Assert.Equal(["lab", "eyes", "surgery", "internal"], rules.FindExam("courses")!.Clinics);
        Assert.Equal("طيران سنوي", rules.FindExam(" AVIATION ")!.Name);
        Assert.Null(rules.FindExam("dancing"));
        Assert.Null(rules.FindExam(null));
    }

    [Fact]
    public void Women_see_the_womens_clinics_in_place_of_the_shared_ones_in_table_order()
    {
        var recruitment = rules.FindExam("recruitment")!;

        Assert.Equal(
            ["lab", "xray", "vitals", "women_eyes", "women_internal", "surgery", "ent", "psychiatry", "dental", "women_derma"],
            rules.ClinicsFor(recruitment, VisitGender.Female));
        Assert.Equal(recruitment.Clinics, rules.ClinicsFor(recruitment, VisitGender.Male));
    }

    [Fact]
    public void Lab_xray_and_vitals_come_first_in_that_order_whatever_the_queues()
    {
        var clinics = rules.ClinicsFor(rules.FindExam("recruitment")!, VisitGender.Male);
        var fixedOrder = rules.FixedOrderOf(clinics);
        var remaining = clinics.ToList();
        var crowded = new Dictionary<string, int> { ["lab"] = 50, ["xray"] = 40, ["vitals"] = 30 };

        var walked = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var next = VisitRules.Next(remaining, fixedOrder, c => crowded.GetValueOrDefault(c));
            walked.Add(next);
            remaining.Remove(next);
        }

        Assert.Equal(["lab", "xray", "vitals"], walked);
        Assert.False(VisitRules.IsFixed(remaining, fixedOrder));
        Assert.Equal(["lab"], rules.FixedOrderOf(rules.FindExam("aviation")!.Clinics));
    }

    [Fact]
    public void After_the_fixed_clinics_the_fewest_waiting_wins_and_a_tie_goes_to_table_order()
    {
        string[] remaining = ["eyes", "internal", "surgery", "ent"];
        var waiting = new Dictionary<string, int> { ["eyes"] = 4, ["internal"] = 2, ["surgery"] = 2, ["ent"] = 3 };

        Assert.Equal("internal", VisitRules.Next(remaining, [], c => waiting[c]));
        waiting["surgery"] = 1;
        Assert.Equal("surgery", VisitRules.Next(remaining, [], c => waiting[c]));
        Assert.Equal("eyes", VisitRules.Next(remaining, [], _ => 0));
        Assert.Throws<InvalidOperationException>(() => VisitRules.Next([], [], _ => 0));
    }

    [Theory]
    [InlineData("male", true, "male")]
    [InlineData(" Female ", true, "female")]
    [InlineData("f", false, "f")]
    [InlineData("", false, "")]
    [InlineData(null, false, "")]
    public void Gender_is_male_or_female_in_any_case(string? raw, bool valid, string normal)
    {
        Assert.Equal(valid, VisitGender.TryNormalize(raw, out var gender));
        Assert.Equal(normal, gender);
    }
}
