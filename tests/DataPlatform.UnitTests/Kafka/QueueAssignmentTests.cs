using DataPlatform.Streaming.Kafka.Providers;

namespace DataPlatform.UnitTests.Kafka;

public sealed class QueueAssignmentTests
{
    private static readonly string[] Topics = ["topic_app_events", "topic_cdc_changes", "topic_clickstream", "topic_external", "topic_users"];

    private static readonly List<string> Queues = [.. Topics.SelectMany(topic => Enumerable.Range(0, 8).Select(partition => $"{topic}-{partition}"))];

    private static List<string> Silos(int count) => [.. Enumerable.Range(1, count).Select(i => $"127.0.0.1:{11110 + i}@{154780000 + i}")];

    [Theory]
    [InlineData(8, 1)]
    [InlineData(8, 2)]
    [InlineData(8, 3)]
    [InlineData(40, 3)]
    [InlineData(40, 6)]
    [InlineData(3, 5)]
    public void Every_queue_has_one_owner_and_loads_differ_by_at_most_one(int queues, int silos)
    {
        var owners = QueueAssignment.Assign(Queues.Take(queues).ToList(), Silos(silos));

        Assert.All(owners, owner => Assert.InRange(owner, 0, silos - 1));
        var loads = Enumerable.Range(0, silos).Select(silo => owners.Count(owner => owner == silo)).ToList();
        Assert.InRange(loads.Max() - loads.Min(), 0, 1);
    }

    [Fact]
    public void The_order_silos_are_listed_in_does_not_change_who_reads_what()
    {
        var silos = Silos(4);
        var reversed = silos.AsEnumerable().Reverse().ToList();

        var owners = QueueAssignment.Assign(Queues, silos).Select(owner => silos[owner]);
        var fromReversed = QueueAssignment.Assign(Queues, reversed).Select(owner => reversed[owner]);

        Assert.Equal(owners, fromReversed);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void When_a_silo_leaves_its_queues_move_and_the_others_mostly_stay(int count)
    {
        var silos = Silos(count);
        var before = QueueAssignment.Assign(Queues, silos).Select(owner => silos[owner]).ToList();
        foreach (var leaving in silos)
        {
            var survivors = silos.Where(silo => silo != leaving).ToList();
            var after = QueueAssignment.Assign(Queues, survivors).Select(owner => survivors[owner]).ToList();

            var kept = Enumerable.Range(0, Queues.Count).Where(queue => before[queue] != leaving).ToList();
            var moved = kept.Count(queue => after[queue] != before[queue]);
            // i mod N would move about half of them; here only a few move, to make room where capacity shifts.
            Assert.True(moved <= kept.Count / 4, $"{moved} of the survivors' {kept.Count} queues moved when {leaving} left");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_silo_that_joins_takes_about_its_share(int count)
    {
        var silos = Silos(count + 1);
        var existing = silos.Take(count).ToList();
        var before = QueueAssignment.Assign(Queues, existing).Select(owner => existing[owner]).ToList();
        var after = QueueAssignment.Assign(Queues, silos).Select(owner => silos[owner]).ToList();

        var share = Queues.Count / silos.Count;
        Assert.InRange(after.Count(owner => owner == silos[^1]), share, share + 1);
        var moved = Enumerable.Range(0, Queues.Count).Count(queue => after[queue] != before[queue]);
        Assert.True(moved <= share * 3 / 2, $"{moved} queues moved for a share of {share}");
    }

    [Fact]
    public void Without_silos_nothing_is_assigned() =>
        Assert.Empty(QueueAssignment.Assign(Queues, []));
}
