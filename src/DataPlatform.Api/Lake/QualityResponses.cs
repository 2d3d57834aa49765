namespace DataPlatform.Api.Lake;

/// <summary>The answer of GET /quality: the score over every table's recent rows, and each table's figures.</summary>
public sealed record QualitySummary(double Score, IReadOnlyList<TableQualitySummary> Tables);

/// <summary>One table's quality over its recent writes.</summary>
public sealed record TableQualitySummary(
    string Table, double Score, long Rows, long SchemaViolations, long ExpectationFailures, long QuarantinedRows, IReadOnlyList<ExpectationSummary> Expectations);

/// <summary>One declared expectation and the rows (commits, for freshness) that failed it recently.</summary>
public sealed record ExpectationSummary(string Name, string Rule, string Column, bool Blocking, long Violations);
