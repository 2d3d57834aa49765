using System.Globalization;
using DataPlatform.Api.Security;
using DataPlatform.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace DataPlatform.Silo.Security;

/// <summary>
/// <c>dotnet DataPlatform.Silo.dll keys create|list|revoke|generate</c>: API keys from the command line, in the
/// store the silo would use with the same configuration (the key file, or PostgreSQL in the cluster profile).
/// Any other argument is configuration, as for the silo (e.g. <c>--Orleans:ClusterProvider AdoNet</c>).
/// A created or generated token is the only thing written to standard output, so scripts can capture it.
/// </summary>
public static class KeysCommand
{
    public const string Usage = """
        Usage: DataPlatform.Silo keys <command> [options] [configuration]
          create --name <who> --role viewer|analyst|admin   create a key; prints its token once
          list                                               list keys (never their secrets)
          revoke <id>                                        revoke a key
          generate                                           print a new admin token without storing it (for Security:AdminKey)
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var (verb, name, role, id, configuration) = Parse(args);
        var parsedRole = ApiRole.Viewer;
        switch (verb)
        {
            case "generate":
                await output.WriteLineAsync(ApiKeyToken.Generate().Token);
                await error.WriteLineAsync("Not stored: give it to the silos as Security:AdminKey (from a secret), and keep it like a password.");
                return 0;
            case "create" when KeyEndpoints.NameProblem(name) is not null || !ApiPolicies.TryParse(role, out parsedRole):
                await error.WriteLineAsync($"keys create needs --name <who> and --role viewer|analyst|admin; {KeyEndpoints.NameProblem(name) ?? "the role is not one of them."}\n{Usage}");
                return 2;
            case "revoke" when string.IsNullOrWhiteSpace(id):
                await error.WriteLineAsync($"keys revoke needs the id of the key (keys list shows them).\n{Usage}");
                return 2;
            case "create" or "list" or "revoke":
                break;
            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }

        var store = await OpenStoreAsync(configuration);
        try
        {
            switch (verb)
            {
                case "create":
                    var (key, token) = ApiKeyToken.NewKey(name!.Trim(), parsedRole, DateTimeOffset.UtcNow);
                    await store.AddAsync(key, CancellationToken.None);
                    await output.WriteLineAsync(token);
                    await error.WriteLineAsync($"Created key {key.Id} ({ApiPolicies.NameOf(key.Role)}) for {key.Name}. The token above is shown this once; only its hash is kept.");
                    return 0;
                case "list":
                    await output.WriteLineAsync($"{"id",-10} {"role",-8} {"created (UTC)",-20} {"revoked (UTC)",-20} name");
                    foreach (var listed in await store.ListAsync(CancellationToken.None))
                    {
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{listed.Id,-10} {ApiPolicies.NameOf(listed.Role),-8} {listed.CreatedAt.UtcDateTime,-20:yyyy-MM-dd HH:mm:ss} {(listed.RevokedAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-"),-20} {listed.Name}"));
                    }
                    return 0;
                default:
                    if (await store.RevokeAsync(id!, DateTimeOffset.UtcNow, CancellationToken.None))
                    {
                        await error.WriteLineAsync($"Revoked key {id}.");
                        return 0;
                    }
                    await error.WriteLineAsync($"No active key has the id '{id}'.");
                    return 1;
            }
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static (string? Verb, string? Name, string? Role, string? Id, string[] Configuration) Parse(IReadOnlyList<string> args)
    {
        string? name = null, role = null, id = null;
        var configuration = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--name" when i + 1 < args.Count:
                    name = args[++i];
                    break;
                case "--role" when i + 1 < args.Count:
                    role = args[++i];
                    break;
                case var value when !value.StartsWith("--", StringComparison.Ordinal) && id is null && configuration.Count == 0:
                    id = value;
                    break;
                default:
                    configuration.Add(args[i]);
                    break;
            }
        }
        return (args.Count > 0 ? args[0] : null, name, role, id, [.. configuration]);
    }

    private static async Task<IApiKeyStore> OpenStoreAsync(string[] args)
    {
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }).Configuration;
        var orleans = configuration.GetSection(OrleansHostingOptions.SectionName).Get<OrleansHostingOptions>() ?? new();
        if (configuration.ClusterConnectionString(orleans) is { } connectionString)
        {
            await OrleansSchema.ApplyAsync(connectionString, CancellationToken.None);
            return new PostgresApiKeyStore(connectionString);
        }
        var security = configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new();
        return new FileApiKeyStore(security.KeyFile);
    }
}
