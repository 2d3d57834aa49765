namespace DataPlatform.Lake.Files;

/// <summary>A row the conformer rejected: its position in the batch, its values as given, the column at fault and why.</summary>
/// <param name="Index">Position of the row in the batch handed to the conformer.</param>
/// <param name="Row">The values as given (never altered).</param>
/// <param name="Column">The column whose value was missing or could not be represented; null when the row as a whole was wrong.</param>
/// <param name="Reason">e.g. <c>out_of_range:total_amount</c>, <c>wrong_type:order_date</c>, <c>missing_value:user_id</c>.</param>
public sealed record RejectedRow(int Index, object?[] Row, string? Column, string Reason);
