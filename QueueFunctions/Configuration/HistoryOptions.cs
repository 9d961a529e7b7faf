using System.ComponentModel.DataAnnotations;

namespace QueueFunctions.Configuration;

/// <summary>The <c>History:*</c> app settings: where the day's history is kept and for how long.</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>Azure Table that holds one row per ticket; created on first use.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string TableName { get; set; } = "queuehistory";

    /// <summary>Service days kept; older rows are deleted by the daily cleanup.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 400;
}
