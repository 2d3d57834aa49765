namespace DataPlatform.GrainTests;

/// <summary>Polls an asynchronous condition until it holds; fails with the last observed value.</summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await observe();
            if (condition(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not hold within {timeout}; last value: {value}");
            }
            await Task.Delay(200);
        }
    }
}
