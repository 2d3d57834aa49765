using DataPlatform.Lake.Log;

namespace DataPlatform.Lake.Files;

/// <summary>The file written for one partition (null when no row could be written) and the rows the Parquet writer refused.</summary>
public sealed record PartitionWrite(AddFile? File, IReadOnlyList<RefusedRow> Refused);
