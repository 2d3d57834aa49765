using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;

namespace DataPlatform.GrainTests;

/// <summary>
/// The analytics acceptance run: 200,000 user events over several simulated days, with duplicates,
/// out-of-order and late events, through the edge into two silos. Every figure must equal the plain
/// LINQ reference.
/// </summary>
[Collection(AcceptanceClusterDefinition.Name)]
public sealed class MultiDayAcceptanceTests(AcceptanceCluster fixture)
{
    [Fact]
    public async Task Two_hundred_thousand_events_over_several_days_give_exactly_the_reference_figures()
    {
        // Four days ago, just after midnight UTC: the run covers about three and a half days.
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-4).AddMinutes(30), TimeSpan.Zero);
        var options = new SimulatorOptions { Seed = 404, Users = 2_000, Rate = 0.7, ConcurrentSessions = 25, DuplicateFraction = 0.01 };
        var generator = new EventGenerator(options, start);
        var records = new List<SimulatedRecord>();
        for (var userEvents = 0; userEvents < 200_000;)
        {
            var record = generator.Next();
            records.Add(record);
            if (record.Event is Contracts.Events.AppEvent or Contracts.Events.ClickstreamEvent)
            {
                userEvents++;
            }
        }

        // Late: 300 user events of the first 20 hours held back until everything else is in (days late).
        var random = new Random(7);
        var late = records.Where(r => r.Event is Contracts.Events.AppEvent or Contracts.Events.ClickstreamEvent)
            .Where(r => TimeOf(r) < start.AddHours(20)).OrderBy(_ => random.Next()).Take(300).ToHashSet();
        var onTime = records.Where(r => !late.Contains(r)).ToList();
        // Out of order: neighbours swapped (a few seconds of event time apart), and 1% sent again much later.
        for (var i = 0; i + 1 < onTime.Count; i += 7)
        {
            (onTime[i], onTime[i + 1]) = (onTime[i + 1], onTime[i]);
        }
        var redelivered = onTime.Where((_, index) => index % 100 == 3).ToList();

        var ingestor = fixture.Ingestor();

        // In slices of 5 minutes of event time, oldest first, the users of a slice in parallel.
        foreach (var slice in onTime.GroupBy(r => TimeOf(r).UtcTicks / TimeSpan.FromMinutes(5).Ticks).OrderBy(g => g.Key))
        {
            await IngestAsync(ingestor, slice);
        }
        await IngestAsync(ingestor, redelivered);
        var reference = new ReferenceAnalytics(records);
        var onTimeAnalytics = new ReferenceAnalytics(onTime);
        var kpiGrain = fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope);
        var onTimeEvents = onTimeAnalytics.Rows.Count;
        await Eventually.HoldsAsync(kpiGrain.GetSnapshotAsync, s => s.TotalEvents >= onTimeEvents, TimeSpan.FromMinutes(3), "on-time events");
        var hourly = await kpiGrain.GetHourlyMetricsAsync();
        await IngestAsync(ingestor, late);

        var kpis = await Eventually.HoldsAsync(kpiGrain.GetSnapshotAsync, s => s.TotalEvents >= reference.Rows.Count, TimeSpan.FromMinutes(1), "all events");
        Assert.Equal(reference.Rows.Count, kpis.TotalEvents);
        Assert.Equal(late.Count, kpis.LateEvents);
        Assert.Equal(reference.Watermark, kpis.Watermark);

        // Live KPIs at the final watermark.
        Assert.Equal(reference.ActiveUsers(TimeSpan.FromMinutes(5)), kpis.ActiveUsers);
        Assert.Equal(reference.ActiveSessions(TimeSpan.FromMinutes(30)), kpis.ActiveSessions);
        var lastMinute = ReferenceAnalytics.Floor(reference.Watermark, TimeSpan.FromMinutes(1)).AddMinutes(-1);
        var expectedTop = onTimeAnalytics.Rows.Where(row => ReferenceAnalytics.Floor(row.At, TimeSpan.FromMinutes(1)) == lastMinute)
            .GroupBy(row => row.Type).Select(g => (g.Key, (long)g.Count()))
            .OrderByDescending(p => p.Item2).ThenBy(p => p.Key, StringComparer.Ordinal).Take(10).ToList();
        Assert.Equal(expectedTop, kpis.TopEventTypes.Select(t => (t.EventType, t.Count)));
        var minutes = onTimeAnalytics.Minutes();
        var history = await kpiGrain.GetHistoryAsync(120);
        Assert.All(history, minute =>
        {
            var (events, users) = minutes.GetValueOrDefault(minute.Minute);
            Assert.Equal((events, users), (minute.Events, minute.ActiveUsers));
        });
        var today0 = DateOnly.FromDateTime(reference.Watermark.UtcDateTime);
        var ordersOfToday = reference.Orders.Where(o => o.Counts && DateOnly.FromDateTime(o.OrderDate.UtcDateTime) == today0).ToList();
        Assert.Equal((ordersOfToday.Count, ordersOfToday.Sum(o => o.Total)), (kpis.OrdersToday, kpis.RevenueToday));
        foreach (var session in reference.Sessions.Where((_, index) => index % 97 == 0))
        {
            // Closing follows the watermark within a sweep or two.
            var shouldBeClosed = reference.Watermark - session.Max(row => row.At) > TimeSpan.FromMinutes(30);
            var snapshot = (await Eventually.HoldsAsync(() => fixture.Client.GetGrain<ISessionGrain>(session.Key).GetSnapshotAsync(),
                s => s!.Closed == shouldBeClosed, TimeSpan.FromSeconds(30), $"session {session.Key} closed: {shouldBeClosed}"))!;
            var views = session.Where(ReferenceAnalytics.IsPageView).OrderBy(row => row.At).ToList();
            Assert.Equal((session.Count(), views.Count, session.Any(row => row.Type == "purchase")), (snapshot.Events, snapshot.PageViews, snapshot.Converted));
            Assert.Equal((session.Max(row => row.At) - session.Min(row => row.At)).TotalSeconds, snapshot.DurationS);
        }

        // Hourly windows: exactly those of the on-time events (late ones are not merged into closed windows).
        Assert.Equal(onTimeAnalytics.Windows(TimeSpan.FromHours(1)).Count, hourly.Count);
        AssertHourly(onTimeAnalytics.Windows(TimeSpan.FromHours(1)), await kpiGrain.GetHourlyMetricsAsync());

        // Daily summaries: users, new users, events (late included), closed sessions, orders.
        var timeout = TimeSpan.FromMinutes(30);
        var closedSessions = reference.Sessions.Where(s => reference.Watermark - s.Max(row => row.At) > timeout).ToList();
        foreach (var day in reference.Rows.Select(row => DateOnly.FromDateTime(row.At.UtcDateTime)).Distinct())
        {
            var rowsOfDay = reference.Rows.Where(row => DateOnly.FromDateTime(row.At.UtcDateTime) == day).ToList();
            var newUsers = reference.Users.Count(user => DateOnly.FromDateTime(user.Min(row => row.At).UtcDateTime) == day);
            var sessionsOfDay = closedSessions.Where(s => DateOnly.FromDateTime(s.Min(row => row.At).UtcDateTime) == day).ToList();
            var orders = reference.Orders.Where(o => o.Counts && DateOnly.FromDateTime(o.OrderDate.UtcDateTime) == day).ToList();
            var summary = await Eventually.HoldsAsync(() => kpiGrain.GetDailySummaryAsync(day),
                s => s.Sessions == sessionsOfDay.Count, TimeSpan.FromSeconds(60), $"closed sessions of {day}");
            Assert.Equal(rowsOfDay.Count, summary.TotalEvents);
            Assert.Equal(rowsOfDay.Select(row => row.UserId).Distinct().Count(), summary.TotalUsers);
            Assert.Equal(newUsers, summary.NewUsers);
            Assert.Equal(sessionsOfDay.Count(s => s.Count(ReferenceAnalytics.IsPageView) == 1 && s.Count() == 1), Math.Round(summary.BounceRate!.Value * summary.Sessions));
            Assert.Equal(sessionsOfDay.Average(s => (s.Max(row => row.At) - s.Min(row => row.At)).TotalSeconds), summary.AvgSessionDurationS!.Value, precision: 6);
            Assert.Equal((orders.Count, orders.Sum(o => o.Total)), (summary.Orders, summary.Revenue));
        }

        // Purchase funnel per start date and app type of the closed sessions.
        List<FunnelDay> expectedFunnels = [.. closedSessions
            .GroupBy(s => (Date: DateOnly.FromDateTime(s.Min(row => row.At).UtcDateTime), AppType: s.Select(row => row.AppType).Min(StringComparer.Ordinal)!))
            .OrderBy(group => group.Key.Date).ThenBy(group => group.Key.AppType, StringComparer.Ordinal)
            .Select(group => new FunnelDay(group.Key.Date, group.Key.AppType, group.Count(),
                group.Count(s => ReferenceAnalytics.FunnelStep(s) >= 1), group.Count(s => ReferenceAnalytics.FunnelStep(s) >= 2),
                group.Count(s => ReferenceAnalytics.FunnelStep(s) >= 3), group.Count(s => ReferenceAnalytics.FunnelStep(s) >= 4)))];
        Assert.Contains(expectedFunnels, funnel => funnel.Purchased > 0);
        var funnels = await Eventually.HoldsAsync(kpiGrain.GetFunnelsAsync, actual => actual.SequenceEqual(expectedFunnels), TimeSpan.FromSeconds(30), "the purchase funnels");
        Assert.Equal(expectedFunnels, funnels);

        // Weekly cohort retention (cells a late event emptied are left out).
        var expectedCohorts = reference.Cohorts();
        var cohorts = await Eventually.HoldsAsync(kpiGrain.GetCohortsAsync,
            actual => actual.Where(cell => cell.ActiveUsers != 0).SequenceEqual(expectedCohorts), TimeSpan.FromSeconds(30), "the cohorts");
        Assert.Equal(expectedCohorts, cohorts.Where(cell => cell.ActiveUsers != 0));

        // Every user: counts, revenue and segment as of the final watermark.
        var today = DateOnly.FromDateTime(reference.Watermark.UtcDateTime);
        var segments = new Dictionary<string, int>();
        foreach (var user in reference.Users)
        {
            var profile = (await fixture.Client.GetGrain<IUserGrain>(user.Key).GetProfileAsync())!;
            var revenue = reference.RevenueOf(user.Key);
            Assert.Equal(user.Count(), profile.TotalEvents);
            Assert.Equal(revenue, profile.TotalRevenue);
            var expected = reference.Evaluation(user.Key, today);
            var reviewed = await Eventually.HoldsAsync(() => fixture.Client.GetGrain<IUserGrain>(user.Key).GetProfileAsync(),
                p => (p!.Segment, p.ChurnRisk, p.EngagementScore) == expected, TimeSpan.FromSeconds(30), $"segment of {user.Key}");
            Assert.Equal(expected, (reviewed!.Segment, reviewed.ChurnRisk, reviewed.EngagementScore));
            segments[expected.Segment] = segments.GetValueOrDefault(expected.Segment) + 1;
        }
        Assert.True(segments.Count >= 2, $"the run should reach several segments: {string.Join(", ", segments)}");
        foreach (var (segment, users) in segments)
        {
            await Eventually.HoldsAsync(() => fixture.Client.GetGrain<ISegmentGrain>(segment).GetSummaryAsync(),
                s => s.Users == users, TimeSpan.FromSeconds(30), $"members of {segment}");
        }

        // Features for machine learning: live ones as of the answer's as_of (the final watermark) for a sample of users...
        foreach (var user in reference.Users.Where((_, index) => index % 20 == 0))
        {
            var live = (await Eventually.HoldsAsync(() => fixture.Client.GetGrain<IUserGrain>(user.Key).GetFeaturesAsync(),
                f => f!.AsOf == reference.Watermark, TimeSpan.FromSeconds(30), $"features of {user.Key} as of the watermark"))!;
            Assert.Equal(ReferenceAnalytics.Describe(reference.Features(user.Key, live.AsOf)), ReferenceAnalytics.Describe(live));
        }
        // ...and every daily snapshot in gold.user_features, late events included, each as of the end of its date.
        await fixture.FlushLakeAsync();
        using var lake = new LakeQueryEngine(new LakeOptions { Root = fixture.LakeRoot }, PlatformTables.All);
        var snapshots = reference.FeatureSnapshots();
        Assert.Contains(snapshots, snapshot => snapshot.Purchases30d > 0 && snapshot.Events1h > 0);
        Assert.Equal(snapshots.Count, (await lake.ExecuteAsync("SELECT count(*) FROM gold.user_features", null, CancellationToken.None)).Rows[0][0].GetInt64());
        foreach (var date in snapshots.GroupBy(snapshot => DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime)))
        {
            var rows = await FeatureSnapshotRows.ReadAsync(lake, $"date = DATE '{date.Key:yyyy-MM-dd}'");
            Assert.Equal(date.Select(ReferenceAnalytics.Describe).Order(StringComparer.Ordinal), rows.Select(ReferenceAnalytics.Describe).Order(StringComparer.Ordinal));
        }

        // The star schema in gold, from the changes in the order each row's grain got them.
        var sent = onTime.OrderBy(record => TimeOf(record).UtcTicks / TimeSpan.FromMinutes(5).Ticks).Concat(redelivered).Concat(late)
            .Select(record => record.Event).OfType<Contracts.Events.CdcChange>();
        var star = new StarReference(sent, reference.SegmentOn, today);
        Assert.Contains(star.Customers, version => version.Number > 2);
        Assert.Contains(star.Customers, version => version.ValidToMs is not null && !star.Customers.Any(next => next.CustomerId == version.CustomerId && next.ValidFromMs == version.ValidToMs));
        Assert.Contains(star.Lines, line => line.UnitCost is not null && line.UnitCost != star.Products.Single(product => product.ProductId == line.ProductId).Cost);
        await StarTables.AssertEqualAsync(lake, star);
    }

    private static void AssertHourly(IReadOnlyList<ReferenceAnalytics.Cell> expected, IReadOnlyList<Contracts.Messages.EventMetric> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.Equal((want.Start, want.EventType, want.AppType, want.Events, want.Users), (got.WindowStart, got.EventType, got.AppType, got.TotalEvents, got.UniqueUsers));
            Assert.Equal((want.Min, want.Max), (got.ValueMin, got.ValueMax));
            Assert.Equal(want.Sum, got.ValueSum, precision: 6);
        }
    }

    private static DateTimeOffset TimeOf(SimulatedRecord record) => record.Event switch
    {
        Contracts.Events.AppEvent e => e.Timestamp,
        Contracts.Events.ClickstreamEvent c => c.Timestamp,
        Contracts.Events.UserProfileEvent p => p.Timestamp,
        Contracts.Events.ExternalEvent x => x.Timestamp,
        Contracts.Events.CdcChange c => DateTimeOffset.FromUnixTimeMilliseconds(c.TsMs),
        _ => throw new InvalidOperationException("unexpected record"),
    };

    private static async Task IngestAsync(StreamIngestor ingestor, IEnumerable<SimulatedRecord> records) =>
        await Task.WhenAll(records.GroupBy(record => record.Key).Select(async user =>
        {
            foreach (var record in user)
            {
                await ingestor.IngestAsync(record.Topic, record.Key, record.Payload, CancellationToken.None);
            }
        }));
}
