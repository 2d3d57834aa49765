using System.Globalization;
using System.Text.Json;
using DataPlatform.Contracts.Messages;
using DataPlatform.Lake.Sql;

namespace DataPlatform.GrainTests;

/// <summary>Reads gold.user_features rows back as the features they hold, to compare with the reference.</summary>
public static class FeatureSnapshotRows
{
    private const string Select =
        "SELECT user_id, strftime(date, '%Y-%m-%d'), events_1h, events_24h, events_7d, events_by_type_1h, events_by_type_24h, events_by_type_7d, "
        + "sessions_1h, sessions_24h, sessions_7d, epoch_us(last_event_at), recency_days, frequency_30d, purchases_30d, monetary_90d, "
        + "segment, churn_risk, engagement_score FROM gold.user_features";

    /// <summary>The snapshot rows that <paramref name="where"/> selects (a SQL condition), at most 10,000.</summary>
    public static async Task<IReadOnlyList<UserFeatures>> ReadAsync(LakeQueryEngine lake, string where)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var result = await lake.ExecuteAsync($"{Select} WHERE {where}", 10_000, CancellationToken.None);
        Assert.False(result.Truncated, $"more than 10,000 snapshot rows where {where}");
        return [.. result.Rows.Select(Of)];
    }

    private static UserFeatures Of(JsonElement row)
    {
        static IReadOnlyDictionary<string, long> Types(JsonElement json) => JsonSerializer.Deserialize<Dictionary<string, long>>(json.GetString()!)!;
        return new UserFeatures
        {
            UserId = row[0].GetString()!,
            AsOf = ReferenceAnalytics.EndOf(DateOnly.ParseExact(row[1].GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Events1h = row[2].GetInt64(),
            Events24h = row[3].GetInt64(),
            Events7d = row[4].GetInt64(),
            EventsByType1h = Types(row[5]),
            EventsByType24h = Types(row[6]),
            EventsByType7d = Types(row[7]),
            Sessions1h = row[8].GetInt64(),
            Sessions24h = row[9].GetInt64(),
            Sessions7d = row[10].GetInt64(),
            LastEventAt = DateTimeOffset.UnixEpoch.AddTicks(row[11].GetInt64() * TimeSpan.TicksPerMicrosecond),
            RecencyDays = row[12].GetDouble(),
            Frequency30d = row[13].GetInt64(),
            Purchases30d = row[14].GetInt64(),
            Monetary90d = row[15].GetDecimal(),
            Segment = row[16].GetString()!,
            ChurnRisk = row[17].GetString()!,
            EngagementScore = row[18].GetDouble(),
        };
    }
}
