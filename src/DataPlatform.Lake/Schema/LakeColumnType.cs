namespace DataPlatform.Lake.Schema;

/// <summary>The column types a lake table can hold, with their Parquet, Delta and DuckDB spellings.</summary>
#pragma warning disable CA1720 // the members are named after the SQL types they stand for
public enum LakeColumnType
{
    /// <summary>UTF-8 text (Parquet BYTE_ARRAY/STRING, Delta "string").</summary>
    String,
    /// <summary>32-bit integer (Delta "integer").</summary>
    Int,
    /// <summary>64-bit integer (Delta "long").</summary>
    Long,
    /// <summary>64-bit float (Delta "double").</summary>
    Double,
    /// <summary>Money and other exact figures: decimal(18,2).</summary>
    Decimal,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>A UTC instant with microsecond precision (Delta "timestamp").</summary>
    Timestamp,
    /// <summary>A calendar date (Delta "date").</summary>
    Date,
    /// <summary>Bytes exactly as received (Parquet BYTE_ARRAY without a UTF-8 annotation, Delta "binary", DuckDB BLOB).</summary>
    Binary,
}
#pragma warning restore CA1720
