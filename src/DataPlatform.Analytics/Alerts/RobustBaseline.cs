namespace DataPlatform.Analytics.Alerts;

/// <summary>
/// The robust baseline of a signal over recent minutes: the median, the median absolute deviation (MAD), and the
/// spread anomalies are measured in, <c>max(1.4826 × MAD, relative floor × |median|, minimum spread)</c>. 1.4826
/// makes the MAD estimate the standard deviation of normally distributed values; the floors keep a flat baseline
/// (MAD 0) from turning every small wobble into an anomaly.
/// </summary>
public readonly record struct RobustBaseline(double Median, double Mad, double Spread)
{
    /// <summary>Scales the MAD to estimate a standard deviation.</summary>
    public const double MadScale = 1.4826;

    public static RobustBaseline Of(IReadOnlyCollection<double> values, double relativeFloor, double minSpread)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A baseline needs at least one value.", nameof(values));
        }
        var median = MedianOf([.. values]);
        var mad = MedianOf([.. values.Select(value => Math.Abs(value - median))]);
        var spread = Math.Max(MadScale * mad, Math.Max(relativeFloor * Math.Abs(median), minSpread));
        return new RobustBaseline(median, mad, spread);
    }

    private static double MedianOf(double[] values)
    {
        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
