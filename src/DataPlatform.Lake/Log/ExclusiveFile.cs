using System.Runtime.InteropServices;

namespace DataPlatform.Lake.Log;

/// <summary>
/// Gives a finished file a new name only if that name does not exist yet, atomically. On Linux and macOS
/// this is link(2), which fails with EEXIST when the name is taken: .NET's File.Move without overwrite
/// checks and renames in two steps, so two racing writers can both "win". On Windows, MoveFileEx without
/// MOVEFILE_REPLACE_EXISTING (File.Move) is already atomic and refuses an existing name.
/// </summary>
internal static partial class ExclusiveFile
{
    private const int AlreadyExists = 17; // EEXIST

    /// <summary>Publishes <paramref name="source"/> as <paramref name="target"/>; false when the target exists.</summary>
    public static bool TryPublish(string source, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(source, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                File.Delete(source);
                return false;
            }
        }
        if (Link(source, target) == 0)
        {
            File.Delete(source);
            return true;
        }
        var error = Marshal.GetLastPInvokeError();
        File.Delete(source);
        if (error == AlreadyExists)
        {
            return false;
        }
        throw new IOException($"Could not create {target} (errno {error}).");
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);
}
