using DataPlatform.Cli;

return await DpCli.RunAsync(args, CliConsole.ForProcess());
