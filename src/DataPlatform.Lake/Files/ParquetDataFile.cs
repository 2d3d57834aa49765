using System.Globalization;
using System.Security.Cryptography;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Schema;
using Parquet;
using Parquet.Schema;

namespace DataPlatform.Lake.Files;

/// <summary>
/// Writes and reads the Parquet data files of a table. A file is written under a hidden temporary name
/// that does not end in <c>.parquet</c>, flushed to disk, hashed and only then renamed to its final
/// name, so no reader ever sees a partial data file. The returned <see cref="AddFile"/> is what the
/// table's log commits.
/// </summary>
public static class ParquetDataFile
{
    /// <summary>Suffix of files being written; they are never read and are swept when found stale.</summary>
    public const string InProgressSuffix = ".inprogress";

    private static readonly ParquetOptions Options = new()
    {
        CompressionMethod = CompressionMethod.Zstd,
        // Zstd's default level is its smallest size, about 80 times slower than Optimal.
        CompressionLevel = System.IO.Compression.CompressionLevel.Fastest,
        UseDateOnlyTypeForDates = true,
    };

    /// <summary>Writes rows that all belong to one partition and returns the file's add action.</summary>
    public static async Task<AddFile> WriteAsync(
        string tableRoot, TableDefinition table, DateOnly? partition, IReadOnlyList<object?[]> rows, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(clock);
        var relativeDirectory = PartitionDirectory(table, partition);
        var name = $"part-{Guid.NewGuid():N}.parquet";
        var relativePath = relativeDirectory.Length == 0 ? name : $"{relativeDirectory}/{name}";
        var finalPath = Path.Combine(tableRoot, relativePath);
        var temporaryPath = Path.Combine(Path.GetDirectoryName(finalPath)!, $".{name}{InProgressSuffix}");
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);

        string sha256;
        long size;
        try
        {
            await using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                await WriteRowsAsync(stream, table, rows, cancellationToken);
                stream.Flush(flushToDisk: true);
                size = stream.Length;
                stream.Position = 0;
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            }
            File.Move(temporaryPath, finalPath, overwrite: false);
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }

        return new AddFile
        {
            Path = relativePath,
            PartitionValues = PartitionValues(table, partition),
            Size = size,
            ModificationTime = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Stats = FileStatistics.Of(table, rows, sha256),
        };
    }

    /// <summary>
    /// Writes rows of one partition like <see cref="WriteAsync"/>. When the write fails with anything but an
    /// I/O error (a row the Parquet writer cannot take, a limit nobody foresaw), the rows it refuses are found
    /// by bisection, written in memory only, and the other rows are written as the file. I/O errors are thrown:
    /// the caller keeps its rows for the next attempt.
    /// </summary>
    public static async Task<PartitionWrite> WriteSalvagingAsync(
        string tableRoot, TableDefinition table, DateOnly? partition, IReadOnlyList<object?[]> rows, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        try
        {
            return new PartitionWrite(await WriteAsync(tableRoot, table, partition, rows, clock, cancellationToken), []);
        }
        catch (Exception ex) when (IsRowProblem(ex))
        {
            var failing = await RowBisection.FindFailingAsync(rows, subset => ProbeAsync(table, subset, cancellationToken), IsRowProblem);
            var refused = failing.Select(failure => failure.Index).ToHashSet();
            var rest = rows.Where((_, index) => !refused.Contains(index)).ToList();
            var file = rest.Count == 0 ? null : await WriteAsync(tableRoot, table, partition, rest, clock, cancellationToken);
            return new PartitionWrite(file, [.. failing.Select(failure => new RefusedRow(failure.Index, rows[failure.Index], failure.Error))]);
        }
    }

    /// <summary>Whether a failed write says something about the rows rather than the disk: anything but I/O, access, cancellation and memory.</summary>
    public static bool IsRowProblem(Exception exception) =>
        exception is not (IOException or UnauthorizedAccessException or OperationCanceledException or OutOfMemoryException);

    /// <summary>Reads every row of a committed file, with the partition value put back in its column.</summary>
    public static async Task<List<object?[]>> ReadAsync(string tableRoot, TableDefinition table, AddFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(file);
        var partition = PartitionOf(table, file.PartitionValues);
        var partitionIndex = table.PartitionColumn is { } partitionColumn ? table.IndexOf(partitionColumn) : -1;
        var rows = new List<object?[]>();
        await using var stream = File.OpenRead(Path.Combine(tableRoot, file.Path));
        await using var reader = await ParquetReader.CreateAsync(stream, Options, cancellationToken: cancellationToken);
        var fields = reader.Schema.GetDataFields().ToDictionary(field => field.Name);
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            var count = checked((int)rowGroup.RowCount);
            var start = rows.Count;
            for (var i = 0; i < count; i++)
            {
                var row = new object?[table.Columns.Count];
                if (partitionIndex >= 0)
                {
                    row[partitionIndex] = partition;
                }
                rows.Add(row);
            }
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                if (c == partitionIndex || !fields.TryGetValue(column.Name, out var field))
                {
                    continue;
                }
                var values = await ReadColumnAsync(rowGroup, field, column.Type, count, cancellationToken);
                for (var i = 0; i < count; i++)
                {
                    rows[start + i][c] = values[i];
                }
            }
        }
        return rows;
    }

    /// <summary>The Hive directory of a partition, e.g. <c>event_date=2026-11-23</c>; empty without partitioning.</summary>
    public static string PartitionDirectory(TableDefinition table, DateOnly? partition)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.PartitionColumn is null ? "" : $"{table.PartitionColumn}={FormatPartition(partition)}";
    }

    /// <summary>The partition a file's partition values name (null for an unpartitioned table).</summary>
    public static DateOnly? PartitionOf(TableDefinition table, IReadOnlyDictionary<string, string?> partitionValues)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(partitionValues);
        return table.PartitionColumn is { } column && partitionValues.TryGetValue(column, out var value) && value is not null
            ? DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
    }

    private static Dictionary<string, string?> PartitionValues(TableDefinition table, DateOnly? partition) =>
        table.PartitionColumn is { } column ? new() { [column] = partition?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } : [];

    private static string FormatPartition(DateOnly? partition) =>
        partition?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "__HIVE_DEFAULT_PARTITION__";

    /// <summary>Everything a file write does with the rows, in memory: the Parquet encoding and the statistics.</summary>
    private static async Task ProbeAsync(TableDefinition table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await WriteRowsAsync(stream, table, rows, cancellationToken);
        FileStatistics.Of(table, rows, "");
    }

    private static async Task WriteRowsAsync(Stream stream, TableDefinition table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var schema = ParquetColumns.SchemaOf(table);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, Options, cancellationToken: cancellationToken);
        using var rowGroup = writer.CreateRowGroup();
        var fields = schema.GetDataFields();
        var index = 0;
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            if (column.Name == table.PartitionColumn)
            {
                continue;
            }
            await WriteColumnAsync(rowGroup, fields[index++], column.Type, rows, c);
        }
        rowGroup.CompleteValidate();
    }

    private static Task WriteColumnAsync(ParquetRowGroupWriter rowGroup, DataField field, LakeColumnType type, IReadOnlyList<object?[]> rows, int c) => type switch
    {
        LakeColumnType.String => rowGroup.WriteAsync(field, rows.Select(row => (string)row[c]!).ToArray()),
        LakeColumnType.Int => rowGroup.WriteAsync<int>(field, Values<int>(rows, c)),
        LakeColumnType.Long => rowGroup.WriteAsync<long>(field, Values<long>(rows, c)),
        LakeColumnType.Double => rowGroup.WriteAsync<double>(field, Values<double>(rows, c)),
        LakeColumnType.Decimal => rowGroup.WriteAsync<decimal>(field, Values<decimal>(rows, c)),
        LakeColumnType.Boolean => rowGroup.WriteAsync<bool>(field, Values<bool>(rows, c)),
        LakeColumnType.Timestamp => rowGroup.WriteAsync<DateTime>(field, Values<DateTime>(rows, c)),
        LakeColumnType.Date => rowGroup.WriteAsync<DateOnly>(field, Values<DateOnly>(rows, c)),
        LakeColumnType.Binary => rowGroup.WriteAsync(field, rows.Select(row => (byte[])row[c]!).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    private static ReadOnlyMemory<T?> Values<T>(IReadOnlyList<object?[]> rows, int c) where T : struct
    {
        var values = new T?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (T?)rows[i][c];
        }
        return values;
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField field, LakeColumnType type, int count, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case LakeColumnType.String:
                var strings = new string?[count];
                await rowGroup.ReadAsync(field, strings.AsMemory(), cancellationToken: cancellationToken);
                return strings;
            case LakeColumnType.Int: return await ReadValuesAsync<int>(rowGroup, field, count, cancellationToken);
            case LakeColumnType.Long: return await ReadValuesAsync<long>(rowGroup, field, count, cancellationToken);
            case LakeColumnType.Double: return await ReadValuesAsync<double>(rowGroup, field, count, cancellationToken);
            case LakeColumnType.Decimal: return await ReadValuesAsync<decimal>(rowGroup, field, count, cancellationToken);
            case LakeColumnType.Boolean: return await ReadValuesAsync<bool>(rowGroup, field, count, cancellationToken);
            case LakeColumnType.Timestamp: return await ReadValuesAsync<DateTime>(rowGroup, field, count, cancellationToken);
            case LakeColumnType.Date: return await ReadValuesAsync<DateOnly>(rowGroup, field, count, cancellationToken);
            case LakeColumnType.Binary:
                var bytes = new byte[]?[count];
                await rowGroup.ReadAsync(field, bytes.AsMemory(), cancellationToken: cancellationToken);
                return bytes;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type.");
        }
    }

    private static async Task<object?[]> ReadValuesAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken) where T : struct
    {
        var values = new T?[count];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken);
        var boxed = new object?[count];
        for (var i = 0; i < count; i++)
        {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
