using DataPlatform.Silo.Hosting;

await PlatformHost.Build(args).RunAsync();
