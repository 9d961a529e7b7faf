using System.Text.Json;
using QueueFunctions.Api;

namespace QueueFunctions.Tests.Api;

public class ApiResultJsonTests
{
    [Fact]
    public void Arabic_text_is_written_as_it_is_and_html_characters_stay_escaped()
    {
        var json = JsonSerializer.Serialize(new { name = "المختبر", user = "<b>&'\"" }, ApiResult.Json);

        Assert.Contains("\"name\":\"المختبر\"", json);
        Assert.DoesNotContain("<", json);
        Assert.DoesNotContain("&", json);
        Assert.Equal("<b>&'\"", JsonDocument.Parse(json).RootElement.GetProperty("user").GetString());
    }
}
