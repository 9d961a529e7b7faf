using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

public class WaitEstimatorTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    [Fact]
    public void No_estimate_until_enough_patients_were_seen()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D")
            .Done("A", Clinic.Pin, "1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Done("B", Clinic.Pin, "2", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        Assert.Null(WaitEstimator.EstimateMinutes(state, ahead: 1));
    }

    [Fact]
    public void The_estimate_is_the_days_pace_times_the_people_ahead()
    {
        // Three patients finished over 20 minutes: 10 minutes each.
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D", "E", "F")
            .Done("A", Clinic.Pin, "1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Call("2", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins)
            .Done("C", Clinic.Pin, "3", Clinic.Morning.AddMinutes(30), Clinic.Rules, Pins);

        Assert.Equal(0, WaitEstimator.EstimateMinutes(state, ahead: 0));
        Assert.Equal(20, WaitEstimator.EstimateMinutes(state, ahead: 2));
    }
}
