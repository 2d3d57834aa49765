using DataPlatform.Api.Security;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Silo.Security;

/// <summary>
/// Audit entries as rows of gold.audit_log, appended by this silo's lake writer and committed with its next
/// flush. Nothing in the API writes to the lake otherwise, so the log cannot be rewritten through it.
/// </summary>
public sealed class LakeAuditSink(LakeWriter lake) : IAuditSink
{
    private static readonly RowMap<AuditEntry> AuditRows = new(PlatformTables.Get(PlatformTables.AuditLog),
    [
        ("at", entry => entry.At.UtcDateTime),
        ("key_id", entry => entry.KeyId),
        ("key_name", entry => entry.KeyName),
        ("role", entry => entry.Role),
        ("action", entry => entry.Action),
        ("target", entry => entry.Target),
        ("detail", entry => entry.Detail),
        ("status", entry => entry.Status),
        ("client", entry => entry.Client),
        ("event_date", entry => DateOnly.FromDateTime(entry.At.UtcDateTime)),
    ]);

    public void Write(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lake.Append(PlatformTables.AuditLog, AuditRows.Row(entry));
    }
}
