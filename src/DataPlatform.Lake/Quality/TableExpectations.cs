using System.Globalization;
using System.Text.RegularExpressions;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Quality;

/// <summary>The expectations of one table, checked against the rows of each commit.</summary>
public sealed class TableExpectations
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly List<(Expectation Expectation, Func<object?[], bool> Passes)> _rowRules = [];
    private readonly List<(Expectation Expectation, int[] Columns)> _uniqueRules = [];
    private readonly List<(Expectation Expectation, int Column)> _freshnessRules = [];

    /// <summary>Compiles the expectations; an expectation that does not fit the table throws with what is wrong.</summary>
    public TableExpectations(TableDefinition table, IReadOnlyList<Expectation> expectations)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(expectations);
        Table = table;
        Declared = expectations;
        foreach (var expectation in expectations)
        {
            Compile(expectation);
        }
    }

    public TableDefinition Table { get; }

    public IReadOnlyList<Expectation> Declared { get; }

    public ExpectationOutcome Evaluate(IReadOnlyList<object?[]> rows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var violations = Declared.ToDictionary(expectation => expectation.Name, _ => 0L, StringComparer.Ordinal);
        var failedBy = new Dictionary<object?[], Expectation?>(ReferenceEqualityComparer.Instance);
        void Fail(object?[] row, Expectation expectation)
        {
            violations[expectation.Name]++;
            if (!failedBy.TryGetValue(row, out var first) || (first is null && expectation.Blocking))
            {
                failedBy[row] = expectation.Blocking ? expectation : first;
            }
        }
        foreach (var row in rows)
        {
            foreach (var (expectation, passes) in _rowRules.Where(rule => !rule.Passes(row)))
            {
                Fail(row, expectation);
            }
        }
        foreach (var (expectation, columns) in _uniqueRules)
        {
            // A key with an empty part identifies nothing, so it repeats nothing (not_null says whether it may be empty).
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows.Where(row => columns.All(index => row[index] is not null)
                && !seen.Add(string.Join('\u001f', columns.Select(index => Convert.ToString(row[index], CultureInfo.InvariantCulture))))))
            {
                Fail(row, expectation);
            }
        }
        foreach (var (expectation, column) in _freshnessRules)
        {
            var newest = rows.Select(row => row[column]).OfType<DateTime>().DefaultIfEmpty(DateTime.MinValue).Max();
            if (rows.Count > 0 && now.UtcDateTime - newest > expectation.MaxAge!.Value)
            {
                violations[expectation.Name]++;
            }
        }
        var blocked = failedBy.Where(entry => entry.Value is not null).Select(entry => (entry.Key, entry.Value!)).ToList();
        var kept = blocked.Count == 0 ? rows : [.. rows.Where(row => failedBy.GetValueOrDefault(row) is null)];
        return new ExpectationOutcome(kept, blocked, violations, failedBy.Count);
    }

    private void Compile(Expectation expectation)
    {
        if (string.IsNullOrWhiteSpace(expectation.Name))
        {
            throw Invalid(expectation, "has no name");
        }
        if (Declared.Count(other => other.Name == expectation.Name) > 1)
        {
            throw Invalid(expectation, "is declared twice");
        }
        switch (expectation.Rule)
        {
            case Expectation.NotNull:
                var present = ColumnOf(expectation);
                _rowRules.Add((expectation, row => row[present] is not null));
                break;
            case Expectation.Range:
                var ranged = ColumnOf(expectation);
                if (expectation.Min is null && expectation.Max is null || expectation.Min > expectation.Max)
                {
                    throw Invalid(expectation, "needs min, max or both, with min at most max");
                }
                _rowRules.Add((expectation, row => NumberOf(row[ranged]) is not { } number
                    || (number >= (expectation.Min ?? decimal.MinValue) && number <= (expectation.Max ?? decimal.MaxValue))));
                break;
            case Expectation.ValuesIn:
                var listed = ColumnOf(expectation);
                if (expectation.Values.Count == 0)
                {
                    throw Invalid(expectation, "needs values");
                }
                var values = expectation.Values.ToHashSet(StringComparer.Ordinal);
                _rowRules.Add((expectation, row => row[listed] is not string text || values.Contains(text)));
                break;
            case Expectation.Regex:
                var matched = ColumnOf(expectation);
                if (string.IsNullOrEmpty(expectation.Pattern))
                {
                    throw Invalid(expectation, "needs a pattern");
                }
                Regex pattern;
                try
                {
                    pattern = new Regex($"^(?:{expectation.Pattern})$", RegexOptions.CultureInvariant, RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    throw Invalid(expectation, $"has a pattern that is not a regular expression ({ex.Message})");
                }
                _rowRules.Add((expectation, row => row[matched] is not string text || Matches(pattern, text)));
                break;
            case Expectation.Unique:
                if (expectation.Columns.Count == 0)
                {
                    throw Invalid(expectation, "needs columns");
                }
                _uniqueRules.Add((expectation, [.. expectation.Columns.Select(column => IndexOf(expectation, column))]));
                break;
            case Expectation.Freshness:
                var timed = ColumnOf(expectation);
                if (Table.Columns[timed].Type != LakeColumnType.Timestamp || expectation.MaxAge is not { } age || age <= TimeSpan.Zero || expectation.Blocking)
                {
                    throw Invalid(expectation, "needs a timestamp column and a positive max_age, and cannot be blocking");
                }
                _freshnessRules.Add((expectation, timed));
                break;
            default:
                throw Invalid(expectation, $"has rule '{expectation.Rule}'; the rules are {string.Join(", ", Expectation.Rules)}");
        }
    }

    private int ColumnOf(Expectation expectation) =>
        expectation.Column is { } column ? IndexOf(expectation, column) : throw Invalid(expectation, "needs a column");

    private int IndexOf(Expectation expectation, string column) =>
        Table.Columns.Select((candidate, index) => (candidate.Name, index)).FirstOrDefault(candidate => candidate.Name == column) is { Name: not null } found
            ? found.index
            : throw Invalid(expectation, $"names column {column}, which {Table.Name} does not have");

    private InvalidDataException Invalid(Expectation expectation, string problem) =>
        new($"Expectation '{expectation.Name}' of {Table.Name} {problem}.");

    private static decimal? NumberOf(object? value) => value switch
    {
        decimal number => number,
        double number when double.IsFinite(number) && Math.Abs(number) < 7.9e28 => (decimal)number,
        float number when float.IsFinite(number) => (decimal)number,
        long number => number,
        int number => number,
        _ => null,
    };

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
