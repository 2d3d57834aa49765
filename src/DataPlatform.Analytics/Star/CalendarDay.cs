using System.Globalization;

namespace DataPlatform.Analytics.Star;

/// <summary>One date of gold.dim_date, keyed yyyymmdd; weeks and weekdays are ISO-8601 (Monday first).</summary>
public sealed record CalendarDay(DateOnly Date)
{
    public int DateKey => KeyOf(Date);
    public int Year => Date.Year;
    public int Quarter => (Date.Month + 2) / 3;
    public int Month => Date.Month;
    public string MonthName => Date.ToString("MMMM", CultureInfo.InvariantCulture);
    public int DayOfMonth => Date.Day;
    public int DayOfWeek => Date.DayOfWeek == System.DayOfWeek.Sunday ? 7 : (int)Date.DayOfWeek;
    public string DayName => Date.DayOfWeek.ToString();
    public int IsoWeek => ISOWeek.GetWeekOfYear(Date.ToDateTime(TimeOnly.MinValue));
    public int IsoYear => ISOWeek.GetYear(Date.ToDateTime(TimeOnly.MinValue));
    public bool IsWeekend => DayOfWeek >= 6;

    public static int KeyOf(DateOnly date) => date.Year * 10_000 + date.Month * 100 + date.Day;
}
