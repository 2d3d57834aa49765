using DataPlatform.Grains.Scheduling;

namespace DataPlatform.Grains.Users;

/// <summary>
/// When each user must be evaluated again without new events (its segment can change when a UTC day
/// ends). Kept after a grain is collected, so idle users still turn Inactive.
/// </summary>
public sealed class SegmentReviews() : EventTimeSchedule(Name)
{
    public const string Name = "reviews";
}
