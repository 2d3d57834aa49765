namespace DataPlatform.UnitTests.Deployment;

/// <summary>The repository's files, found from the test's output directory upwards (the folder holding DataPlatform.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot(new DirectoryInfo(AppContext.BaseDirectory));

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot(DirectoryInfo? directory) =>
        directory is null ? throw new InvalidOperationException("The tests run outside the DataPlatform repository.")
        : File.Exists(Path.Combine(directory.FullName, "DataPlatform.sln")) ? directory.FullName
        : FindRoot(directory.Parent);
}
