using QueueFunctions.Domain;

namespace QueueFunctions.Tests.Domain;

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
    [InlineData("\u0661\u0662\u0663", "123")]
    [InlineData("\u06F4\u06F5\u06F6", "456")]
    [InlineData("\u0967\u0968", "12")]
    [InlineData("\uFF34\uFF25\uFF33\uFF34\uFF3F\uFF11", "TEST_1")]
    [InlineData("Jose\u0301", "Jos\u00E9")]
    [InlineData("\uFB01le 7", "file 7")]
    [InlineData("\u00B9\u00B2\u2463", "124")]
    [InlineData("\u0645\u062D\u0645\u062F \u0661", "\u0645\u062D\u0645\u062F 1")]
    public void User_ids_are_kept_in_one_form_whatever_digits_width_or_accent_composition_was_typed(string raw, string expected)
    {
        Assert.True(Identifiers.TryNormalizeUser(raw, out var user));
        Assert.Equal(expected, user);
    }

    [Fact]
    public void Sixty_four_characters_are_counted_in_the_kept_form()
    {
        // 64 accented letters typed as letter + combining accent: 128 UTF-16 units typed, 64 characters kept.
        var decomposed = string.Concat(Enumerable.Repeat("e\u0301", 64));

        Assert.True(Identifiers.TryNormalizeUser(decomposed, out var user));
        Assert.Equal(new string('\u00E9', 64), user);
        Assert.False(Identifiers.TryNormalizeUser(decomposed + "e\u0301", out _));
        Assert.False(Identifiers.TryNormalizeUser(new string('\uFB03', 30), out _));
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
    [InlineData("\uFFFD")]
    [InlineData("12\uFFFD34")]
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
