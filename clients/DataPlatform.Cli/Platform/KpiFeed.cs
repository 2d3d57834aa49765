using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace DataPlatform.Cli.Platform;

/// <summary>
/// The KPI snapshots a silo pushes over SignalR (<c>/hubs/kpis</c>, message <c>kpis</c>). It reconnects by itself
/// after a silo restart; when it gives up, <see cref="NextAsync"/> fails with exit code 3.
/// </summary>
public sealed class KpiFeed : IAsyncDisposable
{
    public const string HubPath = "hubs/kpis";
    public const string SnapshotMessage = "kpis";

    private readonly HubConnection _connection;
    private readonly Channel<JsonElement> _snapshots = Channel.CreateBounded<JsonElement>(
        new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private KpiFeed(HubConnection connection) => _connection = connection;

    /// <summary>Connects to the silo's hub; the key goes as the hub's access token.</summary>
    public static async Task<KpiFeed> ConnectAsync(Uri silo, string? apiKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var hub = new Uri(silo, HubPath);
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, options =>
            {
                if (!string.IsNullOrWhiteSpace(apiKey))
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(apiKey.Trim());
                }
            })
            .WithAutomaticReconnect()
            .Build();
        var feed = new KpiFeed(connection);
        connection.On<JsonElement>(SnapshotMessage, snapshot => feed._snapshots.Writer.TryWrite(snapshot));
        connection.Closed += error =>
        {
            feed._snapshots.Writer.TryComplete(CommandFailedException.Unreachable(hub.ToString(), error?.Message ?? "the connection closed", error));
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync(cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status)
        {
            await connection.DisposeAsync();
            throw new CommandFailedException(ExitCodes.ServerError, ServerProblem.Describe(status, null, ""), ex);
        }
        catch (HttpRequestException ex)
        {
            await connection.DisposeAsync();
            throw CommandFailedException.Unreachable(hub.ToString(), ex.Message, ex);
        }
        return feed;
    }

    /// <summary>The next snapshot the silo pushed.</summary>
    public async Task<JsonElement> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _snapshots.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException ex) when (ex.InnerException is CommandFailedException failure)
        {
            throw failure;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _snapshots.Writer.TryComplete();
        await _connection.DisposeAsync();
    }
}
