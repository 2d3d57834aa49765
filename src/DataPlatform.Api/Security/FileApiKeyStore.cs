using System.Text.Json;

namespace DataPlatform.Api.Security;

/// <summary>
/// API keys in one JSON file (hashes only), readable and writable by the silo's user alone. A change is
/// written to a temporary file and moved over the old one, so a crash leaves either the old or the new list.
/// One process owns the file: the embedded default runs one silo.
/// </summary>
public sealed class FileApiKeyStore(string path) : IApiKeyStore, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await ReadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task AddAsync(ApiKey key, CancellationToken cancellationToken) =>
        ChangeAsync(keys => keys.Exists(existing => existing.Id == key.Id) ? false : Added(keys, key), cancellationToken);

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(keys =>
        {
            var index = keys.FindIndex(key => key.Id == id && key.IsActive);
            if (index < 0)
            {
                return false;
            }
            keys[index] = keys[index] with { RevokedAt = at };
            return true;
        }, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private static bool Added(List<ApiKey> keys, ApiKey key)
    {
        keys.Add(key);
        return true;
    }

    private async Task<bool> ChangeAsync(Func<List<ApiKey>, bool> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var keys = new List<ApiKey>(await ReadAsync(cancellationToken));
            if (!change(keys))
            {
                return false;
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            await using (var stream = new FileStream(temporary, options))
            {
                await JsonSerializer.SerializeAsync(stream, keys, Json, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path, overwrite: true);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<ApiKey>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return [];
        }
        await using var stream = File.OpenRead(Path);
        try
        {
            return await JsonSerializer.DeserializeAsync<List<ApiKey>>(stream, Json, cancellationToken) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The API key file {Path} is not a list of keys ({ex.Message}): restore it from a backup or remove it and create keys again.", ex);
        }
    }
}
