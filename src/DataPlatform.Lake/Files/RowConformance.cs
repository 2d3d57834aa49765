namespace DataPlatform.Lake.Files;

/// <summary>The rows of a batch that can be written, conformed to their column types, and those rejected.</summary>
public sealed record RowConformance(List<object?[]> Rows, List<RejectedRow> Rejected);
