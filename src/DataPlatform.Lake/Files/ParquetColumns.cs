using DataPlatform.Lake.Schema;
using Parquet.Schema;

namespace DataPlatform.Lake.Files;

/// <summary>The Parquet field of each lake column type; timestamps are UTC microseconds (not INT96), binary is BYTE_ARRAY without UTF-8 annotation.</summary>
internal static class ParquetColumns
{
    public const int DecimalPrecision = 18;
    public const int DecimalScale = 2;

    public static DataField FieldOf(LakeColumn column) => column.Type switch
    {
        LakeColumnType.String => new DataField<string>(column.Name, nullable: true),
        LakeColumnType.Int => new DataField<int?>(column.Name),
        LakeColumnType.Long => new DataField<long?>(column.Name),
        LakeColumnType.Double => new DataField<double?>(column.Name),
        LakeColumnType.Boolean => new DataField<bool?>(column.Name),
        LakeColumnType.Decimal => new DecimalDataField(column.Name, DecimalPrecision, DecimalScale, forceByteArrayEncoding: false, isNullable: true),
        LakeColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        LakeColumnType.Date => new DataField<DateOnly?>(column.Name),
        LakeColumnType.Binary => new DataField<byte[]>(column.Name, nullable: true),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
    };

    public static ParquetSchema SchemaOf(TableDefinition table) => new(table.DataColumns.Select(FieldOf).ToArray());
}
