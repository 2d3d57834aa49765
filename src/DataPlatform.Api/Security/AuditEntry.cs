namespace DataPlatform.Api.Security;

/// <summary>One line of the audit log (gold.audit_log): who, with which role, did what, when, and how it was answered.</summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string? KeyId,
    string? KeyName,
    string? Role,
    string Action,
    string Target,
    string? Detail,
    int Status,
    string? Client);

/// <summary>Where audit entries go: the lake's gold.audit_log in a silo.</summary>
public interface IAuditSink
{
    void Write(AuditEntry entry);
}
