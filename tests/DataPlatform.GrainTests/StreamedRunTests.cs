using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using DataPlatform.Contracts.Messages;
using DataPlatform.Contracts.Grains;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using Orleans.Runtime;

namespace DataPlatform.GrainTests;

[Collection(TwoSiloClusterDefinition.Name)]
public sealed class StreamedRunTests(TwoSiloCluster fixture)
{
    [Fact]
    public async Task A_seeded_run_gives_exact_user_session_and_kpi_figures_on_two_silos()
    {
        var options = new SimulatorOptions { Seed = 2026, Users = 300, Rate = 50, ConcurrentSessions = 80, DuplicateFraction = 0.01 };
        // Records of every topic go through the edge: user events, profiles, the change feed, external feeds.
        // Yesterday at 10:00 UTC: inside the retention, and the whole run (and its closing) on one date.
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(10), TimeSpan.Zero);
        var records = new EventGenerator(options, start).Take(20_000).ToList();
        var reference = new ReferenceAnalytics(records);
        var deadLetters = new CollectingDeadLetterSink();
        var ingestor = fixture.Ingestor(deadLetters);

        // One publisher per user keeps each user's records in order, as Kafka keys would.
        await Task.WhenAll(records.GroupBy(record => record.Key).Select(async user =>
        {
            foreach (var record in user)
            {
                Assert.True(await ingestor.IngestAsync(record.Topic, record.Key, record.Payload, CancellationToken.None));
            }
        }));

        Assert.Empty(deadLetters.Letters);
        Assert.True(records.Count > reference.Rows.Count, "the run should include duplicate records");
        var kpiGrain = fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope);
        var kpis = await Eventually.HoldsAsync(kpiGrain.GetSnapshotAsync, snapshot => snapshot.TotalEvents >= reference.Rows.Count,
            TimeSpan.FromSeconds(90), "KPI total events");

        Assert.Equal(reference.Rows.Count, kpis.TotalEvents);
        Assert.Equal(reference.Watermark, kpis.Watermark);
        Assert.Equal(reference.ActiveUsers(TimeSpan.FromMinutes(5)), kpis.ActiveUsers);
        Assert.Equal(reference.ActiveSessions(TimeSpan.FromMinutes(30)), kpis.ActiveSessions);
        Assert.Equal(0, kpis.DeadLetters);

        foreach (var user in reference.Users)
        {
            var profile = await fixture.Client.GetGrain<IUserGrain>(user.Key).GetProfileAsync();
            Assert.NotNull(profile);
            Assert.Equal(user.Count(), profile.TotalEvents);
            Assert.Equal(user.GroupBy(row => row.Type).ToDictionary(g => g.Key, g => (long)g.Count()), profile.EventsByType);
            Assert.Equal(user.Select(row => row.SessionId).Distinct().Count(), profile.Sessions);
            Assert.Equal(user.Count(row => row.Type == "purchase"), profile.Purchases);
            var orderRevenue = reference.Orders.Where(order => order.Counts && order.CustomerId == user.Key).Sum(order => order.Total);
            Assert.Equal(user.Where(row => row.Type == "purchase").Sum(row => (decimal)(row.Value ?? 0)) + orderRevenue, profile.TotalRevenue);
            Assert.Equal(user.Min(row => row.At), profile.FirstSeen);
            Assert.Equal(user.Max(row => row.At), profile.LastSeen);
            Assert.Equal(user.Select(row => row.AppType).Distinct().Order(StringComparer.Ordinal), profile.AppTypes);
        }

        foreach (var session in reference.Sessions)
        {
            var snapshot = await fixture.Client.GetGrain<ISessionGrain>(session.Key).GetSnapshotAsync();
            Assert.NotNull(snapshot);
            var pageViews = session.Where(ReferenceAnalytics.IsPageView).OrderBy(row => row.At).ToList();
            Assert.Equal(session.Count(), snapshot.Events);
            Assert.Equal(pageViews.Count, snapshot.PageViews);
            Assert.Equal(session.Count(row => row.Type is "click" or "button_click"), snapshot.Clicks);
            Assert.Equal(pageViews.Count == 1 && session.Count() == 1, snapshot.IsBounce);
            Assert.Equal(session.Any(row => row.Type == "purchase"), snapshot.Converted);
            Assert.Equal((session.Max(row => row.At) - session.Min(row => row.At)).TotalSeconds, snapshot.DurationS);
            Assert.Equal(pageViews.FirstOrDefault(row => row.Page is not null)?.Page, snapshot.EntryPage);
            Assert.Equal(pageViews.LastOrDefault(row => row.Page is not null)?.Page, snapshot.ExitPage);
        }

        // Hourly and minute windows by (event_type, app_type): events, distinct users, value min/max/sum.
        var hourly = await kpiGrain.GetHourlyMetricsAsync();
        AssertWindows(reference.Windows(TimeSpan.FromHours(1)), hourly);
        var minutes = reference.Minutes();
        var span = (int)((ReferenceAnalytics.Floor(reference.Watermark, TimeSpan.FromMinutes(1)) - minutes.Keys.Min()).TotalMinutes) + 1;
        AssertWindows(reference.Windows(TimeSpan.FromMinutes(1)), await kpiGrain.GetMinuteMetricsAsync(span));
        var history = await kpiGrain.GetHistoryAsync(span);
        Assert.Equal(minutes.Keys.Order(), history.Select(minute => minute.Minute));
        Assert.All(history, minute =>
        {
            Assert.Equal(minutes[minute.Minute].Events, minute.Events);
            Assert.Equal(minutes[minute.Minute].Users, minute.ActiveUsers);
        });
        var lastCompleteMinute = ReferenceAnalytics.Floor(reference.Watermark, TimeSpan.FromMinutes(1)).AddMinutes(-1);
        var expectedTop = reference.Rows.Where(row => ReferenceAnalytics.Floor(row.At, TimeSpan.FromMinutes(1)) == lastCompleteMinute)
            .GroupBy(row => row.Type).Select(group => (Type: group.Key, Count: (long)group.Count()))
            .OrderByDescending(pair => pair.Count).ThenBy(pair => pair.Type, StringComparer.Ordinal).Take(10).ToList();
        Assert.Equal(expectedTop, kpis.TopEventTypes.Select(top => (top.EventType, top.Count)));
        Assert.Equal(0, kpis.LateEvents);

        // One event 40 minutes after the run moves the watermark on: every session of the run is idle
        // for longer than the 30-minute timeout and closes. Bounce rate and average duration follow.
        var closerTime = reference.Watermark.AddMinutes(40).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ingestor.IngestAsync("topic_app_events", "closer", System.Text.Encoding.UTF8.GetBytes(
            $$"""{"event_id":"closer-1","user_id":"closer","event_type":"app_open","app_type":"ios","timestamp":"{{closerTime}}"}"""),
            CancellationToken.None));
        var sessions = reference.Sessions.Select(session => new
        {
            IsBounce = session.Count(ReferenceAnalytics.IsPageView) == 1 && session.Count() == 1,
            Duration = (session.Max(row => row.At) - session.Min(row => row.At)).TotalSeconds,
        }).ToList();
        var closed = await Eventually.HoldsAsync(kpiGrain.GetSnapshotAsync,
            snapshot => snapshot.BounceRate is not null && Math.Abs(snapshot.BounceRate.Value - (double)sessions.Count(s => s.IsBounce) / sessions.Count) < 1e-12,
            TimeSpan.FromSeconds(60), "bounce rate of the closed sessions");
        Assert.Equal(sessions.Average(s => s.Duration), closed.AvgSessionDurationS!.Value, precision: 6);
        var aClosedSession = await fixture.Client.GetGrain<ISessionGrain>(reference.Sessions[0].Key).GetSnapshotAsync();
        Assert.True(aClosedSession!.Closed);

        // Orders of the watermark's date that count (not cancelled, not deleted), from the change feed.
        var today = DateOnly.FromDateTime(closed.Watermark!.Value.UtcDateTime);
        var ordersToday = reference.Orders.Where(order => order.Counts && DateOnly.FromDateTime(order.OrderDate.UtcDateTime) == today).ToList();
        Assert.NotEmpty(ordersToday);
        Assert.Contains(reference.Orders, order => order.Status == "cancelled");
        Assert.Equal(ordersToday.Count, closed.OrdersToday);
        Assert.Equal(ordersToday.Sum(order => order.Total), closed.RevenueToday);
        Assert.Equal(Math.Round(ordersToday.Sum(order => order.Total) / ordersToday.Count, 2), closed.AvgOrderValue);

        // Product performance: the lines of the orders that count, per product.
        var expectedProducts = reference.Products();
        Assert.NotEmpty(expectedProducts);
        IReadOnlyDictionary<string, ProductSales> products;
        var productsDeadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            products = await kpiGrain.GetProductPerformanceAsync();
            if (expectedProducts.All(p => products.TryGetValue(p.Key, out var sales) && sales == p.Value) && products.Count == expectedProducts.Count)
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < productsDeadline);
        var differences = expectedProducts.Where(p => !products.TryGetValue(p.Key, out var sales) || sales != p.Value)
            .Select(p => $"{p.Key}: expected {p.Value} got {products.GetValueOrDefault(p.Key)}").ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));

        // The day's summary: every user of the run is new that day; sessions are the closed ones.
        var day = await kpiGrain.GetDailySummaryAsync(today);
        Assert.Equal(reference.Users.Count + 1, day.TotalUsers);
        Assert.Equal(reference.Users.Count + 1, day.NewUsers);
        Assert.Equal(0, day.ReturningUsersPct);
        Assert.Equal(reference.Rows.Count + 1, day.TotalEvents);
        Assert.Equal(sessions.Count, day.Sessions);
        Assert.Equal(closed.BounceRate, day.BounceRate);
        Assert.Equal((ordersToday.Count, ordersToday.Sum(order => order.Total)), (day.Orders, day.Revenue));

        // Segments: every event and order of the run falls on one UTC date, so each user was last seen
        // "today", nobody can have sessions on 3 distinct days, and VIP is decided by revenue or purchases.
        var expectedUsers = reference.Users.Select(user =>
        {
            var revenue = reference.RevenueOf(user.Key);
            var purchases = user.Count(row => row.Type == "purchase");
            var segment = revenue >= 1000m || purchases >= 5 ? "VIP" : "Regular";
            var engagement = Math.Round(40 + 40 * Math.Min(1, user.Count() / 100.0) + 20 * Math.Min(1, (double)revenue / 1000), 1);
            return (User: user.Key, Segment: segment, Engagement: engagement, Revenue: revenue);
        }).Append((User: "closer", Segment: "Regular", Engagement: 40.4, Revenue: 0m)).ToList();
        Assert.Contains(expectedUsers, user => user.Segment == "VIP");
        foreach (var expected in expectedUsers.Take(50))
        {
            var profile = await fixture.Client.GetGrain<IUserGrain>(expected.User).GetProfileAsync();
            Assert.Equal((expected.Segment, expected.Engagement, "low"), (profile!.Segment, profile.EngagementScore, profile.ChurnRisk));
        }
        foreach (var segment in new[] { "VIP", "Regular" })
        {
            var members = expectedUsers.Where(user => user.Segment == segment).ToList();
            var summary = await Eventually.HoldsAsync(() => fixture.Client.GetGrain<ISegmentGrain>(segment).GetSummaryAsync(),
                figures => figures.Users == members.Count && figures.TotalRevenue == members.Sum(user => user.Revenue),
                TimeSpan.FromSeconds(30), $"segment {segment}");
            Assert.Equal(Math.Round(members.Average(user => user.Engagement), 1), summary.AvgEngagement);
        }
        var kpiSegments = (await kpiGrain.GetSnapshotAsync()).Segments;
        Assert.Equal(expectedUsers.Count(user => user.Segment == "VIP"), kpiSegments["VIP"]);
        Assert.Equal(0, kpiSegments["Active"] + kpiSegments["Inactive"]);

        // The gold tables hold what the grains hold: the day's summary, product performance, segments.
        await fixture.FlushLakeAsync();
        using var lake = new LakeQueryEngine(new LakeOptions { Root = fixture.LakeRoot }, PlatformTables.All);
        var goldDay = (await lake.ExecuteAsync(
            $"SELECT total_users, new_users, total_events, sessions, bounce_rate, orders, revenue FROM gold.daily_summary WHERE date = DATE '{today:yyyy-MM-dd}'",
            null, CancellationToken.None)).Rows.Single();
        Assert.Equal((day.TotalUsers, day.NewUsers, day.TotalEvents, day.Sessions, day.BounceRate, day.Orders, day.Revenue),
            (goldDay[0].GetInt64(), goldDay[1].GetInt64(), goldDay[2].GetInt64(), goldDay[3].GetInt64(), goldDay[4].ValueKind == System.Text.Json.JsonValueKind.Null ? (double?)null : goldDay[4].GetDouble(), goldDay[5].GetInt64(), goldDay[6].GetDecimal()));
        var goldProducts = (await lake.ExecuteAsync("SELECT product_id, orders, units_sold, revenue FROM gold.product_performance", null, CancellationToken.None))
            .Rows.ToDictionary(row => row[0].GetString()!, row => new ProductSales { Orders = row[1].GetInt64(), UnitsSold = row[2].GetInt64(), Revenue = row[3].GetDecimal() });
        Assert.Equal(expectedProducts.OrderBy(p => p.Key), goldProducts.Where(p => expectedProducts.ContainsKey(p.Key)).OrderBy(p => p.Key));
        foreach (var expected in expectedUsers.Take(50))
        {
            var row = (await lake.ExecuteAsync($"SELECT segment, engagement_score, total_revenue FROM gold.user_segments WHERE user_id = '{expected.User}'",
                null, CancellationToken.None)).Rows.Single();
            Assert.Equal((expected.Segment, expected.Engagement, expected.Revenue), (row[0].GetString()!, row[1].GetDouble(), row[2].GetDecimal()));
        }
        // Machine-learning features: live ones as of whatever instant the answer names, and each user's daily snapshots.
        foreach (var expected in expectedUsers.Take(50))
        {
            var live = await Eventually.HoldsAsync(() => fixture.Client.GetGrain<IUserGrain>(expected.User).GetFeaturesAsync(),
                f => f is not null && ReferenceAnalytics.Describe(f) == ReferenceAnalytics.Describe(reference.Features(expected.User, f.AsOf)),
                TimeSpan.FromSeconds(30), $"features of {expected.User}");
            Assert.True(live!.AsOf >= reference.Watermark, $"features as of {live.AsOf:O}, before the watermark");
            var snapshots = await FeatureSnapshotRows.ReadAsync(lake, $"user_id = '{expected.User}'");
            Assert.Equal(reference.FeatureSnapshotsOf(expected.User).Select(ReferenceAnalytics.Describe), snapshots.Select(ReferenceAnalytics.Describe).Order(StringComparer.Ordinal));
        }
        // The star schema: each key's changes were published in the order generated.
        await StarTables.AssertEqualAsync(lake, new StarReference(records.Select(record => record.Event).OfType<Contracts.Events.CdcChange>(), reference.SegmentOn, today));
        var closedInSilver = (await lake.ExecuteAsync(
            $"SELECT count(DISTINCT session_id) FROM silver.sessions WHERE event_date = DATE '{today:yyyy-MM-dd}'", null, CancellationToken.None)).Rows[0][0];
        Assert.True(closedInSilver.GetInt64() >= sessions.Count);

        // The work really was spread: user grains are active on both silos.
        var statistics = await fixture.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var silosWithUsers = statistics.Where(s => s.GrainType.Contains("UserGrain", StringComparison.Ordinal) && s.ActivationCount > 0)
            .Select(s => s.SiloAddress).Distinct().Count();
        Assert.Equal(2, silosWithUsers);
    }

    private static void AssertWindows(IReadOnlyList<ReferenceAnalytics.Cell> expected, IReadOnlyList<Contracts.Messages.EventMetric> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.Equal((want.Start, want.EventType, want.AppType), (got.WindowStart, got.EventType, got.AppType));
            Assert.Equal(want.Events, got.TotalEvents);
            Assert.Equal(want.Users, got.UniqueUsers);
            Assert.Equal(want.Min, got.ValueMin);
            Assert.Equal(want.Max, got.ValueMax);
            Assert.Equal(want.Sum, got.ValueSum, precision: 6);
        }
    }

    [Fact]
    public async Task Malformed_records_go_to_the_dead_letters_with_their_reason_and_publish_nothing()
    {
        var deadLetters = new CollectingDeadLetterSink();
        var ingestor = fixture.Ingestor(deadLetters);
        var now = DateTimeOffset.UtcNow.ToString("O");

        Assert.False(await ingestor.IngestAsync("topic_app_events", "dl-user-1", "{oops"u8.ToArray(), CancellationToken.None));
        Assert.False(await ingestor.IngestAsync("topic_app_events", "dl-user-2", System.Text.Encoding.UTF8.GetBytes(
            $$"""{"event_id":"dl-1","event_type":"click","app_type":"ios","timestamp":"{{now}}"}"""), CancellationToken.None));
        Assert.False(await ingestor.IngestAsync("topic_clickstream", "dl-user-3", System.Text.Encoding.UTF8.GetBytes(
            """{"event_id":"dl-2","user_id":"dl-user-3","session_id":"s","page_url":"/","action":"click","timestamp":"2001-01-01T00:00:00Z"}"""),
            CancellationToken.None));

        Assert.Equal(["not_json", "missing_field:user_id", "expired_timestamp"], deadLetters.Letters.Select(letter => letter.Reason));
        Assert.Equal(["dl-user-1", "dl-user-2", "dl-user-3"], deadLetters.Letters.Select(letter => System.Text.Encoding.UTF8.GetString(letter.Key!.Value.Span)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null(await fixture.Client.GetGrain<IUserGrain>("dl-user-3").GetProfileAsync());
    }

    [Fact]
    public async Task The_kpi_grain_pushes_snapshots_to_a_subscribed_observer()
    {
        var observer = new RecordingKpiObserver();
        var reference = fixture.Client.CreateObjectReference<IKpiObserver>(observer);
        try
        {
            await fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).SubscribeAsync(reference);

            var first = await observer.NextAsync(TimeSpan.FromSeconds(10));
            var second = await observer.NextAsync(TimeSpan.FromSeconds(10));

            Assert.True(second.At > first.At);
        }
        finally
        {
            await fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).UnsubscribeAsync(reference);
            fixture.Client.DeleteObjectReference<IKpiObserver>(reference);
        }
    }
}
