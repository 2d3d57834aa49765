using System.Text.RegularExpressions;

namespace DataPlatform.UnitTests.Telemetry;

/// <summary>Just enough of PromQL to tell which metric names an expression reads.</summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
    };

    /// <summary>
    /// The metric names in <paramref name="expression"/>: identifiers that are not functions or aggregations (followed by
    /// a parenthesis), keywords, label names (in braces or grouping clauses) or parts of strings and ranges.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var bare = StringLiteral().Replace(expression, " ");
        bare = LabelMatchers().Replace(bare, " ");
        bare = RangeOrSubquery().Replace(bare, " ");
        bare = GroupingClause().Replace(bare, " ");
        return [.. Identifier().Matches(bare)
            .Where(match => !FollowedByParenthesis(bare, match.Index + match.Length) && !Keywords.Contains(match.Value))
            .Select(match => match.Value)
            .Distinct(StringComparer.Ordinal)];
    }

    private static bool FollowedByParenthesis(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }
        return index < text.Length && text[index] == '(';
    }

    [GeneratedRegex(@"""(\\.|[^""\\])*""|'(\\.|[^'\\])*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingClause();

    // A number (0.95, 1e3) is not an identifier: identifiers start with a letter, '_' or ':' after a non-word character.
    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
