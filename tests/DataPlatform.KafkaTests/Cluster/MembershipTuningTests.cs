using DataPlatform.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>The cluster profile's membership tuning reaches Orleans, from its defaults or from Orleans:Membership.</summary>
public sealed class MembershipTuningTests
{
    [Fact]
    public async Task The_cluster_profile_detects_failures_with_the_tuned_defaults()
    {
        var membership = await MembershipOptionsAsync();

        Assert.Equal(MembershipHostingOptions.DefaultProbeTimeout, membership.ProbeTimeout);
        Assert.Equal(MembershipHostingOptions.DefaultMinProbeTimeout, membership.MinProbeTimeout);
        Assert.Equal(MembershipHostingOptions.DefaultMaxProbeTimeout, membership.MaxProbeTimeout);
        Assert.Equal(MembershipHostingOptions.DefaultNumMissedProbesLimit, membership.NumMissedProbesLimit);
        Assert.Equal(MembershipHostingOptions.DefaultNumVotesForDeathDeclaration, membership.NumVotesForDeathDeclaration);
        Assert.Equal(MembershipHostingOptions.DefaultDeathVoteExpirationTimeout, membership.DeathVoteExpirationTimeout);
        Assert.Equal(MembershipHostingOptions.DefaultTableRefreshTimeout, membership.TableRefreshTimeout);
        Assert.Equal(MembershipHostingOptions.DefaultIAmAliveTablePublishTimeout, membership.IAmAliveTablePublishTimeout);
    }

    [Fact]
    public async Task Orleans_Membership_settings_override_the_tuning()
    {
        var membership = await MembershipOptionsAsync(
            "--Orleans:Membership:ProbeTimeout", "00:00:05",
            "--Orleans:Membership:MaxProbeTimeout", "00:00:20",
            "--Orleans:Membership:NumMissedProbesLimit", "4");

        Assert.Equal(TimeSpan.FromSeconds(5), membership.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), membership.MaxProbeTimeout);
        Assert.Equal(4, membership.NumMissedProbesLimit);
        Assert.Equal(MembershipHostingOptions.DefaultTableRefreshTimeout, membership.TableRefreshTimeout);
    }

    /// <summary>The options Orleans would run with; the host is built, never started, so nothing is reached.</summary>
    private static async Task<ClusterMembershipOptions> MembershipOptionsAsync(params string[] settings)
    {
        var app = PlatformHost.Build(
        [
            "--Orleans:ClusterProvider", "AdoNet",
            "--ConnectionStrings:Orleans", "Host=127.0.0.1;Port=1;Database=none;Username=postgres",
            "--Kafka:BootstrapServers", "127.0.0.1:1",
            "--Simulator:Enabled", "false",
            .. settings,
        ]);
        await using (app)
        {
            return app.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        }
    }
}
