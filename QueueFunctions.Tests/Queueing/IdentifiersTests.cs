using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Queueing;

public class IdentifiersTests
{
    [Theory]
    [InlineData("lab", "lab")]
    [InlineData("LAB", "lab")]
    [InlineData(" Women_Eyes ", "women_eyes")]
    [InlineData("x-ray2", "x-ray2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345")]
    public void Well_formed_clinic_ids_are_lower_cased(string raw, string expected)
    {
        Assert.True(Identifiers.TryNormalizeClinic(raw, out var clinic));
        Assert.Equal(expected, clinic);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("la b")]
    [InlineData("lab!")]
    [InlineData("lab/../x")]
    [InlineData("مختبر")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void Ill_formed_clinic_ids_are_refused(string? raw) =>
        Assert.False(Identifiers.TryNormalizeClinic(raw, out _));

    [Theory]
    [InlineData("TEST_1", "TEST_1")]
    [InlineData("  12345678 ", "12345678")]
    [InlineData("محمد أحمد", "محمد أحمد")]
    [InlineData("a😀b", "a😀b")]
    public void Printable_user_ids_are_kept_as_typed_without_surrounding_spaces(string raw, string expected)
    {
        Assert.True(Identifiers.TryNormalizeUser(raw, out var user));
        Assert.Equal(expected, user);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a\nb")]
    [InlineData("a\u0000b")]
    [InlineData("a\u2028b")]
    [InlineData("\u202E12345678")]
    [InlineData("12\u2066ab\u2069")]
    [InlineData("\u200B\u200C\u200D")]
    [InlineData("\uFEFF1234")]
    [InlineData("\u061C12")]
    [InlineData("12\uE00034")]
    [InlineData("\uFFFF")]
    [InlineData("12\uFDD0")]
    [InlineData("\u0378")]
    [InlineData("\U0010FFFF")]
    [InlineData("\u3164")]
    [InlineData("12\u115F34")]
    [InlineData("\u2800")]
    public void User_ids_with_control_invisible_unassigned_or_blank_characters_or_nothing_in_them_are_refused(string? raw) =>
        Assert.False(Identifiers.TryNormalizeUser(raw, out _));

    [Fact]
    public void User_ids_with_a_broken_surrogate_pair_are_refused()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate.
        Assert.False(Identifiers.TryNormalizeUser("a" + (char)0xD800 + "b", out _));
        Assert.False(Identifiers.TryNormalizeUser("ab" + (char)0xDC00, out _));
    }

    [Fact]
    public void User_ids_are_at_most_64_characters()
    {
        Assert.True(Identifiers.TryNormalizeUser(new string('x', 64), out _));
        Assert.False(Identifiers.TryNormalizeUser(new string('x', 65), out _));
    }

    [Theory]
    [InlineData("0421", 4, true)]
    [InlineData("042", 4, false)]
    [InlineData("04211", 4, false)]
    [InlineData("04a1", 4, false)]
    [InlineData("٠٤٢١", 4, false)]
    [InlineData("123456", 6, true)]
    public void A_pin_is_exactly_the_configured_number_of_ascii_digits(string pin, int digits, bool shaped) =>
        Assert.Equal(shaped, Identifiers.IsPinShaped(pin, digits));

    [Fact]
    public void Random_pins_have_the_configured_digits()
    {
        var generator = new RandomPinGenerator();
        var pins = Enumerable.Range(0, 200).Select(_ => generator.NewPin(4)).ToList();

        Assert.All(pins, pin => Assert.True(Identifiers.IsPinShaped(pin, 4), pin));
        Assert.True(pins.Distinct().Count() > 100, "200 random 4-digit PINs should rarely repeat much");
        Assert.Equal(6, generator.NewPin(6).Length);
    }
}
