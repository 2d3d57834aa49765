using System.Globalization;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// The figures that differ from the reference, each as "figure [key]: expected X, got Y (off by Z)", and a
/// report that counts them per figure before listing them. Checks may record from several threads.
/// </summary>
public sealed class Findings
{
    private const int Listed = 80;
    private readonly List<(string Figure, string Line)> _differences = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _differences.Count;
            }
        }
    }

    /// <summary>Records <paramref name="figure"/> of <paramref name="key"/> when <paramref name="actual"/> is not <paramref name="expected"/>.</summary>
    public void Equal<T>(string figure, string key, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Add(figure, key, $"expected {Show(expected)}, got {Show(actual)}{Off(expected, actual)}");
        }
    }

    /// <summary>As <see cref="Equal{T}"/> for a sum of floating-point values, which may differ in the order it was added up.</summary>
    public void Close(string figure, string key, double? expected, double? actual)
    {
        if (expected is null != actual is null || (expected is { } e && actual is { } a && Math.Abs(e - a) > 1e-6 * Math.Max(1, Math.Abs(e))))
        {
            Add(figure, key, $"expected {Show(expected)}, got {Show(actual)}{Off(expected, actual)}");
        }
    }

    /// <summary>Records a difference described in words (a row missing, a row twice).</summary>
    public void Add(string figure, string key, string what)
    {
        lock (_gate)
        {
            _differences.Add((figure, $"{figure} [{key}]: {what}"));
        }
    }

    /// <summary>Compares keyed counts: what is missing, counted too often or too rarely, and what should not be there at all.</summary>
    public void Counts<TKey>(string figure, IReadOnlyDictionary<TKey, long> expected, IReadOnlyDictionary<TKey, long> actual)
        where TKey : notnull
    {
        foreach (var key in expected.Keys.Union(actual.Keys))
        {
            var want = expected.GetValueOrDefault(key);
            var got = actual.GetValueOrDefault(key);
            if (want != got)
            {
                Add(figure, Show(key), want == 0 ? $"not expected, present {got} time(s)" : got == 0 ? $"missing (expected {want} time(s))" : $"expected {want} time(s), got {got} ({got - want:+0;-0})");
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return Report();
        }
    }

    private string Report()
    {
        if (_differences.Count == 0)
        {
            return "no differences";
        }
        var perFigure = string.Join(", ", _differences.GroupBy(difference => difference.Figure).Select(group => $"{group.Key} x{group.Count()}"));
        var listed = string.Join('\n', _differences.Take(Listed).Select(difference => difference.Line));
        var more = _differences.Count > Listed ? $"\n... and {_differences.Count - Listed} more" : "";
        return $"{_differences.Count} figure(s) differ from the reference: {perFigure}\n{listed}{more}";
    }

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string text => $"'{text}'",
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string Off<T>(T expected, T actual) => (expected, actual) switch
    {
        (long e, long a) => $" ({a - e:+0;-0})",
        (int e, int a) => $" ({a - e:+0;-0})",
        (decimal e, decimal a) => $" ({(a - e).ToString("+0.##;-0.##", CultureInfo.InvariantCulture)})",
        (double e, double a) => $" ({(a - e).ToString("+0.######;-0.######", CultureInfo.InvariantCulture)})",
        (DateTimeOffset e, DateTimeOffset a) => $" ({(a - e).TotalSeconds.ToString("+0.###;-0.###", CultureInfo.InvariantCulture)} s)",
        _ => "",
    };
}
