namespace DataPlatform.Lake.Quality;

/// <summary>
/// One declared data-quality expectation of a table (docs/quality.md), as the expectations file states it:
/// <list type="bullet">
/// <item><c>not_null</c>: <see cref="Column"/> has a value;</item>
/// <item><c>range</c>: a value of <see cref="Column"/> lies between <see cref="Min"/> and <see cref="Max"/> (either may be left out);</item>
/// <item><c>values_in</c>: a value of <see cref="Column"/> is one of <see cref="Values"/>;</item>
/// <item><c>regex</c>: a value of <see cref="Column"/> matches <see cref="Pattern"/> (the whole value);</item>
/// <item><c>unique</c>: no two rows of a commit share <see cref="Columns"/>;</item>
/// <item><c>freshness</c>: the newest value of <see cref="Column"/> in a commit is at most <see cref="MaxAge"/> old.</item>
/// </list>
/// Row rules pass an empty value (<c>not_null</c> says whether one may be empty). A row that fails a
/// <see cref="Blocking"/> expectation goes to <c>bronze.quarantine</c> with the expectation's name instead of its table.
/// </summary>
public sealed record Expectation
{
    public const string NotNull = "not_null";
    public const string Range = "range";
    public const string ValuesIn = "values_in";
    public const string Regex = "regex";
    public const string Unique = "unique";
    public const string Freshness = "freshness";

    public static IReadOnlyList<string> Rules { get; } = [NotNull, Range, ValuesIn, Regex, Unique, Freshness];

    public required string Name { get; init; }
    public required string Rule { get; init; }
    public string? Column { get; init; }
    public IReadOnlyList<string> Columns { get; init; } = [];
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
    public string? Pattern { get; init; }
    public TimeSpan? MaxAge { get; init; }
    public bool Blocking { get; init; }
}
