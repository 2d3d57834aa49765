using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Ingestion;

namespace DataPlatform.Grains.Users;

/// <summary>How the partition router hands a user grain its records (see <see cref="PartitionRouterGrain"/>).</summary>
[Alias("dp.IUserRecordsGrain")]
public interface IUserRecordsGrain : IGrainWithStringKey
{
    [Alias("ApplyAppEvents")]
    Task ApplyAppEventsAsync(RoutedRecords<AppEvent> records);

    [Alias("ApplyClickstream")]
    Task ApplyClickstreamAsync(RoutedRecords<ClickstreamEvent> records);

    [Alias("ApplyProfiles")]
    Task ApplyProfilesAsync(RoutedRecords<UserProfileEvent> records);
}
