namespace DataPlatform.Lake.Quality;

/// <summary>What checking the rows of one commit against a table's expectations found.</summary>
/// <param name="Kept">The rows that go to the table: all but those that failed a blocking expectation.</param>
/// <param name="Blocked">The rows that failed a blocking expectation, with the first one they failed.</param>
/// <param name="Violations">Rows (or commits, for freshness) that failed each expectation, by name; every expectation is listed.</param>
/// <param name="FailingRows">Rows that failed at least one expectation, blocking or not.</param>
public sealed record ExpectationOutcome(
    IReadOnlyList<object?[]> Kept,
    IReadOnlyList<(object?[] Row, Expectation Failed)> Blocked,
    IReadOnlyDictionary<string, long> Violations,
    long FailingRows);
