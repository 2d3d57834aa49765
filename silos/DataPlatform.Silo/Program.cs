using DataPlatform.Silo.Hosting;
using DataPlatform.Silo.Security;

if (args.Length > 0 && args[0] == "keys")
{
    return await KeysCommand.RunAsync(args[1..], Console.Out, Console.Error);
}
await PlatformHost.Build(args).RunAsync();
return 0;
