using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Ingestion;

namespace DataPlatform.Grains.Cdc;

/// <summary>How the partition router hands a row grain its changes (see <see cref="Ingestion.PartitionRouterGrain"/>).</summary>
[Alias("dp.ICdcRowRecordsGrain")]
public interface ICdcRowRecordsGrain : IGrainWithStringKey
{
    [Alias("ApplyChanges")]
    Task ApplyChangesAsync(RoutedRecords<CdcChange> changes);
}
