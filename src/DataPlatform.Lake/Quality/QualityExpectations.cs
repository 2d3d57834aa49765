using System.Text.Json;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Quality;

/// <summary>
/// The data-quality expectations of every table, read from the expectations file (<see cref="LakeOptions.ExpectationsFile"/>):
/// a JSON object whose keys are table names and whose values are lists of <see cref="Expectation"/> in snake_case.
/// </summary>
public sealed class QualityExpectations
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, TableExpectations> _tables;

    private QualityExpectations(Dictionary<string, TableExpectations> tables) => _tables = tables;

    /// <summary>No expectations at all.</summary>
    public static QualityExpectations None { get; } = new(new Dictionary<string, TableExpectations>(StringComparer.Ordinal));

    public IReadOnlyCollection<TableExpectations> Tables => _tables.Values;

    /// <summary>The expectations of a table, or null when it has none.</summary>
    public TableExpectations? For(string table) => _tables.GetValueOrDefault(table);

    /// <summary>Reads and checks the expectations in a file; anything wrong throws one sentence that names the file and the problem.</summary>
    public static QualityExpectations Load(string path, IEnumerable<TableDefinition> tables)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tables);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"The expectations file {path} does not exist (Lake:ExpectationsFile; empty for none).");
        }
        Dictionary<string, List<Expectation?>?> declared;
        try
        {
            declared = JsonSerializer.Deserialize<Dictionary<string, List<Expectation?>?>>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"The expectations file {path} holds null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The expectations file {path} is not valid: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The expectations file {path} cannot be read: {ex.Message}", ex);
        }
        var known = tables.ToDictionary(table => table.Name, StringComparer.Ordinal);
        var compiled = new Dictionary<string, TableExpectations>(StringComparer.Ordinal);
        foreach (var (name, expectations) in declared)
        {
            if (!known.TryGetValue(name, out var table))
            {
                throw new InvalidDataException($"The expectations file {path} names {name}, which is not a lake table.");
            }
            if (table.Mode == Schema.TableMode.KeyedSnapshot || name is Catalog.PlatformTables.Quarantine or Catalog.PlatformTables.Erasures)
            {
                throw new InvalidDataException(
                    $"The expectations file {path} names {name}, whose rows are not checked: expectations apply to the tables rows are appended to, except the quarantine and the erasure register.");
            }
            if (expectations is null || expectations.Any(expectation => expectation is null))
            {
                throw new InvalidDataException($"The expectations file {path} gives {name} a null where a list of expectations belongs.");
            }
            try
            {
                compiled[name] = new TableExpectations(table, [.. expectations.OfType<Expectation>()]);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"The expectations file {path}: {ex.Message}", ex);
            }
        }
        return new QualityExpectations(compiled);
    }

    /// <summary>Reads the file <see cref="LakeOptions.ExpectationsFile"/> names (relative to the program's directory), or none when it names none.</summary>
    public static QualityExpectations Of(LakeOptions options, IEnumerable<TableDefinition> tables)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ExpectationsFile)
            ? None
            : Load(Path.Combine(AppContext.BaseDirectory, options.ExpectationsFile), tables);
    }
}
