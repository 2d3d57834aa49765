using DataPlatform.Api.Endpoints;
using DataPlatform.Api.Health;

namespace DataPlatform.UnitTests.Api;

public sealed class GrainKeyTests
{
    [Theory]
    [InlineData("user_000001")]
    [InlineData("s-0a1b2c")]
    [InlineData("名前")]
    public void Accepts_ordinary_ids(string id) => Assert.Null(GrainKey.Problem(id, "user"));

    [Theory]
    [InlineData("", "The user id must not be empty.")]
    [InlineData("   ", "The user id must not be empty.")]
    [InlineData("a\u0001b", "The user id must not contain control characters.")]
    public void Rejects_unusable_ids_with_a_message(string id, string message) => Assert.Equal(message, GrainKey.Problem(id, "user"));

    [Fact]
    public void Rejects_ids_longer_than_the_maximum()
    {
        Assert.Null(GrainKey.Problem(new string('a', GrainKey.MaxLength), "session"));
        Assert.Equal("The session id must be at most 128 characters long.", GrainKey.Problem(new string('a', GrainKey.MaxLength + 1), "session"));
    }

    [Fact]
    public void Overall_health_is_the_worst_check()
    {
        Assert.Equal(HealthStatus.Healthy, HealthStatus.Worst([HealthStatus.Healthy, HealthStatus.Healthy]));
        Assert.Equal(HealthStatus.Degraded, HealthStatus.Worst([HealthStatus.Healthy, HealthStatus.Degraded]));
        Assert.Equal(HealthStatus.Unhealthy, HealthStatus.Worst([HealthStatus.Degraded, HealthStatus.Unhealthy, HealthStatus.Healthy]));
    }
}
