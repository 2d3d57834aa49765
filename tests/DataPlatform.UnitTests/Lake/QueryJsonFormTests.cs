namespace DataPlatform.UnitTests.Lake;

/// <summary>Every DuckDB type has one JSON form in query answers (docs/lake.md "JSON forms").</summary>
public sealed class QueryJsonFormTests : IDisposable
{
    private readonly TestLake _lake = new();

    [Theory]
    [InlineData("NULL", "null")]
    [InlineData("true", "true")]
    [InlineData("CAST(-128 AS TINYINT)", "-128")]
    [InlineData("CAST(-32768 AS SMALLINT)", "-32768")]
    [InlineData("CAST(2147483647 AS INTEGER)", "2147483647")]
    [InlineData("CAST(-9223372036854775808 AS BIGINT)", "-9223372036854775808")]
    [InlineData("CAST('170141183460469231731687303715884105727' AS HUGEINT)", "170141183460469231731687303715884105727")]
    [InlineData("CAST(255 AS UTINYINT)", "255")]
    [InlineData("CAST(65535 AS USMALLINT)", "65535")]
    [InlineData("CAST(4294967295 AS UINTEGER)", "4294967295")]
    [InlineData("CAST('18446744073709551615' AS UBIGINT)", "18446744073709551615")]
    [InlineData("CAST('340282366920938463463374607431768211455' AS UHUGEINT)", "340282366920938463463374607431768211455")]
    [InlineData("CAST(1.5 AS FLOAT)", "1.5")]
    [InlineData("CAST(0.1 AS DOUBLE)", "0.1")]
    [InlineData("'NaN'::DOUBLE", "\"NaN\"")]
    [InlineData("'inf'::DOUBLE", "\"Infinity\"")]
    [InlineData("'-inf'::FLOAT", "\"-Infinity\"")]
    [InlineData("CAST(123.4 AS DECIMAL(4,1))", "123.4")]
    [InlineData("CAST(-12.34 AS DECIMAL(18,2))", "-12.34")]
    [InlineData("CAST('12345678901234567890.1234567890' AS DECIMAL(38,10))", "12345678901234567890.1234567890")]
    [InlineData("'say \"NaN\"\n'", "\"say \\\"NaN\\\"\\n\"")]
    [InlineData("'\\xAA\\x00abc'::BLOB", "\"qgBhYmM=\"")]
    [InlineData("['\\xAA'::BLOB]", "[\"\\\\xAA\"]")]
    [InlineData("TIMETZ '12:00:00+02'", "\"12:00:00+02\"")]
    [InlineData("DATE '2026-11-23'", "\"2026-11-23\"")]
    [InlineData("'-infinity'::DATE", "\"-infinity\"")]
    [InlineData("'5000000-01-01'::DATE", "\"5000000-01-01\"")]
    [InlineData("'0044-03-15 (BC)'::DATE", "\"0044-03-15 (BC)\"")]
    [InlineData("TIME '12:34:56.5'", "\"12:34:56.5\"")]
    [InlineData("'12:00:00.123456789'::TIME_NS", "\"12:00:00.123456789\"")]
    [InlineData("TIMESTAMP '2026-11-23 10:00:01.25'", "\"2026-11-23 10:00:01.25\"")]
    [InlineData("'infinity'::TIMESTAMP", "\"infinity\"")]
    [InlineData("'294247-01-10 04:00:54.775806'::TIMESTAMP", "\"294247-01-10 04:00:54.775806\"")]
    [InlineData("'2026-11-23 10:00:01'::TIMESTAMP_S", "\"2026-11-23 10:00:01\"")]
    [InlineData("'2026-11-23 10:00:01.123'::TIMESTAMP_MS", "\"2026-11-23 10:00:01.123\"")]
    [InlineData("'2026-11-23 10:00:01.123456789'::TIMESTAMP_NS", "\"2026-11-23 10:00:01.123456789\"")]
    [InlineData("TIMESTAMPTZ '2026-11-23 10:00:01+02'", "\"2026-11-23 08:00:01+00\"")]
    [InlineData("INTERVAL '1 year 2 months 3 days 04:05:06'", "\"1 year 2 months 3 days 04:05:06\"")]
    [InlineData("'8af3a4de-c435-409b-9a6c-85dfd201e158'::UUID", "\"8af3a4de-c435-409b-9a6c-85dfd201e158\"")]
    [InlineData("'b'::ENUM('a', 'b')", "\"b\"")]
    [InlineData("[1, NULL, 3]", "[1,null,3]")]
    [InlineData("[1.5, 'nan'::DOUBLE, 'inf'::DOUBLE]", "[1.5,\"NaN\",\"Infinity\"]")]
    [InlineData("CAST([1, 2] AS INTEGER[2])", "[1,2]")]
    [InlineData("{'x': 1, 'y': ['a', 'b'], 'z': {'w': DATE '2026-01-02'}}", "{\"x\":1,\"y\":[\"a\",\"b\"],\"z\":{\"w\":\"2026-01-02\"}}")]
    [InlineData("MAP {1: 'a', 2: 'b'}", "{\"1\":\"a\",\"2\":\"b\"}")]
    [InlineData("union_value(k := 1)", "{\"k\":1}")]
    [InlineData("'0101'::BIT", "\"0101\"")]
    [InlineData("'{\"a\": [1, true]}'::JSON", "{\"a\":[1,true]}")]
    [InlineData("'POINT(1 2)'::GEOMETRY", "\"POINT (1 2)\"")]
    [InlineData("1::VARIANT", "\"1\"")]
    [InlineData("CAST('123456789012345678901234567890' AS BIGNUM)", "123456789012345678901234567890")]
    public async Task Each_type_answers_in_its_json_form(string expression, string json)
    {
        var result = await _lake.Engine().ExecuteAsync($"SELECT {expression} AS v", null, default);
        Assert.Equal(json, result.Rows[0][0].GetRawText());
    }

    [Fact]
    public async Task Columns_carry_duckdb_type_names_and_repeated_names_are_told_apart()
    {
        var result = await _lake.Engine().ExecuteAsync(
            "SELECT 1 AS a, 'x' AS a, CAST(1 AS DECIMAL(38,10)) AS d, [1] AS l, {'k': 1} AS s, MAP {1: 2} AS m, '\\x01'::BLOB AS b", null, default);
        Assert.Equal(["a", "a_1", "d", "l", "s", "m", "b"], result.Columns.Select(column => column.Name));
        Assert.Equal(["INTEGER", "VARCHAR", "DECIMAL(38,10)", "INTEGER[]", "STRUCT(k INTEGER)", "MAP(INTEGER, INTEGER)", "BLOB"], result.Columns.Select(column => column.Type));
        Assert.Equal("[1,\"x\",1.0000000000,[1],{\"k\":1},{\"1\":2},\"AQ==\"]", result.Rows[0].GetRawText());
    }

    [Fact]
    public async Task Row_order_of_the_query_is_kept()
    {
        var result = await _lake.Engine().ExecuteAsync("SELECT range AS n FROM range(100000) ORDER BY n DESC", 3, default);
        Assert.Equal([99999L, 99998L, 99997L], result.Rows.Select(row => row[0].GetInt64()));
        Assert.True(result.Truncated);
    }

    public void Dispose() => _lake.Dispose();
}
