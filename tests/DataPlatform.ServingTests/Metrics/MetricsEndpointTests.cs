using System.Globalization;
using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Telemetry;
using DataPlatform.Streaming.Kafka;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Metrics;

/// <summary>
/// GET /metrics after records flowed: every metric of the catalogue (PlatformMetricNames.Exported, which docs/monitoring.md
/// and deploy/monitoring/ use) is there with its labels and a value that fits what happened: records read, a dead letter
/// written on purpose, nothing lost, a lag per partition this silo reads, checkpoints, flushes, commits, a query and a
/// SignalR connection held open while scraping.
/// </summary>
public sealed class MetricsEndpointTests(MetricsPlatform platform) : IClassFixture<MetricsPlatform>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_documented_metric_is_exported_with_a_plausible_value()
    {
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(platform.BaseAddress, "/hubs/kpis")).Build();
        await hub.StartAsync();
        await platform.WriteNotJsonAsync();
        var deadline = DateTimeOffset.UtcNow + Patience;
        List<string> missing;
        do
        {
            // Each round asks a query, so the query histogram has one by the first scrape.
            await platform.QueryAsync("SELECT count(*) AS events FROM bronze.app_events");
            using var response = await platform.Http.GetAsync("/metrics");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET /metrics: {(int)response.StatusCode} {text}");
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            missing = [.. Missing(PrometheusSample.Parse(text))];
            if (missing.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
        while (missing.Count > 0 && DateTimeOffset.UtcNow < deadline);

        Assert.True(missing.Count == 0, $"Within {Patience.TotalSeconds} s /metrics still lacked:\n{string.Join('\n', missing)}");
    }

    /// <summary>What the scrape lacks: a documented metric, one of its labels, or a plausible value.</summary>
    private IEnumerable<string> Missing(IReadOnlyList<PrometheusSample> samples)
    {
        foreach (var metric in PlatformMetricNames.Exported)
        {
            var series = samples.Where(sample => metric.SeriesNames.Contains(sample.Name)).ToList();
            if (series.Count == 0)
            {
                yield return $"{metric.Name}: not exported";
                continue;
            }
            foreach (var label in metric.Labels.Where(label => !series.Any(sample => sample.Labels.ContainsKey(label))))
            {
                yield return $"{metric.Name}: no sample labelled {label}";
            }
        }

        if (Sum(samples, "dataplatform_records_ingested_total", ("topic", Topics.AppEvents)) <= 0)
        {
            yield return "dataplatform_records_ingested_total: no record read from topic_app_events";
        }
        if (Sum(samples, "dataplatform_dead_letters_total", ("reason", DeadLetterReason.NotJson)) < 1)
        {
            yield return "dataplatform_dead_letters_total: the record that is not JSON is not counted";
        }
        if (samples.Where(sample => sample.Name == "dataplatform_records_lost_total").FirstOrDefault(sample => sample.Value != 0) is { } lost)
        {
            yield return $"dataplatform_records_lost_total: {lost.Value} record(s) of {lost.Label("topic")}-{lost.Label("partition")} reported lost in a short run";
        }
        var kafka = platform.Services.GetRequiredService<KafkaStreamStatistics>();
        foreach (var partition in kafka.Partitions.Where(partition => partition.Owned))
        {
            var labels = new[] { ("topic", partition.Topic), ("partition", partition.Partition.ToString(CultureInfo.InvariantCulture)) };
            if (!samples.Any(sample => sample.Name == "dataplatform_consumer_lag" && Matches(sample, labels) && sample.Value >= 0))
            {
                yield return $"dataplatform_consumer_lag: no lag for {partition.Topic}-{partition.Partition}, which this silo reads";
            }
            if (!samples.Any(sample => sample.Name == "dataplatform_records_lost_total" && Matches(sample, labels)))
            {
                yield return $"dataplatform_records_lost_total: no count for {partition.Topic}-{partition.Partition}, which this silo reads";
            }
        }
        if (Sum(samples, "dataplatform_checkpoint_duration_seconds_count") < 1)
        {
            yield return "dataplatform_checkpoint_duration_seconds: no checkpoint completed";
        }
        foreach (var kind in new[] { PlatformMetricNames.AppendFlush, PlatformMetricNames.SnapshotFlush })
        {
            if (Sum(samples, "dataplatform_lake_flush_duration_seconds_count", ("kind", kind)) < 1)
            {
                yield return $"dataplatform_lake_flush_duration_seconds: no flush of {kind}";
            }
        }
        if (Sum(samples, "dataplatform_lake_commits_total", ("table", "bronze.app_events"), ("layer", "bronze"), ("operation", "WRITE")) < 1)
        {
            yield return "dataplatform_lake_commits_total: no append committed to bronze.app_events";
        }
        if (Sum(samples, "dataplatform_query_duration_seconds_count") < 1)
        {
            yield return "dataplatform_query_duration_seconds: the answered queries are not counted";
        }
        if (Sum(samples, "dataplatform_signalr_connections", ("hub", "KpiHub")) < 1)
        {
            yield return "dataplatform_signalr_connections: the open connection to the KPI hub is not counted";
        }
        if (Sum(samples, "http_server_request_duration_seconds_count", ("http_route", "/query"), ("http_request_method", "POST")) < 1)
        {
            yield return "http_server_request_duration_seconds: POST /query is not counted";
        }
        if (!samples.Any(sample => sample.Name.StartsWith("orleans_", StringComparison.Ordinal)))
        {
            yield return "orleans_*: none of Orleans' runtime metrics is exported";
        }
    }

    private static double Sum(IReadOnlyList<PrometheusSample> samples, string name, params (string Name, string Value)[] labels) =>
        samples.Where(sample => sample.Name == name && Matches(sample, labels)).Sum(sample => sample.Value);

    private static bool Matches(PrometheusSample sample, (string Name, string Value)[] labels) =>
        labels.All(label => sample.Label(label.Name) == label.Value);
}
