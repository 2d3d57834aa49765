namespace DataPlatform.Lake.Sql;

/// <summary>Whether a query sees the values of columns marked PII in the catalog.</summary>
public enum PersonalData
{
    /// <summary>PII columns read as <c>***</c> (null stays null); the query may read lake tables only.</summary>
    Masked,

    /// <summary>PII columns read as stored.</summary>
    Visible,
}
