using System.Net;

namespace DataPlatform.Api.Security;

/// <summary>The addresses the web server was told to listen on (the <c>urls</c> setting), and whether all are loopback.</summary>
public sealed class ListeningAddresses
{
    /// <summary>ASP.NET Core's own default when no address is configured.</summary>
    public const string Default = "http://localhost:5000";

    public ListeningAddresses(string? urls)
    {
        Urls = [.. (string.IsNullOrWhiteSpace(urls) ? Default : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        LoopbackOnly = Urls.All(IsLoopback);
    }

    public IReadOnlyList<string> Urls { get; }

    public bool LoopbackOnly { get; }

    /// <summary>True for localhost, 127.x and ::1; false for 0.0.0.0, *, + and every other host.</summary>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd >= 0 ? url[(schemeEnd + 3)..] : url;
        var host = rest.StartsWith('[') ? rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))] : rest.Split(':', '/')[0];
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
