namespace DataPlatform.Api.Endpoints;

/// <summary>Checks ids that arrive in URLs before they become grain keys.</summary>
public static class GrainKey
{
    public const int MaxLength = 128;

    /// <summary>Returns null when the id is usable, otherwise a message saying what is wrong with it.</summary>
    public static string? Problem(string? id, string what)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return $"The {what} id must not be empty.";
        }
        if (id.Length > MaxLength)
        {
            return $"The {what} id must be at most {MaxLength} characters long.";
        }
        return id.Any(char.IsControl) ? $"The {what} id must not contain control characters." : null;
    }
}
