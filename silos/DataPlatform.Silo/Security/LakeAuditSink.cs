using DataPlatform.Api.Security;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;

namespace DataPlatform.Silo.Security;

/// <summary>
/// Audit entries as rows of gold.audit_log, appended by this silo's lake writer and committed with its next
/// flush. Nothing in the API writes to the lake otherwise, so the log cannot be rewritten through it.
/// </summary>
public sealed class LakeAuditSink(LakeWriter lake) : IAuditSink
{
    public void Write(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lake.Append(PlatformTables.AuditLog,
        [
            entry.At, entry.KeyId, entry.KeyName, entry.Role, entry.Action, entry.Target, entry.Detail, entry.Status, entry.Client,
            DateOnly.FromDateTime(entry.At.UtcDateTime),
        ]);
    }
}
