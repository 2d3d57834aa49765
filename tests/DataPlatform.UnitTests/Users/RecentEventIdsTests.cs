using DataPlatform.Analytics;

namespace DataPlatform.UnitTests.Users;

public sealed class RecentEventIdsTests
{
    [Fact]
    public void Keeps_the_most_recent_ids_up_to_its_capacity()
    {
        var ids = new RecentEventIds { Capacity = 3 };
        Assert.True(ids.Add("a"));
        Assert.True(ids.Add("b"));
        Assert.True(ids.Add("c"));
        Assert.False(ids.Add("a"));

        Assert.True(ids.Add("d"));

        Assert.Equal(3, ids.Count);
        Assert.False(ids.Contains("a"));
        Assert.True(ids.Contains("b"));
        Assert.True(ids.Contains("d"));
        Assert.True(ids.Add("a"));
    }
}
