namespace DataPlatform.KafkaTests.Cluster;

public interface IDurableCounterGrain : IGrainWithStringKey
{
    Task<int> AddAsync(int amount);

    Task<int> GetAsync();

    Task RegisterReminderAsync(string name);

    Task<bool> HasReminderAsync(string name);
}

/// <summary>State with a private setter: only Orleans' binary serializer brings it back.</summary>
[GenerateSerializer]
[Alias("DataPlatform.KafkaTests.Cluster.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Total { get; private set; }

    public void Add(int amount) => Total += amount;
}

/// <summary>A counter kept in the default grain storage, with reminders, to prove the cluster profile's storage.</summary>
public sealed class DurableCounterGrain([PersistentState("counter")] IPersistentState<CounterState> counter)
    : Grain, IDurableCounterGrain, IRemindable
{
    public async Task<int> AddAsync(int amount)
    {
        counter.State.Add(amount);
        await counter.WriteStateAsync();
        return counter.State.Total;
    }

    public Task<int> GetAsync() => Task.FromResult(counter.State.Total);

    public Task RegisterReminderAsync(string name) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<bool> HasReminderAsync(string name) => await this.GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
