namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// What one silo run measured: the timed ingest, how long the silo took to answer /health, the events it had
/// counted then and at the end, when the checkpoint after the last record completed and when the lake held
/// every record (seconds from ready), the coordinator's checkpoints and roll-backs by then, the silo's resident
/// memory at ready, once the lake held every record and after an idle time (when one was asked for), and every
/// count that differs from the records'.
/// </summary>
public sealed record GridFigures(
    IngestFigures Ingest, double StartupSeconds, long EventsAtReady, long EventsCounted, double CommittedSeconds, double LakeSeconds,
    long Checkpoints, long RollBacks, long ResidentBytesAtReady, long ResidentBytesAtEnd, IdleFigures? Idle, IReadOnlyList<string> Mismatches)
{
    public Dictionary<string, object> ToJson(IngestFigures bare)
    {
        ArgumentNullException.ThrowIfNull(bare);
        var json = Ingest.ToJson();
        json["grid_to_bare"] = Math.Round(Ingest.RecordsPerSecond / bare.RecordsPerSecond, 3);
        json["startup_seconds"] = Math.Round(StartupSeconds, 1);
        json["events_at_ready"] = EventsAtReady;
        json["events_counted"] = EventsCounted;
        json["committed_seconds"] = Math.Round(CommittedSeconds, 2);
        json["lake_complete_seconds"] = Math.Round(LakeSeconds, 1);
        json["checkpoints_completed"] = Checkpoints;
        json["roll_backs"] = RollBacks;
        json["resident_mib_at_ready"] = Math.Round(ResidentBytesAtReady / 1048576.0, 1);
        json["resident_mib_at_end"] = Math.Round(ResidentBytesAtEnd / 1048576.0, 1);
        json["mismatches"] = Mismatches;
        return json;
    }
}

/// <summary>The user grains active once the lake held every record, and after idling: the active ones and the resident memory then.</summary>
public sealed record IdleFigures(TimeSpan Idle, long UserActivationsAtEnd, long UserActivationsAfterIdle, long ResidentBytesAfterIdle);
