using System.Globalization;

namespace DataPlatform.Contracts.Messages;

/// <summary>A cell of weekly cohort retention: the users first seen in <see cref="Cohort"/>'s week who were active <see cref="Week"/> weeks later.</summary>
[GenerateSerializer, Immutable, Alias("dp.CohortKey")]
public readonly record struct CohortKey([property: Id(0)] DateOnly Cohort, [property: Id(1)] int Week)
{
    /// <summary>The Monday (UTC) that starts the ISO week of a moment.</summary>
    public static DateOnly WeekOf(DateTimeOffset at)
    {
        var date = DateOnly.FromDateTime(at.UtcDateTime);
        return date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
    }

    /// <summary>Whole weeks from one week start to another.</summary>
    public static int WeeksBetween(DateOnly from, DateOnly to) => (to.DayNumber - from.DayNumber) / 7;

    public override string ToString() => $"{Cohort.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}+{Week}";
}
