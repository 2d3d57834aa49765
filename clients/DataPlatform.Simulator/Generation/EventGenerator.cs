using System.Text.Json;
using Bogus;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Contracts.Serialization;

namespace DataPlatform.Simulator.Generation;

/// <summary>
/// Produces an endless, deterministic sequence of records on the five topics: app events and
/// clickstream from users in sessions, their profiles, the shop's change feed (a web purchase becomes an
/// order with items and a payment), external feeds, and optionally malformed records. The same seed and
/// start give the same records. Event time advances by 1/rate per record, so records paced at the
/// configured rate carry timestamps close to the wall clock; side records (profiles, changes, feeds)
/// carry the time of the event that caused them and follow it within a few records. The seed decides the
/// population and its behaviour; the run id decides the ids of events, sessions and orders, so two runs
/// never share them (see <see cref="RunIds"/>).
/// </summary>
public sealed class EventGenerator
{
    private static readonly string[] Countries = ["US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "AU", "ES"];
    private static readonly string[] ExternalReferrers =
        ["https://www.google.com/", "https://www.bing.com/", "https://news.ycombinator.com/", "https://t.co/", "direct"];

    private readonly SimulatorOptions _options;
    private readonly Randomizer _random;
    private readonly FunnelPlanner _planner;
    private readonly SimulatedUser[] _users;
    private readonly List<SimulatedSession> _active = [];
    private readonly ShopActivity _shop;
    private readonly RunIds _ids;
    private readonly Queue<SimulatedRecord> _sideRecords = new();
    private readonly HashSet<string> _customers = new(StringComparer.Ordinal);
    private readonly TimeSpan _step;
    private SimulatedRecord? _pendingDuplicate;
    private DateTimeOffset _exactClock;

    /// <summary>
    /// A generator whose run id is <paramref name="runId"/>, else the options' run id, else one derived from
    /// <paramref name="start"/>: the same seed, start and run id give the same records, byte for byte.
    /// </summary>
    public EventGenerator(SimulatorOptions options, DateTimeOffset start, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Rate, 0);
        _options = options;
        RunId = runId ?? options.RunId ?? RunIdOf(start);
        _random = new Randomizer(options.Seed);
        _planner = new FunnelPlanner(_random);
        _users = CreateUsers(options.Users, options.Seed);
        _ids = new RunIds(options.Seed, RunId);
        _shop = new ShopActivity(_random, new Faker { Random = new Randomizer(options.Seed ^ 0x5A0B) }, _ids, options.RuleBreakingFraction);
        _step = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / options.Rate));
        _exactClock = start.ToUniversalTime();
        if (options.ShopActivity)
        {
            foreach (var product in _shop.ProductCatalog(Clock))
            {
                _sideRecords.Enqueue(product);
            }
        }
    }

    /// <summary>What tells this run's ids apart from other runs' (with the seed).</summary>
    public string RunId { get; }

    /// <summary>The run id of a run that names only its start: a replay of that start repeats its ids.</summary>
    public static string RunIdOf(DateTimeOffset start) =>
        start.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The event time the next record will carry (whole milliseconds, UTC).</summary>
    public DateTimeOffset Clock => TruncateToMilliseconds(_exactClock);

    public SimulatedRecord Next()
    {
        if (_pendingDuplicate is { } duplicate)
        {
            _pendingDuplicate = null;
            return duplicate;
        }

        var record = _sideRecords.Count > 0 ? _sideRecords.Dequeue() : NextUserEvent();
        AddOccasionalSideRecords();
        _exactClock += _step;
        if (_random.Double() < _options.DuplicateFraction)
        {
            _pendingDuplicate = record;
        }
        return record;
    }

    private SimulatedRecord NextUserEvent()
    {
        while (_active.Count < Math.Max(1, _options.ConcurrentSessions))
        {
            _active.Add(StartSession());
        }
        var index = _random.Number(0, _active.Count - 1);
        var session = _active[index];
        var record = Emit(session, session.TakeNext());
        if (session.IsFinished)
        {
            _active[index] = _active[^1];
            _active.RemoveAt(_active.Count - 1);
        }
        if (_options.ShopActivity && record.Event is ClickstreamEvent { Action: EventTypes.Purchase } purchase)
        {
            EnqueueSide(_shop.Checkout(purchase.UserId, Clock));
        }
        return record;
    }

    private void AddOccasionalSideRecords()
    {
        if (_options.MalformedFraction > 0 && _random.Double() < _options.MalformedFraction)
        {
            _sideRecords.Enqueue(MalformedRecords.Create(_random, _ids.EventId(), _random.ArrayElement(_users).UserId, Clock));
        }
        if (!_options.ShopActivity)
        {
            return;
        }
        var roll = _random.Double();
        if (roll < 0.01)
        {
            _sideRecords.Enqueue(_shop.ExternalReading(Clock));
        }
        else if (roll < 0.015 && _shop.AdvanceAnOrder(Clock) is { } orderUpdate)
        {
            _sideRecords.Enqueue(orderUpdate);
        }
        else if (roll < 0.017 && _customers.Count > 0)
        {
            var user = _users[_random.Number(0, _users.Length - 1)];
            if (_customers.Contains(user.UserId))
            {
                _sideRecords.Enqueue(_shop.ProfileUpdate(user.UserId, user.Country, Clock));
            }
        }
        else if (roll < 0.018 && _users[_shop.Pick(_users.Length)] is var moving && _customers.Contains(moving.UserId))
        {
            var (change, deleted) = _shop.CustomerChange(moving.UserId, Clock);
            _sideRecords.Enqueue(change);
            if (deleted)
            {
                _customers.Remove(moving.UserId);
            }
        }
        else if (roll < 0.0185)
        {
            _sideRecords.Enqueue(_shop.ProductRepricing(Clock));
        }
    }

    private void EnqueueSide(IEnumerable<SimulatedRecord> records)
    {
        foreach (var record in records)
        {
            _sideRecords.Enqueue(record);
        }
    }

    public IEnumerable<SimulatedRecord> Take(long count)
    {
        for (long i = 0; i < count; i++)
        {
            yield return Next();
        }
    }

    private SimulatedSession StartSession()
    {
        SimulatedUser user;
        do
        {
            user = _random.ArrayElement(_users);
        }
        while (_random.Double() > user.Engagement);

        if (_options.ShopActivity && _customers.Add(user.UserId))
        {
            EnqueueSide(_shop.NewCustomer(user.UserId, user.Country, Clock));
        }
        var clickstream = user.AppType == "web" ? _random.Double() < 0.7 : _random.Double() < 0.2;
        var steps = clickstream ? _planner.PlanWebVisit(user.Engagement) : _planner.PlanAppSession(user.Engagement);
        return new SimulatedSession(user, _ids.SessionId(), clickstream, _random.ArrayElement(ExternalReferrers), steps);
    }

    private SimulatedRecord Emit(SimulatedSession session, PlannedEvent planned)
    {
        var eventId = _ids.EventId();
        if (session.IsClickstream)
        {
            var click = new ClickstreamEvent
            {
                EventId = eventId,
                UserId = session.User.UserId,
                SessionId = session.SessionId,
                PageUrl = planned.Page,
                Action = planned.EventType,
                Timestamp = Clock,
                Referrer = session.NextReferrer(planned.Page),
                Device = session.User.Device,
            };
            return new SimulatedRecord(Topics.Clickstream, click.UserId,
                JsonSerializer.SerializeToUtf8Bytes(click, EventJsonContext.Default.ClickstreamEvent), click);
        }

        var appEvent = new AppEvent
        {
            EventId = eventId,
            UserId = session.User.UserId,
            SessionId = session.SessionId,
            EventType = planned.EventType,
            AppType = session.User.AppType,
            Timestamp = Clock,
            Value = planned.Value,
            Properties = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["screen"] = planned.Page,
                ["country"] = session.User.Country,
            },
        };
        return new SimulatedRecord(Topics.AppEvents, appEvent.UserId,
            JsonSerializer.SerializeToUtf8Bytes(appEvent, EventJsonContext.Default.AppEvent), appEvent);
    }

    private static SimulatedUser[] CreateUsers(int count, int seed)
    {
        var faker = new Faker { Random = new Randomizer(seed ^ 0x5EED) };
        var users = new SimulatedUser[count];
        for (var i = 0; i < count; i++)
        {
            var appType = faker.Random.WeightedRandom(["ios", "android", "web"], [0.4f, 0.35f, 0.25f]);
            var device = appType == "web"
                ? faker.Random.WeightedRandom(["desktop", "mobile", "tablet"], [0.6f, 0.3f, 0.1f])
                : faker.Random.WeightedRandom(["mobile", "tablet"], [0.85f, 0.15f]);
            // Engagement is skewed: a few heavy users, many occasional ones.
            var engagement = Math.Clamp(Math.Pow(faker.Random.Double(), 2), 0.05, 1.0);
            users[i] = new SimulatedUser($"user_{i + 1:D6}", appType, device, faker.PickRandom(Countries), engagement);
        }
        return users;
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
