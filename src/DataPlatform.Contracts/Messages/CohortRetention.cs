namespace DataPlatform.Contracts.Messages;

/// <summary>
/// One row of weekly cohort retention (<c>GET /cohorts</c>, <c>gold.cohort_retention</c>): of the users first seen in the
/// week starting <see cref="CohortWeek"/>, how many had an event <see cref="WeekNumber"/> weeks later, and their share.
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.CohortRetention")]
public sealed record CohortRetention(
    [property: Id(0)] DateOnly CohortWeek,
    [property: Id(1)] int WeekNumber,
    [property: Id(2)] long CohortUsers,
    [property: Id(3)] long ActiveUsers)
{
    /// <summary>Active users over the cohort's users, in percent (2 decimals); null for an empty cohort.</summary>
    public double? RetentionPct => CohortUsers > 0 ? Math.Round(100.0 * ActiveUsers / CohortUsers, 2) : null;
}
