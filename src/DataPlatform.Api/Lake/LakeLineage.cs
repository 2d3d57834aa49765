using DataPlatform.Lake.Schema;

namespace DataPlatform.Api.Lake;

/// <summary>Upstream and downstream tables, from the upstream lists of the table definitions.</summary>
public sealed class LakeLineage(IEnumerable<TableDefinition> tables)
{
    private readonly List<TableDefinition> _tables = [.. tables];

    public IReadOnlyList<string> Upstream(string name) =>
        _tables.FirstOrDefault(table => table.Name == name)?.Upstream ?? [];

    public IReadOnlyList<string> Downstream(string name) =>
        [.. _tables.Where(table => table.Upstream.Contains(name)).Select(table => table.Name)];

    public IReadOnlyList<string> AllUpstream(string name) => Closure(name, Upstream);

    public IReadOnlyList<string> AllDownstream(string name) => Closure(name, Downstream);

    private static List<string> Closure(string start, Func<string, IReadOnlyList<string>> next)
    {
        var seen = new List<string>();
        var queue = new Queue<string>(next(start));
        while (queue.TryDequeue(out var name))
        {
            if (name == start || seen.Contains(name))
            {
                continue;
            }
            seen.Add(name);
            foreach (var further in next(name))
            {
                queue.Enqueue(further);
            }
        }
        return seen;
    }
}
