using Microsoft.Extensions.Options;

namespace DataPlatform.Lake;

/// <summary>Checks the lake's settings at start-up (query limits, retention, the expectations file) and names each one that cannot be applied.</summary>
public sealed class LakeOptionsValidator : IValidateOptions<LakeOptions>
{
    /// <summary>The least memory a query may be given: DuckDB needs some to open a database at all.</summary>
    public const long MinQueryMemory = 16L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, LakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxConcurrentQueries < 1)
        {
            failures.Add($"Lake:MaxConcurrentQueries must be at least 1 (got {options.MaxConcurrentQueries}).");
        }
        if (options.QueryThreads < 1)
        {
            failures.Add($"Lake:QueryThreads must be at least 1 (got {options.QueryThreads}).");
        }
        if (options.QueryMemoryLimit < MinQueryMemory)
        {
            failures.Add($"Lake:QueryMemoryLimit must be at least {MinQueryMemory} bytes (16 MiB; got {options.QueryMemoryLimit}).");
        }
        if (options.QuerySpillLimit < 0)
        {
            failures.Add($"Lake:QuerySpillLimit must be 0 (no spilling) or more bytes (got {options.QuerySpillLimit}).");
        }
        if (options.QueryQueueTimeout < TimeSpan.Zero)
        {
            failures.Add($"Lake:QueryQueueTimeout must not be negative (got {options.QueryQueueTimeout}).");
        }
        if (options.DefaultQueryRows < 1 || options.DefaultQueryRows > options.MaxQueryRows)
        {
            failures.Add($"Lake:DefaultQueryRows must be from 1 to Lake:MaxQueryRows ({options.MaxQueryRows}; got {options.DefaultQueryRows}).");
        }
        foreach (var (table, days) in options.RetentionDays)
        {
            if (Catalog.PlatformTables.Find(table) is not { } definition)
            {
                failures.Add($"Lake:RetentionDays:{table}: there is no such table (GET /tables lists them, as layer.table).");
            }
            else if (definition.PartitionColumn is null)
            {
                failures.Add($"Lake:RetentionDays:{table}: the table is not partitioned by date, so retention cannot remove old days from it.");
            }
            else if (days < 1)
            {
                failures.Add($"Lake:RetentionDays:{table} must be at least 1 day (got {days}).");
            }
        }
        try
        {
            Quality.QualityExpectations.Of(options, Catalog.PlatformTables.All);
        }
        catch (InvalidDataException ex)
        {
            failures.Add(ex.Message);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
