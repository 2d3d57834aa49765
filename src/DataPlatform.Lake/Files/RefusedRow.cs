namespace DataPlatform.Lake.Files;

/// <summary>A row the Parquet writer refused, its position in the rows handed over, and the error it raised.</summary>
public sealed record RefusedRow(int Index, object?[] Row, Exception Error);
