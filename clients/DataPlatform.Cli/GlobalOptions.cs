using System.CommandLine;
using DataPlatform.Cli.Platform;

namespace DataPlatform.Cli;

/// <summary><c>--url</c> and <c>--api-key</c>: on every command, with defaults from DP_URL and DP_API_KEY.</summary>
public sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string UrlVariable = "DP_URL";
    public const string ApiKeyVariable = "DP_API_KEY";

    public GlobalOptions(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        Url = new Option<string>("--url", "-u")
        {
            Description = $"the silo's HTTP address [env {UrlVariable}]",
            DefaultValueFactory = _ => console.Environment(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl,
            Recursive = true,
        };
        Url.Validators.Add(result =>
        {
            if (UrlProblem(result.GetValueOrDefault<string>()) is { } problem)
            {
                result.AddError(problem);
            }
        });
        ApiKey = new Option<string?>("--api-key", "-k")
        {
            Description = $"API key sent as X-Api-Key (not needed by a silo on loopback that has no key yet) [env {ApiKeyVariable}]",
            DefaultValueFactory = _ => console.Environment(ApiKeyVariable) is { Length: > 0 } key ? key : null,
            Recursive = true,
        };
    }

    public Option<string> Url { get; }

    public Option<string?> ApiKey { get; }

    /// <summary>A client of the silo the command line names; the address was validated while parsing.</summary>
    public PlatformClient Client(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new PlatformClient(AddressOf(parse), parse.GetValue(ApiKey));
    }

    /// <summary>The silo's address, ending in '/' so that paths resolve against it.</summary>
    public Uri AddressOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var text = parse.GetValue(Url) ?? DefaultUrl;
        if (UrlProblem(text) is { } problem)
        {
            throw CommandFailedException.Usage(problem);
        }
        return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }

    private static string? UrlProblem(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query)
            ? null
            : $"--url must be the silo's http:// or https:// address, e.g. {DefaultUrl} (got '{text}').";
}
