using DataPlatform.Analytics.Alerts;

namespace DataPlatform.UnitTests.Alerts;

public sealed class AlertOptionsValidatorTests
{
    private static string? FailureOf(AlertOptions options) => new AlertOptionsValidator().Validate(null, options).FailureMessage;

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new AlertOptionsValidator().Validate(null, new AlertOptions()).Succeeded);
    }

    [Fact]
    public void A_close_threshold_not_below_the_open_threshold_is_refused_with_what_to_set()
    {
        Assert.Equal(
            "Alerts:CloseThreshold must be at least 0 and below Alerts:OpenThreshold (3; got 3), so that an alert closes only once the signal is clearly back.",
            FailureOf(new AlertOptions { OpenThreshold = 3, CloseThreshold = 3 }));
    }

    [Fact]
    public void Every_nonsense_value_is_named()
    {
        var failure = FailureOf(new AlertOptions
        {
            BaselineMinutes = 2,
            MinBaselineMinutes = 0,
            OpenThreshold = double.NaN,
            CloseThreshold = -1,
            OpenAfterMinutes = 0,
            CloseAfterMinutes = 0,
            RelativeFloor = -1,
            ErrorShareMinSpread = 0,
            ConsumerLagMinSpread = double.PositiveInfinity,
            RecentClosed = -1,
        });

        Assert.NotNull(failure);
        foreach (var setting in new[] { "BaselineMinutes", "MinBaselineMinutes", "OpenThreshold", "CloseThreshold", "OpenAfterMinutes",
            "CloseAfterMinutes", "RelativeFloor", "ErrorShareMinSpread", "ConsumerLagMinSpread", "RecentClosed" })
        {
            Assert.Contains($"Alerts:{setting} must", failure, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("EventRateMinSpread", failure, StringComparison.Ordinal);
    }
}
