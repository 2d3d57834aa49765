using DataPlatform.Lake.Schema;

namespace DataPlatform.UnitTests.Lake;

/// <summary>A row map names each column once next to its value, and refuses to exist when it does not fit its table.</summary>
public sealed class RowMapTests
{
    private sealed record Point(string Name, long Count, double? Share);

    private static readonly TableDefinition Table = new()
    {
        Name = "gold.points",
        Description = "Test table.",
        Owner = "tests",
        Columns =
        [
            new("name", LakeColumnType.String, Nullable: false),
            new("count", LakeColumnType.Long),
            new("share", LakeColumnType.Double),
        ],
    };

    [Fact]
    public void A_row_comes_out_in_the_tables_column_order_whatever_order_the_map_names_them_in()
    {
        var map = new RowMap<Point>(Table, [("share", p => p.Share), ("name", p => p.Name), ("count", p => p.Count)]);

        Assert.Equal(["a", 3L, 0.5], map.Row(new Point("a", 3, 0.5)));
    }

    [Theory]
    [InlineData("name,count", "nothing fills share")]
    [InlineData("name,count,share,colour", "has no column colour")]
    [InlineData("name,count,share,count", "column count is filled twice")]
    public void A_map_that_does_not_fit_its_table_is_refused_with_what_is_wrong(string columns, string problem)
    {
        var named = columns.Split(',').Select(column => (column, (Func<Point, object?>)(_ => null))).ToList();

        var refused = Assert.Throws<ArgumentException>(() => new RowMap<Point>(Table, named));

        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }
}
