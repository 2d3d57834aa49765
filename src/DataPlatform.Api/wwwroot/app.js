"use strict";

// Live dashboard: the first snapshot comes from GET /kpis, then SignalR pushes `kpis` about once a second.
(() => {
  const HISTORY_POINTS = 120;
  const numberFormat = new Intl.NumberFormat("en-US");
  const rateFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
  const moneyFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  const formatters = {
    events_per_second: v => rateFormat.format(v),
    total_events: v => numberFormat.format(v),
    active_users: v => numberFormat.format(v),
    active_sessions: v => numberFormat.format(v),
    dead_letters: v => numberFormat.format(v),
    late_events: v => numberFormat.format(v),
    orders_today: v => numberFormat.format(v),
    consumer_lag: v => numberFormat.format(v),
    revenue_today: v => moneyFormat.format(v),
    avg_order_value: v => (v === null ? "–" : moneyFormat.format(v)),
    bounce_rate: v => (v === null ? "–" : `${(v * 100).toFixed(1)}%`),
    avg_session_duration_s: v => (v === null ? "–" : `${Math.round(v)} s`),
  };

  function lineChart(canvasId, label, color) {
    return new Chart(document.getElementById(canvasId), {
      type: "line",
      data: { labels: [], datasets: [{ label, data: [], borderColor: color, backgroundColor: color + "33", fill: true, pointRadius: 0, tension: 0.25 }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { color: "#94a3b8", maxTicksLimit: 6 }, grid: { color: "#334155" } },
          y: { beginAtZero: true, ticks: { color: "#94a3b8" }, grid: { color: "#334155" } },
        },
      },
    });
  }

  const rateChart = lineChart("rate-chart", "events/s", "#38bdf8");
  const usersChart = lineChart("users-chart", "active users", "#a78bfa");

  function pushPoint(chart, label, value) {
    chart.data.labels.push(label);
    chart.data.datasets[0].data.push(value);
    if (chart.data.labels.length > HISTORY_POINTS) {
      chart.data.labels.shift();
      chart.data.datasets[0].data.shift();
    }
    chart.update("none");
  }

  function render(kpis) {
    for (const [name, format] of Object.entries(formatters)) {
      const element = document.querySelector(`[data-kpi="${name}"]`);
      if (element && kpis[name] !== undefined) {
        element.textContent = format(kpis[name]);
      }
    }
    const at = new Date(kpis.at);
    const label = at.toLocaleTimeString("en-GB");
    document.getElementById("updated").textContent = `updated ${label}`;
    renderRanking("top-event-types", (kpis.top_event_types || []).map(t => [t.event_type, t.count]));
    renderRanking("segments", Object.entries(kpis.segments || {}));
    pushPoint(rateChart, label, kpis.events_per_second);
    pushPoint(usersChart, label, kpis.active_users);
  }

  function renderRanking(id, entries) {
    const list = document.getElementById(id);
    list.replaceChildren(...entries.map(([label, count]) => {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = label;
      const value = document.createElement("span");
      value.className = "count";
      value.textContent = typeof count === "number" ? numberFormat.format(count) : count;
      item.append(name, value);
      return item;
    }));
  }

  function setConnection(online, text) {
    const badge = document.getElementById("connection");
    badge.textContent = text;
    badge.className = "badge " + (online ? "badge-online" : "badge-offline");
  }

  // API key: kept in this browser once given; asked for when the server answers 401.
  const KEY_STORAGE = "dataplatform.apiKey";
  const apiKey = () => localStorage.getItem(KEY_STORAGE) || "";
  function askForKey(message) {
    const form = document.getElementById("key-form");
    document.getElementById("key-error").textContent = message;
    form.hidden = false;
  }
  document.getElementById("key-form").addEventListener("submit", event => {
    event.preventDefault();
    const key = document.getElementById("api-key").value.trim();
    if (key) {
      localStorage.setItem(KEY_STORAGE, key);
      location.reload();
    }
  });
  if (apiKey()) {
    document.getElementById("orleans-link").href = `/orleans/?access_token=${encodeURIComponent(apiKey())}`;
  }
  async function api(path) {
    const headers = apiKey() ? { "X-Api-Key": apiKey() } : {};
    const response = await fetch(path, { headers });
    if (response.status === 401) {
      const problem = await response.json().catch(() => ({}));
      askForKey(problem.detail || "This DataPlatform needs an API key.");
      return null;
    }
    return response.ok ? response.json() : null;
  }

  api("/kpis").then(k => k && render(k)).catch(() => {});

  // Lake health and freshness: how long ago each layer last committed, from GET /health.
  function seconds(value) {
    return value === null || value === undefined ? "never" : value < 120 ? value.toFixed(1) + " s ago" : Math.round(value / 60) + " min ago";
  }
  async function refreshLake() {
    try {
      const response = await fetch("/health");
      const health = await response.json();
      const check = (health.checks || []).find(c => c.name === "lake");
      document.getElementById("lake-status").textContent = check ? check.status : "unknown";
      const lake = health.lake;
      if (lake) {
        renderRanking("lake-freshness", ["bronze", "silver", "gold"].map(layer => [layer, seconds(lake.freshness_s[layer])]));
        document.getElementById("lake-flush-age").textContent = seconds(lake.flush_age_s);
        document.getElementById("lake-buffered").textContent = lake.buffered_rows;
      }
    } catch {
      document.getElementById("lake-status").textContent = "unreachable";
    }
  }
  refreshLake();
  setInterval(refreshLake, 5000);

  // Purchase funnel of the newest day with closed sessions (all app types together) and the newest cohorts' retention.
  const percent = (part, whole) => (whole > 0 ? `${(100 * part / whole).toFixed(1)}%` : "–");
  async function refreshFunnelAndCohorts() {
    const funnels = await api("/funnels").catch(() => null);
    if (funnels && funnels.length > 0) {
      const day = funnels[funnels.length - 1].date;
      const sum = field => funnels.filter(f => f.date === day).reduce((total, f) => total + f[field], 0);
      const steps = [["sessions", "sessions"], ["viewed", "viewed"], ["added to cart", "added_to_cart"], ["checked out", "checked_out"], ["purchased", "purchased"]];
      document.getElementById("funnel-date").textContent = day;
      renderRanking("funnel", steps.map(([label, field], index) =>
        [label, index === 0 ? numberFormat.format(sum(field)) : `${numberFormat.format(sum(field))} · ${percent(sum(field), sum(steps[index - 1][1]))}`]));
    }
    const cohorts = await api("/cohorts").catch(() => null);
    if (cohorts) {
      const weeks = [...new Set(cohorts.map(c => c.cohort_week))].slice(-4).reverse();
      renderRanking("cohorts", weeks.map(week => {
        const cells = cohorts.filter(c => c.cohort_week === week && c.week_number > 0 && c.week_number <= 3);
        const size = (cohorts.find(c => c.cohort_week === week && c.week_number === 0) || { active_users: 0 }).active_users;
        return [week, `${numberFormat.format(size)} users` + cells.map(c => ` · w${c.week_number} ${percent(c.active_users, size)}`).join("")];
      }));
    }
  }
  refreshFunnelAndCohorts();
  setInterval(refreshFunnelAndCohorts, 10000);

  // Anomaly alerts: the open ones from GET /alerts, then SignalR `alert` as they open and close; a banner lists them.
  const openAlerts = new Map();
  function renderAlerts() {
    const banner = document.getElementById("alert-banner");
    const alerts = [...openAlerts.values()].sort((a, b) => a.opened_at.localeCompare(b.opened_at));
    banner.replaceChildren(...alerts.map(alert => {
      const line = document.createElement("p");
      line.dataset.alert = alert.kind;
      line.textContent = alert.detail;
      return line;
    }));
    banner.hidden = alerts.length === 0;
  }
  function applyAlert(alert) {
    if (alert.state === "open") {
      openAlerts.set(alert.id, alert);
    } else {
      openAlerts.delete(alert.id);
    }
    renderAlerts();
  }
  async function refreshAlerts() {
    const alerts = await api("/alerts").catch(() => null);
    if (alerts) {
      openAlerts.clear();
      alerts.forEach(applyAlert);
    }
  }
  refreshAlerts();

  const connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/kpis", { accessTokenFactory: apiKey })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: () => 2000 })
    .build();
  connection.on("kpis", render);
  connection.on("alert", applyAlert);
  connection.onreconnecting(() => setConnection(false, "reconnecting…"));
  connection.onreconnected(() => {
    setConnection(true, "live");
    refreshAlerts();
  });
  connection.onclose(() => setConnection(false, "offline"));

  async function start() {
    try {
      await connection.start();
      setConnection(true, "live");
    } catch {
      setConnection(false, "offline — retrying");
      setTimeout(start, 2000);
    }
  }
  start();
})();
