using System.Globalization;

namespace DataPlatform.Analytics.Validation;

/// <summary>The one timestamp form the contracts accept: ISO-8601 with a date and a time, read as UTC when it carries no offset.</summary>
internal static class IsoTimestamp
{
    public static bool TryParse(string text, out DateTimeOffset timestamp)
    {
        var parsed = DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out timestamp);
        // A date and a time separated by 'T' (rejects "12/01/2026" and bare numbers).
        return parsed && text.Length >= 16 && text[4] == '-' && text[10] is 'T' or 't' or ' ';
    }
}
