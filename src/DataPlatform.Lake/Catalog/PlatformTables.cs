using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Catalog;

/// <summary>
/// Every table of DataPlatform's lake (ARCHITECTURE.md §6): bronze keeps each Kafka record as received,
/// silver holds typed, validated, de-duplicated rows, gold the business figures of the grains.
/// </summary>
public static class PlatformTables
{
    public const string DataEngineering = "data-engineering";
    public const string Analytics = "analytics";

    /// <summary>Where rows go that their table cannot take.</summary>
    public const string Quarantine = "bronze.quarantine";
    public const string AuditLog = "gold.audit_log";

    /// <summary>The erasure register: which users were erased (by a hash of their id), when and what was removed.</summary>
    public const string Erasures = "gold.erasures";
    public const string Security = "security";

    private static readonly string[] Topics = ["app_events", "clickstream", "cdc_changes", "users", "external"];

    public static IReadOnlyList<TableDefinition> All { get; } = Build();

    /// <summary>The definition of a qualified table name, or null.</summary>
    public static TableDefinition? Find(string name) => All.FirstOrDefault(table => table.Name == name);

    /// <summary>The definition of one of the platform's own tables, named in code (throws for any other name).</summary>
    public static TableDefinition Get(string name) => Find(name) ?? throw new ArgumentException($"{name} is not a lake table.", nameof(name));

    /// <summary>The bronze table of a Kafka topic (<c>topic_app_events</c> → <c>bronze.app_events</c>).</summary>
    public static string BronzeTableOf(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return "bronze." + (topic.StartsWith("topic_", StringComparison.Ordinal) ? topic["topic_".Length..] : topic);
    }

    private static List<TableDefinition> Build()
    {
        var tables = new List<TableDefinition>();
        tables.AddRange(Topics.Select(topic => new TableDefinition
        {
            Name = $"bronze.{topic}",
            Description = $"Every record of Kafka topic topic_{topic} exactly as received, valid or not.",
            Owner = DataEngineering,
            PartitionColumn = "event_date",
            KeyColumns = ["kafka_partition", "kafka_offset"],
            Upstream = [$"kafka:topic_{topic}"],
            RetentionDays = 30,
            Columns =
            [
                .. RawRecord(),
                Text("source_system", "Where the record came from: kafka, or in_process for the embedded simulator.", nullable: false),
                Day("event_date", "UTC date the record was loaded (partition)."),
            ],
        }));
        tables.Add(new TableDefinition
        {
            Name = "bronze.dead_letter",
            Description = "Records rejected at the edge, with the reason code; nothing rejected is lost.",
            Owner = DataEngineering,
            PartitionColumn = "event_date",
            Upstream = Topics.Select(topic => $"kafka:topic_{topic}").ToList(),
            RetentionDays = 30,
            Columns =
            [
                Text("topic", "The Kafka topic the record arrived on.", nullable: false),
                Text("reason", "Stable reason code, e.g. missing_field:user_id.", nullable: false),
                .. RawRecord(),
                Text("source_system", "kafka, or in_process.", nullable: false),
                Day("event_date", "UTC date of rejection (partition)."),
            ],
        });

        tables.Add(Silver("app_events", "Valid mobile and web app events, de-duplicated by event_id.", "bronze.app_events", ["event_id"],
        [
            Text("event_id", "Unique event id.", nullable: false),
            Text("user_id", "The user (pseudonymous id).", nullable: false),
            Text("session_id", "Session, when the app sent one."),
            Text("event_type", "app_open, screen_view, button_click, add_to_cart, purchase, ...", nullable: false),
            Text("app_type", "ios, android or web.", nullable: false),
            Time("event_timestamp", "When the event happened (UTC).", nullable: false),
            new("value", LakeColumnType.Double, Description: "Numeric value, e.g. the purchase amount."),
            Text("properties", "Event properties as a JSON object."),
            .. EventTime(),
        ]));
        tables.Add(Silver("clickstream", "Valid web clickstream records, de-duplicated by event_id.", "bronze.clickstream", ["event_id"],
        [
            Text("event_id", "Unique event id.", nullable: false),
            Text("user_id", "The user.", nullable: false),
            Text("session_id", "The browsing session.", nullable: false),
            Text("page_url", "The page.", nullable: false),
            Text("action", "page_view, click, add_to_cart, checkout, purchase, ...", nullable: false),
            Time("event_timestamp", "When it happened (UTC).", nullable: false),
            Text("referrer", "Referring URL."),
            Text("device", "desktop, mobile or tablet."),
            .. EventTime(),
        ]));
        tables.Add(Silver("users", "User profile updates from topic_users.", "bronze.users", ["user_id", "updated_at"],
        [
            Text("user_id", "The user.", nullable: false),
            Text("email", "E-mail address.", pii: true),
            Text("name", "Full name.", pii: true),
            Text("country", "Country code."),
            Time("signup_at", "When the user signed up."),
            Time("updated_at", "The profile event's timestamp.", nullable: false),
            Day("event_date", "UTC date of updated_at (partition)."),
        ]));
        tables.Add(Silver("sessions", "Closed sessions (30 minutes of inactivity), one row per session and last activity: a reopened session gets a new row when it closes again.",
            "silver.app_events,silver.clickstream", ["session_id", "last_activity"],
        [
            Text("session_id", "The session.", nullable: false),
            Text("user_id", "The user.", nullable: false),
            Time("started_at", "First event.", nullable: false),
            Time("last_activity", "Last event.", nullable: false),
            new("duration_s", LakeColumnType.Double, Description: "last_activity - started_at in seconds.", Min: 0),
            Count("events", "Events in the session."),
            Count("page_views", "page_view and screen_view events."),
            Count("clicks", "click and button_click events."),
            new("is_bounce", LakeColumnType.Boolean, Description: "Exactly one page view and nothing else."),
            new("converted", LakeColumnType.Boolean, Description: "Any purchase."),
            Text("entry_page", "page_url of the first page view."),
            Text("exit_page", "page_url of the last page view."),
            Text("path", "Page path as a JSON array (capped)."),
            Day("event_date", "UTC date the session started (partition)."),
        ]) with { Mode = TableMode.KeyedSnapshot });
        tables.Add(Cdc("customers", "customer_id",
        [
            Text("customer_id", "Customer id (equals the user_id).", nullable: false),
            Text("email", "E-mail.", pii: true), Text("first_name", "First name.", pii: true), Text("last_name", "Last name.", pii: true),
            Text("phone", "Phone.", pii: true), Text("address_line1", "Address.", pii: true), Text("address_line2", "Address.", pii: true),
            Text("city", "City."), Text("state", "State."), Text("postal_code", "Postal code."), Text("country", "Country."),
            Time("created_at", "Created."), Time("updated_at", "Updated."),
        ]));
        tables.Add(Cdc("products", "product_id",
        [
            Text("product_id", "Product id.", nullable: false), Text("name", "Name."), Text("description", "Description."),
            Text("category", "Category."), Text("subcategory", "Subcategory."), Money("price", "List price."), Money("cost", "Unit cost."),
            Text("sku", "SKU."), new("stock_quantity", LakeColumnType.Int, Description: "Units in stock.", Min: 0),
            Time("created_at", "Created."), Time("updated_at", "Updated."),
        ]));
        tables.Add(Cdc("orders", "order_id",
        [
            Text("order_id", "Order id.", nullable: false), Text("customer_id", "Customer (user_id)."), Time("order_date", "Ordered at."),
            Text("status", "pending, paid, shipped, delivered or cancelled."), Money("total_amount", "Order total."),
            Text("shipping_address", "Shipping address.", pii: true), Text("payment_method", "Payment method."),
            Time("created_at", "Created."), Time("updated_at", "Updated."),
        ]));
        tables.Add(Cdc("order_items", "order_item_id",
        [
            Text("order_item_id", "Line id.", nullable: false), Text("order_id", "Order."), Text("product_id", "Product."),
            new("quantity", LakeColumnType.Int, Description: "Units.", Min: 0), Money("unit_price", "Unit price."),
            Money("discount", "Discount."), Time("created_at", "Created."),
        ]));

        tables.Add(Gold("event_metrics", "Hourly event figures by event type and app type, written when an hour closes.",
            "metric_date", ["metric_date", "metric_hour", "event_type", "app_type"], ["silver.app_events", "silver.clickstream"],
        [
            Day("metric_date", "UTC date (partition)."),
            new("metric_hour", LakeColumnType.Int, Nullable: false, Description: "UTC hour 0-23.", Min: 0, Max: 23),
            Text("event_type", "Event type.", nullable: false), Text("app_type", "App type (unknown for clickstream).", nullable: false),
            Count("total_events", "Distinct events."), Count("unique_users", "Distinct users."),
            new("value_min", LakeColumnType.Double, Description: "Smallest value."), new("value_max", LakeColumnType.Double, Description: "Largest value."),
            new("value_avg", LakeColumnType.Double, Description: "Average value."), new("value_sum", LakeColumnType.Double, Description: "Sum of values."),
        ]));
        tables.Add(Gold("daily_summary", "One row per UTC date: users, sessions, events, orders and revenue.", "date", ["date"],
            ["silver.app_events", "silver.clickstream", "silver.sessions", "silver.orders"],
        [
            Day("date", "UTC date (partition)."),
            Count("total_users", "Distinct users with an event."), Count("new_users", "Users whose first event was that day."),
            new("returning_users_pct", LakeColumnType.Double, Description: "Share of users seen before, in percent.", Min: 0, Max: 100),
            Count("sessions", "Closed sessions started that day."),
            new("bounce_rate", LakeColumnType.Double, Description: "Share of bounced sessions, in percent.", Min: 0, Max: 100),
            new("avg_session_duration_s", LakeColumnType.Double, Description: "Average session duration.", Min: 0),
            Count("total_events", "Distinct events."), Count("orders", "Orders that count (not cancelled or deleted)."),
            Money("revenue", "Their total."), Money("avg_order_value", "revenue / orders."),
        ]));
        tables.Add(Gold("daily_sales", "Orders and revenue per UTC order date.", "date", ["date"], ["silver.orders"],
        [
            Day("date", "UTC order date (partition)."), Count("orders", "Orders that count."),
            Money("revenue", "Their total."), Money("avg_order_value", "revenue / orders."),
        ]));
        tables.Add(Gold("funnel_daily", "The purchase funnel per UTC date a session started and app type: closed sessions and how many reached "
            + "a page view, then add_to_cart, then checkout, then purchase, with the conversion between steps.", "date", ["date", "app_type"],
            ["silver.sessions"],
        [
            Day("date", "UTC date the sessions started (partition)."),
            Text("app_type", "ios, android, web, or unknown.", nullable: false),
            Count("sessions", "Closed sessions."),
            Count("viewed", "Sessions with a page or screen view."),
            Count("added_to_cart", "Of those, sessions with add_to_cart."),
            Count("checked_out", "Of those, sessions with checkout."),
            Count("purchased", "Of those, sessions with a purchase."),
            Percent("view_to_cart_pct", "added_to_cart / viewed, in percent."),
            Percent("cart_to_checkout_pct", "checked_out / added_to_cart, in percent."),
            Percent("checkout_to_purchase_pct", "purchased / checked_out, in percent."),
            Percent("conversion_pct", "purchased / sessions, in percent."),
        ]));
        tables.Add(Gold("cohort_retention", "Weekly cohort retention: of the users first seen in a week (Monday, UTC), how many had an event "
            + "N weeks later, and their share.", null, ["cohort_week", "week_number"], ["silver.app_events", "silver.clickstream"],
        [
            Day("cohort_week", "Monday (UTC) of the week the cohort's users were first seen."),
            new("week_number", LakeColumnType.Int, Nullable: false, Description: "Weeks after the cohort week (0: the cohort week itself).", Min: 0),
            Count("cohort_users", "Users in the cohort (active in week 0 by definition)."),
            Count("active_users", "Of those, users with an event in week week_number."),
            Percent("retention_pct", "active_users / cohort_users, in percent."),
        ]));
        tables.Add(Gold("dim_customers", "The customers as a Type 2 slowly changing dimension: a version per period in which their "
            + "city, state, postal code, country and segment stayed the same. PII stays in silver.customers.", null, ["customer_key"],
            ["silver.customers", "gold.user_segments"],
        [
            Text("customer_key", "Surrogate key: customer_id#version.", nullable: false), Text("customer_id", "The customer (user_id).", nullable: false),
            new("version", LakeColumnType.Int, Nullable: false, Description: "1 for the first version, then counting up.", Min: 1),
            Text("city", "City."), Text("state", "State."), Text("postal_code", "Postal code."), Text("country", "Country."),
            Text("segment", "The customer's segment on the version's dates (null before the user's first event)."),
            Time("valid_from", "The version holds from this time (a change's ts_ms, or midnight when the segment changed).", nullable: false),
            Time("valid_to", "It holds until this time (exclusive); null while current."),
            new("is_current", LakeColumnType.Boolean, Nullable: false, Description: "The version in force now (the customer exists and nothing replaced it)."),
        ]));
        tables.Add(Gold("dim_products", "The products as they are now (Type 1), with their price and unit cost.", null, ["product_id"], ["silver.products"],
        [
            Text("product_id", "The product.", nullable: false), Text("name", "Name."), Text("category", "Category."), Text("subcategory", "Subcategory."),
            Money("price", "List price."), Money("cost", "Unit cost."), Text("sku", "SKU."),
            new("is_deleted", LakeColumnType.Boolean, Nullable: false, Description: "Deleted in the source."),
            Time("updated_at", "Source time (ts_ms) of its latest change.", nullable: false),
        ]));
        tables.Add(Gold("dim_date", "The calendar of the dates the facts refer to (ISO weeks, Monday first).", null, ["date_key"], ["gold.fct_orders"],
        [
            new("date_key", LakeColumnType.Int, Nullable: false, Description: "yyyymmdd."), Day("date", "The UTC date."),
            Int("year", "Year."), Int("quarter", "Quarter, 1-4."), Int("month", "Month, 1-12."), Text("month_name", "January .. December."),
            Int("day_of_month", "Day of the month."), Int("day_of_week", "ISO day of the week: 1 Monday .. 7 Sunday."), Text("day_name", "Monday .. Sunday."),
            Int("iso_week", "ISO-8601 week number."), Int("iso_year", "The year the ISO week belongs to."),
            new("is_weekend", LakeColumnType.Boolean, Nullable: false, Description: "Saturday or Sunday."),
        ]));
        tables.Add(Gold("fct_orders", "One row per order the source holds: current status, total and what its lines add up to.", null, ["order_id"],
            ["silver.orders", "silver.order_items", "gold.dim_products"],
        [
            Text("order_id", "The order.", nullable: false), Text("customer_id", "The customer (user_id).", nullable: false),
            Time("order_date", "Ordered at.", nullable: false), new("date_key", LakeColumnType.Int, Nullable: false, Description: "gold.dim_date key of order_date."),
            Text("status", "pending, paid, shipped, delivered or cancelled."),
            new("counts", LakeColumnType.Boolean, Nullable: false, Description: "Counts as revenue (not cancelled)."),
            Money("total_amount", "Order total."), Text("payment_method", "Payment method."),
            Int("lines", "Order lines."), Count("units", "Units over its lines."), Money("lines_revenue", "Sum of the lines' revenue."),
            Money("lines_cost", "Sum of the lines' cost; null while a product's cost is unknown."), Money("profit", "lines_revenue − lines_cost."),
            Time("changed_at", "Source time (ts_ms) of the order's latest applied change.", nullable: false),
        ]));
        tables.Add(Gold("fct_order_items", "One row per line of an order the source holds, with revenue, cost at the order's date and profit.", null,
            ["order_item_id"], ["silver.order_items", "silver.orders", "gold.dim_products"],
        [
            Text("order_item_id", "The line.", nullable: false), Text("order_id", "Its order.", nullable: false),
            Text("customer_id", "The order's customer.", nullable: false), Text("product_id", "The product.", nullable: false),
            Time("order_date", "The order's date.", nullable: false), new("date_key", LakeColumnType.Int, Nullable: false, Description: "gold.dim_date key."),
            Int("quantity", "Units."), Money("unit_price", "Unit price."), Money("discount", "Discount."),
            Money("revenue", "quantity × unit_price − discount."), Money("unit_cost", "The product's unit cost at the order's date; null while unknown."),
            Money("cost", "quantity × unit_cost."), Money("profit", "revenue − cost."),
        ]));
        tables.Add(Gold("alerts", "Anomaly alerts, one row per alert: the signal, when it opened and closed (minutes of event time), the value that "
            + "opened it against its robust baseline (median and MAD of recent minutes), the threshold and the peak.", null, ["alert_id"],
            ["silver.app_events", "silver.clickstream", "bronze.dead_letter"],
        [
            Text("alert_id", "The signal and the minute it opened, e.g. error_share-202611281012.", nullable: false),
            Text("signal", "event_rate, error_share, dead_letter_rate or consumer_lag.", nullable: false),
            Text("direction", "above (the signal rose) or below (it fell).", nullable: false),
            Text("state", "open or closed.", nullable: false),
            Time("opened_at", "Start of the first anomalous minute of the run that opened it.", nullable: false),
            Time("closed_at", "Start of the first normal minute of the run that closed it (null while open)."),
            new("value", LakeColumnType.Double, Nullable: false, Description: "The signal's value in the first anomalous minute."),
            new("baseline_median", LakeColumnType.Double, Nullable: false, Description: "Median of the baseline minutes before it."),
            new("baseline_mad", LakeColumnType.Double, Nullable: false, Description: "Median absolute deviation of those minutes.", Min: 0),
            new("threshold", LakeColumnType.Double, Nullable: false, Description: "The value the signal had to pass: median ± open threshold × spread."),
            new("peak", LakeColumnType.Double, Nullable: false, Description: "The most extreme value while open."),
        ]));
        tables.Add(Gold("user_segments", "Each user's segment, churn risk, engagement and recommended action.", null, ["user_id"],
            ["silver.app_events", "silver.clickstream", "silver.orders"],
        [
            Text("user_id", "The user.", nullable: false), Text("segment", "VIP, Active, Regular or Inactive."),
            Text("churn_risk", "low, medium or high."), new("engagement_score", LakeColumnType.Double, Description: "0-100.", Min: 0, Max: 100),
            Text("recommended_action", "What to do next."), Count("total_events", "Distinct events."), Count("sessions", "Sessions."),
            Count("purchases", "Purchase events."), Money("total_revenue", "Purchase values plus counted orders."),
            Time("first_seen", "First event."), Time("last_seen", "Last event."),
        ]));
        tables.Add(Gold("customer_lifetime_value", "Revenue and purchases per customer over their lifetime.", null, ["customer_id"],
            ["silver.app_events", "silver.orders"],
        [
            Text("customer_id", "The customer (user_id).", nullable: false), Money("total_revenue", "Lifetime revenue."),
            Count("purchases", "Purchase events."), Money("avg_purchase_value", "total_revenue / purchases."),
            Time("first_seen", "First event."), Time("last_seen", "Last event."),
            new("lifetime_days", LakeColumnType.Double, Description: "Days between first and last event.", Min: 0),
            Text("segment", "Current segment."),
        ]));
        tables.Add(Gold("user_features", "Daily machine-learning feature snapshots: one row per user and UTC date the user had an event, "
            + "as of the last instant of that date (point-in-time: only events and orders up to it count); kept current while late events arrive.",
            "date", ["user_id", "date"], ["silver.app_events", "silver.clickstream", "silver.orders"],
        [
            Text("user_id", "The user.", nullable: false),
            Day("date", "The UTC date of the snapshot (partition); features as of its last instant."),
            Count("events_1h", "Events in the date's last hour."), Count("events_24h", "Events on the date."),
            Count("events_7d", "Events on the date and the 6 before."),
            Text("events_by_type_1h", "events_1h by event type, as a JSON object."), Text("events_by_type_24h", "events_24h by event type, as a JSON object."),
            Text("events_by_type_7d", "events_7d by event type, as a JSON object."),
            Count("sessions_1h", "Sessions with an event in the 1-hour window."), Count("sessions_24h", "Sessions with an event in the 24-hour window."),
            Count("sessions_7d", "Sessions with an event in the 7-day window."),
            Time("last_event_at", "The latest event up to the end of the date."),
            new("recency_days", LakeColumnType.Double, Description: "Days from last_event_at to the end of the date (3 decimals).", Min: 0),
            Count("frequency_30d", "Dates with an event among the 30 ending with the date."),
            Count("purchases_30d", "Purchase events in those 30 dates."),
            Money("monetary_90d", "Purchase values plus counted orders of the 90 dates ending with the date."),
            Text("segment", "VIP, Active, Regular or Inactive, as of the end of the date."), Text("churn_risk", "low, medium or high, as of the end of the date."),
            new("engagement_score", LakeColumnType.Double, Description: "0-100, as of the end of the date.", Min: 0, Max: 100),
        ]));
        tables.Add(Gold("product_performance", "Units sold, orders and revenue per product, from the orders that count.", null, ["product_id"],
            ["silver.order_items", "silver.orders"],
        [
            Text("product_id", "The product.", nullable: false), Count("orders", "Orders with the product."),
            Count("units_sold", "Units."), Money("revenue", "quantity × unit_price − discount."),
        ]));
        tables.Add(Gold("ops_metrics", "The grid's own figures, one row per snapshot: ingestion, rejects, lag and flushes.", "event_date", ["at"],
            Topics.Select(topic => $"bronze.{topic}").ToList(),
        [
            Time("at", "When the figures were taken.", nullable: false), Count("total_events", "Events counted by the KPIs."),
            Count("dead_letters", "Records rejected."), Count("late_events", "Events past the allowed lateness."),
            Count("consumer_lag", "Kafka records not yet read."), new("events_per_second", LakeColumnType.Double, Description: "Recent event rate.", Min: 0),
            Count("rows_flushed", "Rows this silo's writer committed so far."), Count("files_written", "Files this silo's writer committed so far."),
            new("last_flush_age_s", LakeColumnType.Double, Description: "Seconds since this silo's writer last committed."),
            Day("event_date", "UTC date of at (partition)."),
        ]));
        tables.Add(new TableDefinition
        {
            Name = AuditLog,
            Description = "Who did what through the API: queries, previews, key changes, and requests refused for a missing or wrong key, "
                + "a role too low, a body too large or too many queries. Appended only; admins alone read it.",
            Owner = Security,
            PartitionColumn = "event_date",
            RetentionDays = 365,
            AdminOnly = true,
            Columns =
            [
                Time("at", "When the request was answered.", nullable: false),
                Text("key_id", "The API key's id (open: a silo without keys; for a refused key, the id it claimed)."),
                Text("key_name", "Whose key it is."),
                Text("role", "viewer, analyst or admin."),
                Text("action", "query, preview, export, erase, key_create, key_revoke, unauthorized, forbidden, rate_limited or too_large.", nullable: false),
                Text("target", "Method and path of the request.", nullable: false),
                Text("detail", "What was asked: the SQL of a query, the key created or revoked.", pii: true),
                new("status", LakeColumnType.Int, Nullable: false, Description: "The HTTP status of the answer.", Min: 100, Max: 599),
                Text("client", "The client's address.", pii: true),
                Day("event_date", "UTC date of at (partition)."),
            ],
        });
        tables.Add(new TableDefinition
        {
            Name = Erasures,
            Description = "The erasure register: one row when a user's erasure is asked for (with the user id, removed again once it is done) "
                + "and one when it is done (without it). Events of an erased user that arrive later are dropped; the register is how every silo knows them.",
            Owner = Security,
            AdminOnly = true,
            Columns =
            [
                Text("erasure_id", "SHA-256 of the erased user id (hex): how the register names the user once the erasure is done.", nullable: false),
                Text("user_id", "The user id, while the erasure is under way (null once done).", pii: true),
                Text("status", "requested or completed.", nullable: false),
                Time("at", "When the erasure was asked for, or done.", nullable: false),
                Text("requested_by", "The API key id that asked for it."),
                Count("rows_removed", "Lake rows removed (completed rows)."),
                Text("removed", "What was removed, as a JSON object (completed rows)."),
            ],
        });
        tables.Add(new TableDefinition
        {
            Name = Quarantine,
            Description = "Rows a table could not take (a value its column cannot hold, a missing required value, a row the Parquet writer refused), "
                + "with the reason; the rest of their flush was committed.",
            Owner = DataEngineering,
            PartitionColumn = "event_date",
            Upstream = tables.Select(table => table.Name).ToList(),
            RetentionDays = 30,
            Columns =
            [
                Text("table_name", "The table the row was meant for.", nullable: false),
                Text("column_name", "The column whose value could not be written (null when the row as a whole was refused)."),
                Text("reason", "Why: out_of_range:<column>, wrong_type:<column>, invalid_text:<column>, missing_value:<column>, wrong_width:<n>, write_failed:<error>.", nullable: false),
                Text("row_json", "The row's values as given, as a JSON object keyed by column name.", nullable: false, pii: true),
                Text("source", "The row's source position (topic-partition), when it has one."),
                new("source_offset", LakeColumnType.Long, Description: "Its offset in that source."),
                Time("quarantined_at", "When the row was quarantined.", nullable: false),
                Day("event_date", "UTC date of quarantined_at (partition)."),
            ],
        });
        return tables;
    }

    private static IEnumerable<LakeColumn> RawRecord() =>
    [
        new("record_key", LakeColumnType.Binary, Description: "The Kafka key bytes exactly as received (null when the record had no key)."),
        new("record_value", LakeColumnType.Binary, Description: "The record value bytes exactly as received; decode(record_value) reads UTF-8 text. Raw records can hold any personal data.", Pii: true),
        new("kafka_partition", LakeColumnType.Int, Description: "Kafka partition (null when not from Kafka)."),
        new("kafka_offset", LakeColumnType.Long, Description: "Offset in the partition (null when not from Kafka)."),
        Time("kafka_timestamp", "Kafka record timestamp."),
        Time("load_timestamp", "When the grid read the record.", nullable: false),
    ];

    private static IEnumerable<LakeColumn> EventTime() =>
    [
        new("event_hour", LakeColumnType.Int, Nullable: false, Description: "UTC hour of event_timestamp.", Min: 0, Max: 23),
        Day("event_date", "UTC date of event_timestamp (partition)."),
    ];

    private static TableDefinition Silver(string name, string description, string upstream, IReadOnlyList<string> keys, IReadOnlyList<LakeColumn> columns) => new()
    {
        Name = $"silver.{name}",
        Description = description,
        Owner = DataEngineering,
        PartitionColumn = "event_date",
        KeyColumns = keys,
        Upstream = upstream.Split(','),
        Columns = columns,
    };

    private static TableDefinition Cdc(string table, string key, IReadOnlyList<LakeColumn> columns) => new()
    {
        Name = $"silver.{table}",
        Description = $"Every applied change of source table {table} (Debezium): the row as it is after the change (an update that carries only "
            + $"what changed is merged over the row), typed; the newest ts_ms per {key} is the current row, is_deleted marks deletes.",
        Owner = DataEngineering,
        PartitionColumn = "event_date",
        KeyColumns = [key, "ts_ms"],
        Upstream = ["bronze.cdc_changes"],
        Columns =
        [
            .. columns,
            Text("op", "c (create), r (snapshot read), u (update) or d (delete).", nullable: false),
            new("ts_ms", LakeColumnType.Long, Nullable: false, Description: "Source change time, ms since epoch."),
            new("is_deleted", LakeColumnType.Boolean, Nullable: false, Description: "True for a delete."),
            Day("event_date", "UTC date of ts_ms (partition)."),
        ],
    };

    private static TableDefinition Gold(string name, string description, string? partition, IReadOnlyList<string> keys, IReadOnlyList<string> upstream, IReadOnlyList<LakeColumn> columns) => new()
    {
        Name = $"gold.{name}",
        Description = description,
        Owner = Analytics,
        PartitionColumn = partition,
        KeyColumns = keys,
        Upstream = upstream,
        Mode = TableMode.KeyedSnapshot,
        Columns = columns,
    };

    private static LakeColumn Text(string name, string description, bool nullable = true, bool pii = false) =>
        new(name, LakeColumnType.String, nullable, description, pii);

    private static LakeColumn Time(string name, string description, bool nullable = true) =>
        new(name, LakeColumnType.Timestamp, nullable, description);

    private static LakeColumn Day(string name, string description) => new(name, LakeColumnType.Date, Nullable: false, Description: description);

    private static LakeColumn Int(string name, string description) => new(name, LakeColumnType.Int, Description: description);

    private static LakeColumn Count(string name, string description) => new(name, LakeColumnType.Long, Description: description, Min: 0);

    private static LakeColumn Percent(string name, string description) =>
        new(name, LakeColumnType.Double, Description: description, Min: 0, Max: 100);

    private static LakeColumn Money(string name, string description) => new(name, LakeColumnType.Decimal, Description: description);
}
