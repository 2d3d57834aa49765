using DataPlatform.Analytics.Alerts;

namespace DataPlatform.UnitTests.Alerts;

public sealed class RobustBaselineTests
{
    [Fact]
    public void The_median_and_mad_ignore_a_far_outlier()
    {
        var baseline = RobustBaseline.Of([10, 12, 11, 13, 1000], relativeFloor: 0, minSpread: 0.001);

        Assert.Equal(12, baseline.Median);
        Assert.Equal(1, baseline.Mad);
        Assert.Equal(RobustBaseline.MadScale, baseline.Spread, 6);
    }

    [Fact]
    public void An_even_count_takes_the_middle_pair()
    {
        var baseline = RobustBaseline.Of([1, 2, 4, 10], relativeFloor: 0, minSpread: 0.001);

        Assert.Equal(3, baseline.Median);
        Assert.Equal(1.5, baseline.Mad);
    }

    [Fact]
    public void A_flat_baseline_gets_the_larger_floor_as_its_spread()
    {
        Assert.Equal(60, RobustBaseline.Of([600, 600, 600], relativeFloor: 0.1, minSpread: 5).Spread);
        Assert.Equal(5, RobustBaseline.Of([20, 20, 20], relativeFloor: 0.1, minSpread: 5).Spread);
    }
}
