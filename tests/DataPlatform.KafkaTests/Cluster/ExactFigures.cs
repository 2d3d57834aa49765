using System.Globalization;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.GrainTests;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// Reads every figure of a <see cref="SeededRun"/> as a client would, through one silo's REST API (KPIs, minute
/// history, users, sessions, segments) and the lake's SQL (gold, silver, bronze), and lists each one that differs
/// from the LINQ reference of a run without failure.
/// </summary>
public sealed class ExactFigures(SiloApi api, int silo, SeededRun run)
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);
    private readonly ReferenceAnalytics _reference = run.Reference;
    private readonly DateOnly _today = DateOnly.FromDateTime(run.Reference.Watermark.UtcDateTime);

    /// <summary>Every figure that differs, live state first, then gold, silver and bronze.</summary>
    public async Task<Findings> CompareAsync()
    {
        var findings = new Findings();
        await KpisAsync(findings);
        await HistoryAsync(findings);
        await UsersAsync(findings);
        await SessionsAsync(findings);
        await SegmentsAsync(findings);
        await FunnelsAndCohortsAsync(findings);
        await GoldAsync(findings);
        await SilverAsync(findings);
        await BronzeAsync(findings);
        return findings;
    }

    /// <summary>How many records of the run Kafka holds per topic, malformed ones included.</summary>
    private IReadOnlyDictionary<string, long> RecordsPerTopic =>
        run.All.GroupBy(record => record.Topic).ToDictionary(topic => topic.Key, topic => (long)topic.Count(), StringComparer.Ordinal);

    private async Task KpisAsync(Findings findings)
    {
        var kpis = (await api.GetAsync<KpiSnapshot>(silo, "/kpis"))!;
        var ordersToday = _reference.Orders.Where(order => order.Counts && DateOf(order.OrderDate) == _today).ToList();
        var sessionsToday = ClosedSessions().Where(session => DateOf(session.Min(row => row.At)) == _today).ToList();
        var lastMinute = ReferenceAnalytics.Floor(_reference.Watermark, TimeSpan.FromMinutes(1)).AddMinutes(-1);
        var top = run.OnTime.Rows.Where(row => ReferenceAnalytics.Floor(row.At, TimeSpan.FromMinutes(1)) == lastMinute)
            .GroupBy(row => row.Type).Select(group => (Type: group.Key, Count: (long)group.Count()))
            .OrderByDescending(type => type.Count).ThenBy(type => type.Type, StringComparer.Ordinal).Take(10);
        const string Kpis = "kpis";
        findings.Equal($"{Kpis}.total_events", Kpis, (long)_reference.Rows.Count, kpis.TotalEvents);
        findings.Equal($"{Kpis}.late_events", Kpis, (long)run.AllLate.Count, kpis.LateEvents);
        findings.Equal($"{Kpis}.watermark", Kpis, (DateTimeOffset?)_reference.Watermark, kpis.Watermark);
        findings.Equal($"{Kpis}.active_users", Kpis, _reference.ActiveUsers(TimeSpan.FromMinutes(5)), kpis.ActiveUsers);
        findings.Equal($"{Kpis}.active_sessions", Kpis, _reference.ActiveSessions(SessionTimeout), kpis.ActiveSessions);
        findings.Equal($"{Kpis}.dead_letters", Kpis, (long)run.All.Count(record => record.IsMalformed), kpis.DeadLetters);
        findings.Equal($"{Kpis}.orders_today", Kpis, (long)ordersToday.Count, kpis.OrdersToday);
        findings.Equal($"{Kpis}.revenue_today", Kpis, ordersToday.Sum(order => order.Total), kpis.RevenueToday);
        findings.Equal($"{Kpis}.avg_order_value", Kpis, ordersToday.Count > 0 ? Math.Round(ordersToday.Sum(order => order.Total) / ordersToday.Count, 2) : (decimal?)null, kpis.AvgOrderValue);
        findings.Equal($"{Kpis}.bounce_rate", Kpis, BounceRate(sessionsToday), kpis.BounceRate);
        findings.Close($"{Kpis}.avg_session_duration_s", Kpis, AverageDuration(sessionsToday), kpis.AvgSessionDurationS);
        findings.Equal($"{Kpis}.top_event_types", Kpis, Text(top), Text(kpis.TopEventTypes.Select(type => (type.EventType, type.Count))));
        var segments = Evaluations().GroupBy(user => user.Segment).ToDictionary(group => group.Key, group => (long)group.Count(), StringComparer.Ordinal);
        foreach (var segment in SegmentNames.All)
        {
            findings.Equal($"{Kpis}.segments", segment, segments.GetValueOrDefault(segment), kpis.Segments.GetValueOrDefault(segment));
        }
        findings.Equal($"{Kpis}.consumer_lag", Kpis, 0L, kpis.ConsumerLag);
        findings.Equal($"{Kpis}.records_lost", Kpis, 0L, kpis.RecordsLost);
    }

    /// <summary>Per minute of event time up to the watermark's: the on-time events and their users (late events are not merged into closed minutes).</summary>
    private async Task HistoryAsync(Findings findings)
    {
        var expected = run.OnTime.Minutes();
        var first = expected.Keys.Min();
        var span = (int)(ReferenceAnalytics.Floor(_reference.Watermark, TimeSpan.FromMinutes(1)) - first).TotalMinutes + 1;
        var history = (await api.GetAsync<List<KpiMinute>>(silo, $"/kpis/history?minutes={span}"))!.ToDictionary(minute => minute.Minute);
        foreach (var minute in expected.Keys.Union(history.Keys).Where(minute => minute >= first))
        {
            var key = minute.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var want = expected.GetValueOrDefault(minute);
            var got = history.TryGetValue(minute, out var found) ? (found.Events, found.ActiveUsers) : (0, 0);
            findings.Equal("history.events", key, want.Events, got.Item1);
            findings.Equal("history.active_users", key, want.Users, got.Item2);
        }
    }

    private async Task UsersAsync(Findings findings)
    {
        var evaluations = Evaluations().ToDictionary(user => user.User, StringComparer.Ordinal);
        await ForEachAsync(_reference.Users, async user =>
        {
            var profile = await api.GetAsync<UserProfile>(silo, $"/users/{Uri.EscapeDataString(user.Key)}");
            if (profile is null)
            {
                findings.Add("users", user.Key, "missing (404)");
                return;
            }
            var evaluation = evaluations[user.Key];
            findings.Equal("users.total_events", user.Key, (long)user.Count(), profile.TotalEvents);
            findings.Equal("users.events_by_type", user.Key, Text(user.GroupBy(row => row.Type).Select(type => (type.Key, (long)type.Count())).OrderBy(pair => pair.Key, StringComparer.Ordinal)),
                Text(profile.EventsByType.Select(pair => (pair.Key, pair.Value)).OrderBy(pair => pair.Key, StringComparer.Ordinal)));
            findings.Equal("users.sessions", user.Key, user.Where(row => row.SessionId is not null).Select(row => row.SessionId).Distinct().Count(), profile.Sessions);
            findings.Equal("users.purchases", user.Key, (long)user.Count(row => row.Type == "purchase"), profile.Purchases);
            findings.Equal("users.total_revenue", user.Key, evaluation.Revenue, profile.TotalRevenue);
            findings.Equal("users.first_seen", user.Key, user.Min(row => row.At), profile.FirstSeen);
            findings.Equal("users.last_seen", user.Key, user.Max(row => row.At), profile.LastSeen);
            findings.Equal("users.app_types", user.Key, string.Join(",", user.Select(row => row.AppType).Distinct().Order(StringComparer.Ordinal)), string.Join(",", profile.AppTypes));
            findings.Equal("users.segment", user.Key, evaluation.Segment, profile.Segment);
            findings.Equal("users.churn_risk", user.Key, evaluation.ChurnRisk, profile.ChurnRisk);
            findings.Equal("users.engagement_score", user.Key, evaluation.Engagement, profile.EngagementScore);
            findings.Equal("users.recommended_action", user.Key, ReferenceAnalytics.RecommendedAction(evaluation.Segment, evaluation.ChurnRisk), profile.RecommendedAction);
        });
    }

    private async Task SessionsAsync(Findings findings) => await ForEachAsync(_reference.Sessions, async session =>
    {
        var snapshot = await api.GetAsync<SessionSnapshot>(silo, $"/sessions/{Uri.EscapeDataString(session.Key)}");
        if (snapshot is null)
        {
            findings.Add("sessions", session.Key, "missing (404)");
            return;
        }
        var expected = SessionFigures.Of(session, _reference.Watermark);
        findings.Equal("sessions.user_id", session.Key, expected.UserId, snapshot.UserId);
        findings.Equal("sessions.started_at", session.Key, expected.StartedAt, snapshot.StartedAt);
        findings.Equal("sessions.last_activity", session.Key, expected.LastActivity, snapshot.LastActivity);
        findings.Close("sessions.duration_s", session.Key, expected.DurationS, snapshot.DurationS);
        findings.Equal("sessions.events", session.Key, expected.Events, snapshot.Events);
        findings.Equal("sessions.page_views", session.Key, expected.PageViews, snapshot.PageViews);
        findings.Equal("sessions.clicks", session.Key, expected.Clicks, snapshot.Clicks);
        findings.Equal("sessions.is_bounce", session.Key, expected.IsBounce, snapshot.IsBounce);
        findings.Equal("sessions.converted", session.Key, expected.Converted, snapshot.Converted);
        findings.Equal("sessions.entry_page", session.Key, expected.EntryPage, snapshot.EntryPage);
        findings.Equal("sessions.exit_page", session.Key, expected.ExitPage, snapshot.ExitPage);
        findings.Equal("sessions.closed", session.Key, expected.Closed, snapshot.Closed);
    });

    private async Task SegmentsAsync(Findings findings)
    {
        var segments = (await api.GetAsync<List<SegmentSummary>>(silo, "/segments"))!.ToDictionary(segment => segment.Segment, StringComparer.Ordinal);
        var members = Evaluations().ToLookup(user => user.Segment, StringComparer.Ordinal);
        foreach (var segment in SegmentNames.All)
        {
            var users = members[segment].ToList();
            var summary = segments.GetValueOrDefault(segment);
            findings.Equal("segments.users", segment, (long)users.Count, summary?.Users ?? 0);
            findings.Equal("segments.total_revenue", segment, users.Sum(user => user.Revenue), summary?.TotalRevenue ?? 0);
            findings.Equal("segments.avg_engagement", segment, users.Count > 0 ? Math.Round(users.Average(user => user.Engagement), 1) : (double?)null, summary?.AvgEngagement);
        }
    }

    private async Task GoldAsync(Findings findings)
    {
        await DailySummaryAsync(findings);
        await DailySalesAsync(findings);
        await UserSegmentsAsync(findings);
        await LifetimeValueAsync(findings);
        await ProductPerformanceAsync(findings);
        await EventMetricsAsync(findings);
        await StarSchemaAsync(findings);
    }

    /// <summary>GET /funnels and GET /cohorts, and their gold tables (cohort cells a late event emptied are left out).</summary>
    private async Task FunnelsAndCohortsAsync(Findings findings)
    {
        var funnels = ClosedSessions()
            .GroupBy(session => (Date: DateOf(session.Min(row => row.At)), AppType: session.Select(row => row.AppType).Min(StringComparer.Ordinal)!))
            .OrderBy(group => group.Key.Date).ThenBy(group => group.Key.AppType, StringComparer.Ordinal)
            .Select(group => new FunnelDay(group.Key.Date, group.Key.AppType, group.Count(),
                group.Count(session => ReferenceAnalytics.FunnelStep(session) >= 1), group.Count(session => ReferenceAnalytics.FunnelStep(session) >= 2),
                group.Count(session => ReferenceAnalytics.FunnelStep(session) >= 3), group.Count(session => ReferenceAnalytics.FunnelStep(session) >= 4)))
            .ToList();
        var servedFunnels = (await api.GetAsync<List<FunnelDay>>(silo, "/funnels"))!;
        findings.Equal("funnels", "GET /funnels", string.Join("; ", funnels), string.Join("; ", servedFunnels));
        var goldFunnels = (await api.QueryAsync(silo,
                "SELECT date, app_type, sessions, viewed, added_to_cart, checked_out, purchased FROM gold.funnel_daily ORDER BY date, app_type"))
            .Select(row => new FunnelDay(DateOnly.Parse(row[0].GetString()!, CultureInfo.InvariantCulture), row[1].GetString()!, row[2].GetInt64(),
                row[3].GetInt64(), row[4].GetInt64(), row[5].GetInt64(), row[6].GetInt64()));
        findings.Equal("gold.funnel_daily", "rows", string.Join("; ", funnels), string.Join("; ", goldFunnels));

        var cohorts = _reference.Cohorts();
        var servedCohorts = (await api.GetAsync<List<CohortRetention>>(silo, "/cohorts"))!.Where(cell => cell.ActiveUsers != 0);
        findings.Equal("cohorts", "GET /cohorts", string.Join("; ", cohorts), string.Join("; ", servedCohorts));
        var goldCohorts = (await api.QueryAsync(silo,
                "SELECT cohort_week, week_number, cohort_users, active_users FROM gold.cohort_retention WHERE active_users > 0 ORDER BY cohort_week, week_number"))
            .Select(row => new CohortRetention(DateOnly.Parse(row[0].GetString()!, CultureInfo.InvariantCulture), row[1].GetInt32(), row[2].GetInt64(), row[3].GetInt64()));
        findings.Equal("gold.cohort_retention", "rows", string.Join("; ", cohorts), string.Join("; ", goldCohorts));
    }

    /// <summary>The star schema in gold against the reference over the changes as produced (each key's in its partition's order).</summary>
    private async Task StarSchemaAsync(Findings findings)
    {
        var star = new StarReference(run.All.Where(record => !record.IsMalformed).Select(record => record.Event).OfType<CdcChange>(), _reference.SegmentOn, _today);
        await CompareRowsAsync(findings, "gold.dim_customers", star.Customers.Select(version => version.ToString()),
            "SELECT customer_key, customer_id, version, city, state, postal_code, country, segment, epoch_ms(valid_from), epoch_ms(valid_to), is_current FROM gold.dim_customers",
            row => new StarReference.Version(row[0].GetString()!, row[1].GetString()!, row[2].GetInt32(), Text(row[3]), Text(row[4]), Text(row[5]), Text(row[6]),
                Text(row[7]), row[8].GetInt64(), row[9].ValueKind == JsonValueKind.Null ? null : row[9].GetInt64(), row[10].GetBoolean()).ToString());
        await CompareRowsAsync(findings, "gold.dim_products", star.Products.Select(product => product.ToString()),
            "SELECT product_id, name, category, subcategory, price, cost, sku, is_deleted, epoch_ms(updated_at) FROM gold.dim_products",
            row => new StarReference.Product(row[0].GetString()!, Text(row[1]), Text(row[2]), Text(row[3]), Decimal(row[4]), Decimal(row[5]), Text(row[6]),
                row[7].GetBoolean(), row[8].GetInt64()).ToString());
        await CompareRowsAsync(findings, "gold.fct_orders", star.Orders.Select(order => order.ToString()),
            "SELECT order_id, customer_id, epoch_ms(order_date), date_key, status, counts, total_amount, payment_method, lines, units, lines_revenue, lines_cost, profit, "
            + "epoch_ms(changed_at) FROM gold.fct_orders",
            row => new StarReference.OrderFact(row[0].GetString()!, row[1].GetString()!, row[2].GetInt64(), row[3].GetInt32(), row[4].GetString()!, row[5].GetBoolean(),
                row[6].GetDecimal(), Text(row[7]), row[8].GetInt32(), row[9].GetInt64(), row[10].GetDecimal(), Decimal(row[11]), Decimal(row[12]), row[13].GetInt64()).ToString());
        await CompareRowsAsync(findings, "gold.fct_order_items", star.Lines.Select(line => line.ToString()),
            "SELECT order_item_id, order_id, customer_id, product_id, epoch_ms(order_date), date_key, quantity, unit_price, discount, revenue, unit_cost, cost, profit "
            + "FROM gold.fct_order_items",
            row => new StarReference.LineFact(row[0].GetString()!, row[1].GetString()!, row[2].GetString()!, row[3].GetString()!, row[4].GetInt64(), row[5].GetInt32(),
                row[6].GetInt32(), row[7].GetDecimal(), row[8].GetDecimal(), row[9].GetDecimal(), Decimal(row[10]), Decimal(row[11]), Decimal(row[12])).ToString());
    }

    /// <summary>Each expected row that the table lacks or holds otherwise, and each row it holds that is not expected.</summary>
    private async Task CompareRowsAsync(Findings findings, string table, IEnumerable<string> expected, string sql, Func<JsonElement[], string> describe)
    {
        var want = expected.ToHashSet(StringComparer.Ordinal);
        var got = (await api.QueryAsync(silo, sql)).Select(describe).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in want.Except(got).Take(5))
        {
            findings.Add(table, missing, "missing or different");
        }
        foreach (var extra in got.Except(want).Take(5))
        {
            findings.Add(table, extra, "not expected");
        }
    }

    private async Task DailySummaryAsync(Findings findings)
    {
        const string Table = "gold.daily_summary";
        var rows = (await api.QueryAsync(silo,
                $"SELECT date, total_users, new_users, returning_users_pct, sessions, bounce_rate, avg_session_duration_s, total_events, orders, revenue, avg_order_value FROM {Table}"))
            .ToLookup(row => row[0].GetString()!, StringComparer.Ordinal);
        var days = _reference.Rows.Select(row => DateOf(row.At)).Distinct().Order().ToList();
        foreach (var extra in rows.Select(row => row.Key).Except(days.Select(Day), StringComparer.Ordinal))
        {
            findings.Add(Table, extra, "a row for a date without events");
        }
        var closed = ClosedSessions();
        foreach (var day in days)
        {
            var key = Day(day);
            if (Single(findings, Table, key, rows[key]) is not { } row)
            {
                continue;
            }
            var events = _reference.Rows.Where(item => DateOf(item.At) == day).ToList();
            var users = events.Select(item => item.UserId).Distinct().Count();
            var newUsers = _reference.Users.Count(user => DateOf(user.Min(item => item.At)) == day);
            var sessions = closed.Where(session => DateOf(session.Min(item => item.At)) == day).ToList();
            var orders = _reference.Orders.Where(order => order.Counts && DateOf(order.OrderDate) == day).ToList();
            findings.Equal($"{Table}.total_users", key, (long)users, row[1].GetInt64());
            findings.Equal($"{Table}.new_users", key, (long)newUsers, row[2].GetInt64());
            findings.Equal($"{Table}.returning_users_pct", key, users > 0 ? Math.Round(100.0 * (users - newUsers) / users, 1) : (double?)null, Double(row[3]));
            findings.Equal($"{Table}.sessions", key, (long)sessions.Count, row[4].GetInt64());
            findings.Equal($"{Table}.bounce_rate", key, BounceRate(sessions), Double(row[5]));
            findings.Close($"{Table}.avg_session_duration_s", key, AverageDuration(sessions), Double(row[6]));
            findings.Equal($"{Table}.total_events", key, (long)events.Count, row[7].GetInt64());
            findings.Equal($"{Table}.orders", key, (long)orders.Count, row[8].GetInt64());
            findings.Equal($"{Table}.revenue", key, orders.Sum(order => order.Total), row[9].GetDecimal());
            findings.Equal($"{Table}.avg_order_value", key, orders.Count > 0 ? Math.Round(orders.Sum(order => order.Total) / orders.Count, 2) : (decimal?)null, Decimal(row[10]));
        }
    }

    /// <summary>Every order date with orders that count; a date whose orders all stopped counting may keep a row, of zero orders.</summary>
    private async Task DailySalesAsync(Findings findings)
    {
        const string Table = "gold.daily_sales";
        var rows = (await api.QueryAsync(silo, $"SELECT date, orders, revenue, avg_order_value FROM {Table}")).ToLookup(row => row[0].GetString()!, StringComparer.Ordinal);
        var days = _reference.Orders.Where(order => order.Counts).GroupBy(order => Day(DateOf(order.OrderDate))).ToDictionary(day => day.Key, StringComparer.Ordinal);
        foreach (var key in days.Keys.Union(rows.Select(row => row.Key), StringComparer.Ordinal))
        {
            if (Single(findings, Table, key, rows[key]) is not { } row)
            {
                continue;
            }
            var orders = days.GetValueOrDefault(key)?.ToList() ?? [];
            findings.Equal($"{Table}.orders", key, (long)orders.Count, row[1].GetInt64());
            findings.Equal($"{Table}.revenue", key, orders.Sum(order => order.Total), row[2].GetDecimal());
            findings.Equal($"{Table}.avg_order_value", key, orders.Count > 0 ? Math.Round(orders.Sum(order => order.Total) / orders.Count, 2) : (decimal?)null, Decimal(row[3]));
        }
    }

    private async Task UserSegmentsAsync(Findings findings) => await PerUserAsync(findings, "gold.user_segments", "user_id",
        "segment, churn_risk, engagement_score, recommended_action, total_events, sessions, purchases, total_revenue, epoch_ms(first_seen), epoch_ms(last_seen)",
        (figure, user, events, row) =>
        {
            findings.Equal(figure("segment"), user.User, user.Segment, row[1].GetString());
            findings.Equal(figure("churn_risk"), user.User, user.ChurnRisk, row[2].GetString());
            findings.Equal(figure("engagement_score"), user.User, user.Engagement, row[3].GetDouble());
            findings.Equal(figure("recommended_action"), user.User, ReferenceAnalytics.RecommendedAction(user.Segment, user.ChurnRisk), row[4].GetString());
            findings.Equal(figure("total_events"), user.User, (long)events.Count, row[5].GetInt64());
            findings.Equal(figure("sessions"), user.User, (long)events.Where(item => item.SessionId is not null).Select(item => item.SessionId).Distinct().Count(), row[6].GetInt64());
            findings.Equal(figure("purchases"), user.User, (long)events.Count(item => item.Type == "purchase"), row[7].GetInt64());
            findings.Equal(figure("total_revenue"), user.User, user.Revenue, row[8].GetDecimal());
            findings.Equal(figure("first_seen"), user.User, events.Min(item => item.At), Time(row[9]));
            findings.Equal(figure("last_seen"), user.User, events.Max(item => item.At), Time(row[10]));
        });

    private async Task LifetimeValueAsync(Findings findings) => await PerUserAsync(findings, "gold.customer_lifetime_value", "customer_id",
        "total_revenue, purchases, avg_purchase_value, epoch_ms(first_seen), epoch_ms(last_seen), lifetime_days, segment",
        (figure, user, events, row) =>
        {
            var purchases = events.Count(item => item.Type == "purchase");
            var first = events.Min(item => item.At);
            var last = events.Max(item => item.At);
            findings.Equal(figure("total_revenue"), user.User, user.Revenue, row[1].GetDecimal());
            findings.Equal(figure("purchases"), user.User, (long)purchases, row[2].GetInt64());
            findings.Equal(figure("avg_purchase_value"), user.User, purchases > 0 ? Math.Round(user.Revenue / purchases, 2) : (decimal?)null, Decimal(row[3]));
            findings.Equal(figure("first_seen"), user.User, first, Time(row[4]));
            findings.Equal(figure("last_seen"), user.User, last, Time(row[5]));
            findings.Equal(figure("lifetime_days"), user.User, Math.Round((last - first).TotalDays, 3), row[6].GetDouble());
            findings.Equal(figure("segment"), user.User, user.Segment, row[7].GetString());
        });

    /// <summary>
    /// A gold table of one row per user with events: a row of another user, a missing row and a doubled one are
    /// findings; <paramref name="check"/> compares each user's row (its key first, then <paramref name="columns"/>).
    /// </summary>
    private async Task PerUserAsync(
        Findings findings, string table, string key, string columns, Action<Func<string, string>, Evaluated, List<ReferenceAnalytics.Row>, JsonElement[]> check)
    {
        var rows = (await api.QueryAsync(silo, $"SELECT {key}, {columns} FROM {table}")).ToLookup(row => row[0].GetString()!, StringComparer.Ordinal);
        foreach (var extra in rows.Select(row => row.Key).Except(_reference.Users.Select(user => user.Key), StringComparer.Ordinal))
        {
            findings.Add(table, extra, "a row for a user without events");
        }
        foreach (var user in Evaluations())
        {
            if (Single(findings, table, user.User, rows[user.User]) is { } row)
            {
                check(column => $"{table}.{column}", user, [.. _reference.RowsOf(user.User)], row);
            }
        }
    }

    /// <summary>Every product with sales; a product whose orders all stopped counting may keep a row, of zero sales.</summary>
    private async Task ProductPerformanceAsync(Findings findings)
    {
        const string Table = "gold.product_performance";
        var rows = (await api.QueryAsync(silo, $"SELECT product_id, orders, units_sold, revenue FROM {Table}")).ToLookup(row => row[0].GetString()!, StringComparer.Ordinal);
        var products = _reference.Products();
        foreach (var product in products.Keys.Union(rows.Select(row => row.Key), StringComparer.Ordinal))
        {
            if (Single(findings, Table, product, rows[product]) is not { } row)
            {
                continue;
            }
            var sales = products.GetValueOrDefault(product) ?? new ProductSales();
            findings.Equal($"{Table}.orders", product, sales.Orders, row[1].GetInt64());
            findings.Equal($"{Table}.units_sold", product, sales.UnitsSold, row[2].GetInt64());
            findings.Equal($"{Table}.revenue", product, sales.Revenue, row[3].GetDecimal());
        }
    }

    /// <summary>The closed hours (the watermark past their end) of the on-time events: late events are not merged into closed windows.</summary>
    private async Task EventMetricsAsync(Findings findings)
    {
        const string Table = "gold.event_metrics";
        var rows = (await api.QueryAsync(silo,
                $"SELECT metric_date, metric_hour, event_type, app_type, total_events, unique_users, value_min, value_max, value_avg, value_sum FROM {Table}"))
            .ToLookup(row => $"{row[0].GetString()} {row[1].GetInt32():00} {row[2].GetString()} {row[3].GetString()}", StringComparer.Ordinal);
        var cells = run.OnTime.Windows(TimeSpan.FromHours(1)).Where(cell => cell.Start.AddHours(1) <= _reference.Watermark)
            .ToDictionary(cell => $"{cell.Start.UtcDateTime:yyyy-MM-dd HH} {cell.EventType} {cell.AppType}", StringComparer.Ordinal);
        Assert.NotEmpty(cells);
        foreach (var key in cells.Keys.Union(rows.Select(row => row.Key), StringComparer.Ordinal))
        {
            if (!cells.TryGetValue(key, out var cell))
            {
                findings.Add(Table, key, "a row for an hour that is not closed or has no events");
                continue;
            }
            if (Single(findings, Table, key, rows[key]) is not { } row)
            {
                continue;
            }
            findings.Equal($"{Table}.total_events", key, cell.Events, row[4].GetInt64());
            findings.Equal($"{Table}.unique_users", key, cell.Users, row[5].GetInt64());
            findings.Equal($"{Table}.value_min", key, cell.Min, Double(row[6]));
            findings.Equal($"{Table}.value_max", key, cell.Max, Double(row[7]));
            findings.Close($"{Table}.value_avg", key, cell.Valued > 0 ? cell.Sum / cell.Valued : null, Double(row[8]));
            findings.Close($"{Table}.value_sum", key, cell.Sum, Double(row[9]));
        }
    }

    private async Task SilverAsync(Findings findings)
    {
        foreach (var (table, events) in new[] { ("silver.app_events", typeof(AppEvent)), ("silver.clickstream", typeof(ClickstreamEvent)) })
        {
            // Each valid event once per event_id, however often Kafka holds it.
            var expected = run.All.Where(record => record.Event?.GetType() == events).Select(record => EventIdOf(record.Event!)).Distinct(StringComparer.Ordinal)
                .ToDictionary(id => id, _ => 1L, StringComparer.Ordinal);
            findings.Counts(table, expected, await CountsAsync($"SELECT event_id, count(*) FROM {table} GROUP BY ALL"));
        }
        // Each profile record once: silver.users keeps every update Kafka holds, a record sent twice included.
        var profiles = run.All.Select(record => record.Event).OfType<UserProfileEvent>()
            .GroupBy(profile => $"{profile.UserId} {profile.Timestamp.ToUnixTimeMilliseconds()}", StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (long)group.Count(), StringComparer.Ordinal);
        findings.Counts("silver.users", profiles, await CountsAsync("SELECT user_id || ' ' || epoch_ms(updated_at), count(*) FROM silver.users GROUP BY ALL"));
        foreach (var (table, changes) in AppliedChanges())
        {
            var key = RecordKeys.PrimaryKeyColumnOf(table);
            findings.Counts($"silver.{table}", changes, await CountsAsync($"SELECT {key} || ' ' || ts_ms || ' ' || op, count(*) FROM silver.{table} GROUP BY ALL"));
        }
        await SilverSessionsAsync(findings);
    }

    /// <summary>Every session closed once, with its final figures (a late event never moved a session's last activity, the row's key).</summary>
    private async Task SilverSessionsAsync(Findings findings)
    {
        const string Table = "silver.sessions";
        var rows = (await api.QueryAsync(silo,
                $"SELECT session_id, user_id, epoch_ms(started_at), epoch_ms(last_activity), duration_s, events, page_views, clicks, is_bounce, converted, entry_page, exit_page FROM {Table}"))
            .ToLookup(row => row[0].GetString()!, StringComparer.Ordinal);
        var closed = ClosedSessions().ToDictionary(session => session.Key, StringComparer.Ordinal);
        foreach (var extra in rows.Select(row => row.Key).Except(closed.Keys, StringComparer.Ordinal))
        {
            findings.Add(Table, extra, "a row for a session that is not closed");
        }
        foreach (var (id, session) in closed)
        {
            if (Single(findings, Table, id, rows[id]) is not { } row)
            {
                continue;
            }
            var expected = SessionFigures.Of(session, _reference.Watermark);
            findings.Equal($"{Table}.user_id", id, expected.UserId, row[1].GetString()!);
            findings.Equal($"{Table}.started_at", id, expected.StartedAt, Time(row[2]));
            findings.Equal($"{Table}.last_activity", id, expected.LastActivity, Time(row[3]));
            findings.Close($"{Table}.duration_s", id, expected.DurationS, Double(row[4]));
            findings.Equal($"{Table}.events", id, (long)expected.Events, row[5].GetInt64());
            findings.Equal($"{Table}.page_views", id, (long)expected.PageViews, row[6].GetInt64());
            findings.Equal($"{Table}.clicks", id, (long)expected.Clicks, row[7].GetInt64());
            findings.Equal($"{Table}.is_bounce", id, expected.IsBounce, row[8].GetBoolean());
            findings.Equal($"{Table}.converted", id, expected.Converted, row[9].GetBoolean());
            findings.Equal($"{Table}.entry_page", id, expected.EntryPage, row[10].GetString());
            findings.Equal($"{Table}.exit_page", id, expected.ExitPage, row[11].GetString());
        }
    }

    /// <summary>Bronze holds each record Kafka holds once, by its position; the malformed ones are dead letters with their reasons, once each.</summary>
    private async Task BronzeAsync(Findings findings)
    {
        foreach (var (topic, records) in RecordsPerTopic)
        {
            var table = $"bronze.{topic["topic_".Length..]}";
            var row = (await api.QueryAsync(silo, $"SELECT count(*), count(DISTINCT (kafka_partition, kafka_offset)) FROM {table}"))[0];
            findings.Equal($"{table}.rows", table, records, row[0].GetInt64());
            findings.Equal($"{table}.positions", table, records, row[1].GetInt64());
        }
        var reasons = run.All.Where(record => record.IsMalformed).GroupBy(record => $"{record.Topic} {record.ExpectedReason}", StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (long)group.Count(), StringComparer.Ordinal);
        findings.Counts("bronze.dead_letter", reasons, await CountsAsync("SELECT topic || ' ' || reason, count(*) FROM bronze.dead_letter GROUP BY ALL"));
        var twice = await api.QueryAsync(silo,
            "SELECT topic || '-' || kafka_partition || '@' || kafka_offset, count(*) FROM bronze.dead_letter WHERE kafka_offset IS NOT NULL GROUP BY ALL HAVING count(*) > 1 ORDER BY 1 LIMIT 20");
        foreach (var position in twice)
        {
            findings.Add("bronze.dead_letter.positions", position[0].GetString()!, $"{position[1].GetInt64()} rows for one Kafka position");
        }
    }

    /// <summary>
    /// The changes each silver CDC table holds after a run without failure: per row, in the order Kafka holds them,
    /// every change not older (by ts_ms) than the row's latest, keyed by "id ts_ms op".
    /// </summary>
    private Dictionary<string, Dictionary<string, long>> AppliedChanges()
    {
        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        var applied = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var change in run.All.Select(record => record.Event).OfType<CdcChange>())
        {
            var table = change.Source.Table;
            if (table == "payments")
            {
                continue; // no silver table
            }
            var row = RecordKeys.StreamKeyOf(change);
            if (latest.TryGetValue(row, out var last) && change.TsMs < last)
            {
                continue;
            }
            latest[row] = change.TsMs;
            var changes = applied.TryGetValue(table, out var known) ? known : applied[table] = new(StringComparer.Ordinal);
            var key = $"{RecordKeys.KeyOf(change)} {change.TsMs} {change.Op}";
            changes[key] = changes.GetValueOrDefault(key) + 1;
        }
        return applied;
    }

    private async Task<Dictionary<string, long>> CountsAsync(string sql) =>
        (await api.QueryAsync(silo, sql)).ToDictionary(row => row[0].GetString()!, row => row[1].GetInt64(), StringComparer.Ordinal);

    private List<IGrouping<string, ReferenceAnalytics.Row>> ClosedSessions() =>
        [.. _reference.Sessions.Where(session => _reference.Watermark - session.Max(row => row.At) > SessionTimeout)];

    private List<Evaluated> Evaluations() =>
        _evaluations ??= [.. _reference.Users.Select(user =>
        {
            var (segment, churn, engagement) = _reference.Evaluation(user.Key, _today);
            return new Evaluated(user.Key, segment, churn, engagement, _reference.RevenueOf(user.Key));
        })];

    private List<Evaluated>? _evaluations;

    private static double? BounceRate(List<IGrouping<string, ReferenceAnalytics.Row>> sessions) =>
        sessions.Count > 0 ? (double)sessions.Count(session => SessionFigures.Bounced(session)) / sessions.Count : null;

    private static double? AverageDuration(List<IGrouping<string, ReferenceAnalytics.Row>> sessions) =>
        sessions.Count > 0 ? sessions.Average(session => (session.Max(row => row.At) - session.Min(row => row.At)).TotalSeconds) : null;

    /// <summary>The one row of a key; none or several are findings.</summary>
    private static JsonElement[]? Single(Findings findings, string table, string key, IEnumerable<JsonElement[]> rows)
    {
        var found = rows.ToList();
        if (found.Count != 1)
        {
            findings.Add(table, key, found.Count == 0 ? "row missing" : $"{found.Count} rows for one key");
        }
        return found.Count > 0 ? found[0] : null;
    }

    private static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> check) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, _) => await check(item));

    /// <summary>Pairs as "key=value, ..." in their order, to compare as one figure.</summary>
    private static string Text(IEnumerable<(string Key, long Value)> pairs) => string.Join(", ", pairs.Select(pair => $"{pair.Key}={pair.Value}"));

    private static string EventIdOf(object record) => record switch
    {
        AppEvent e => e.EventId,
        ClickstreamEvent c => c.EventId,
        _ => throw new ArgumentException("not a user event", nameof(record)),
    };

    private static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(JsonElement epochMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds.GetInt64());

    private static double? Double(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();

    private static decimal? Decimal(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDecimal();

    /// <summary>A user's segment, churn risk, engagement and revenue as the reference has them at the end of the run.</summary>
    private sealed record Evaluated(string User, string Segment, string ChurnRisk, double Engagement, decimal Revenue);
}
