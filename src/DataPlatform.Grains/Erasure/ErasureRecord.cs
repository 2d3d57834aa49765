using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Grains.Erasure;

/// <summary>One row of the erasure register (<see cref="PlatformTables.Erasures"/>).</summary>
/// <param name="ErasureId">The SHA-256 of the user id (<see cref="ErasureRegister.ErasureIdOf"/>).</param>
/// <param name="UserId">The user id, in a request row only (removed once the erasure is done).</param>
/// <param name="Status"><see cref="ErasureStatus.Requested"/> or <see cref="ErasureStatus.Completed"/>.</param>
/// <param name="Removed">The erasure's report as JSON (completed rows).</param>
public sealed record ErasureRecord(string ErasureId, string? UserId, string Status, DateTimeOffset At, string? RequestedBy, long? RowsRemoved, string? Removed)
{
    private static readonly TableDefinition Table = PlatformTables.Get(PlatformTables.Erasures);

    private static readonly RowMap<ErasureRecord> Rows = new(Table,
    [
        ("erasure_id", record => record.ErasureId),
        ("user_id", record => record.UserId),
        ("status", record => record.Status),
        ("at", record => record.At.UtcDateTime),
        ("requested_by", record => record.RequestedBy),
        ("rows_removed", record => record.RowsRemoved),
        ("removed", record => record.Removed),
    ]);

    public object?[] ToRow() => Rows.Row(this);

    /// <summary>A row as the lake reads it back (timestamps come back as UTC <see cref="DateTime"/>).</summary>
    public static ErasureRecord FromRow(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        object? Value(string column) => row[Table.IndexOf(column)];
        return new ErasureRecord(
            (string)Value("erasure_id")!,
            (string?)Value("user_id"),
            (string)Value("status")!,
            Value("at") switch
            {
                DateTimeOffset at => at,
                DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
                _ => DateTimeOffset.MinValue,
            },
            (string?)Value("requested_by"),
            (long?)Value("rows_removed"),
            (string?)Value("removed"));
    }
}
