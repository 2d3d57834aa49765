using System.Text.Json;
using System.Text.RegularExpressions;
using DataPlatform.Contracts.Telemetry;
using DataPlatform.Silo.Hosting;
using DataPlatform.UnitTests.Deployment;
using YamlDotNet.RepresentationModel;

namespace DataPlatform.UnitTests.Telemetry;

/// <summary>
/// The monitoring stack in deploy/monitoring/ and the catalogue in docs/monitoring.md name exactly the metrics the silo
/// exports (<see cref="PlatformMetricNames.Exported"/>; the serving tests scrape /metrics for each of them).
/// </summary>
public sealed partial class ExportedMetricsTests
{
    private static readonly HashSet<string> ExportedSeries =
        new(PlatformMetricNames.Exported.SelectMany(metric => metric.SeriesNames), StringComparer.Ordinal);

    [Fact]
    public void The_names_follow_prometheus_conventions()
    {
        foreach (var metric in PlatformMetricNames.Exported)
        {
            Assert.Matches("^[a-z][a-z0-9_]*$", metric.Name);
            Assert.Equal(metric.Kind == MetricKind.Counter, metric.Name.EndsWith("_total", StringComparison.Ordinal));
            // DataPlatform's durations are in seconds (Orleans' own are in milliseconds).
            if (metric.Kind == MetricKind.Histogram && metric.Name.StartsWith("dataplatform_", StringComparison.Ordinal))
            {
                Assert.EndsWith("_seconds", metric.Name, StringComparison.Ordinal);
            }
            Assert.All(metric.Labels, label => Assert.Matches("^[a-z][a-z0-9_]*$", label));
            Assert.False(string.IsNullOrWhiteSpace(metric.Meaning), metric.Name);
        }
        Assert.Equal(PlatformMetricNames.Exported.Count, PlatformMetricNames.Exported.Select(metric => metric.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_grafana_dashboard_reads_only_exported_metrics_and_shows_every_dataplatform_one()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.Read("deploy", "monitoring", "grafana-dashboard.json"));
        var expressions = Expressions(dashboard.RootElement).ToList();
        Assert.NotEmpty(expressions);

        var used = UsedMetrics(expressions);

        foreach (var metric in PlatformMetricNames.Exported.Where(metric => metric.Name.StartsWith("dataplatform_", StringComparison.Ordinal)))
        {
            Assert.True(metric.SeriesNames.Any(used.Contains), $"The dashboard shows nothing of {metric.Name}.");
        }
    }

    [Fact]
    public void The_alerting_rules_read_only_exported_metrics_and_the_scrape_configuration_loads_them()
    {
        var rules = Yaml("alerts.yml");
        var alerts = ((YamlSequenceNode)rules["groups"]).Children.Cast<YamlMappingNode>()
            .SelectMany(group => ((YamlSequenceNode)group["rules"]).Children.Cast<YamlMappingNode>())
            .ToList();
        Assert.NotEmpty(alerts);
        foreach (var alert in alerts)
        {
            Assert.False(string.IsNullOrWhiteSpace(Scalar(alert, "alert")));
            Assert.False(string.IsNullOrWhiteSpace(Scalar(alert, "annotations", "summary")), Scalar(alert, "alert"));
        }

        var used = UsedMetrics(alerts.Select(alert => Scalar(alert, "expr")).ToList());
        foreach (var expected in new[] { "dataplatform_records_lost_total", "dataplatform_consumer_lag", "dataplatform_dead_letters_total", "dataplatform_lake_commits_total" })
        {
            Assert.Contains(expected, used);
        }
        Assert.Contains("dataplatform_checkpoint_duration_seconds_bucket", used);

        var scrape = Yaml("prometheus.yml");
        Assert.Contains("alerts.yml", ((YamlSequenceNode)scrape["rule_files"]).Children.Select(file => ((YamlScalarNode)file).Value));
        var job = ((YamlSequenceNode)scrape["scrape_configs"]).Children.Cast<YamlMappingNode>().Single();
        Assert.Equal(MetricsHostingExtensions.Path, Scalar(job, "metrics_path"));
        // /metrics is for admins: the scrape sends a key.
        Assert.Equal("Bearer", Scalar(job, "authorization", "type"));
    }

    [Fact]
    public void The_catalogue_in_the_docs_lists_every_exported_metric_with_its_labels()
    {
        var catalogue = RepositoryFiles.Read("docs", "monitoring.md");
        var rows = CatalogueRow().Matches(catalogue).ToDictionary(row => row.Groups["name"].Value, row => row.Value, StringComparer.Ordinal);

        foreach (var metric in PlatformMetricNames.Exported)
        {
            Assert.True(rows.TryGetValue(metric.Name, out var row), $"docs/monitoring.md has no row for {metric.Name}.");
            var kind = metric.Kind switch
            {
                MetricKind.Counter => "counter",
                MetricKind.Gauge => "gauge",
                _ => "histogram",
            };
            Assert.Contains($"| {kind} |", row, StringComparison.Ordinal);
            Assert.All(metric.Labels, label => Assert.Contains($"`{label}`", row, StringComparison.Ordinal));
        }
        Assert.Empty(rows.Keys.Except(PlatformMetricNames.Exported.Select(metric => metric.Name), StringComparer.Ordinal));
        Assert.Contains("monitoring.md", RepositoryFiles.Read("README.md"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sum by (topic) (rate(dataplatform_records_ingested_total[1m]))", "dataplatform_records_ingested_total")]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket{kind=\"appends\"}[5m])))", "x_seconds_bucket")]
    [InlineData("sum(a_total) / sum without (instance) (b) > 1e3 and on(topic) c offset 5m", "a_total b c")]
    [InlineData("increase(a_total{operation=~\"WRITE|MERGE\"}[15m]) == 0", "a_total")]
    public void Metric_names_are_told_from_functions_labels_and_numbers(string expression, string names) =>
        Assert.Equal(names.Split(' '), PromQl.MetricNames(expression));

    /// <summary>Every metric name the expressions read; each must be a series the silo exports.</summary>
    private static HashSet<string> UsedMetrics(IReadOnlyList<string> expressions)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expression in expressions)
        {
            var names = PromQl.MetricNames(expression);
            Assert.True(names.Count > 0, $"'{expression}' reads no metric.");
            foreach (var name in names)
            {
                Assert.True(ExportedSeries.Contains(name), $"'{expression}' reads {name}, which the silo does not export (PlatformMetricNames.Exported).");
                used.Add(name);
            }
        }
        return used;
    }

    /// <summary>The <c>expr</c> of every target of every panel, rows and nested panels included.</summary>
    private static IEnumerable<string> Expressions(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                {
                    yield return property.Value.GetString()!;
                }
                foreach (var expression in Expressions(property.Value))
                {
                    yield return expression;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var expression in element.EnumerateArray().SelectMany(Expressions))
            {
                yield return expression;
            }
        }
    }

    private static YamlMappingNode Yaml(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(RepositoryFiles.Read("deploy", "monitoring", file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }
        return ((YamlScalarNode)current).Value ?? "";
    }

    /// <summary>A row of the catalogue table: <c>| `name` | kind | labels | meaning |</c>.</summary>
    [GeneratedRegex(@"^\| `(?<name>[a-z][a-z0-9_]*)` \|.*$", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();
}
