-- DataPlatform cluster profile: reminders (Microsoft.Orleans.Reminders.AdoNet).
--
-- One row per grain and reminder name. Each silo reads the reminders whose GrainHash falls in its
-- share of the consistent-hash ring (ReadRangeRows1Key for a plain range, ReadRangeRows2Key for the
-- range that wraps past the top). Version is the reminder's ETag: a delete names the version it read.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId varchar(150) NOT NULL,
    GrainId varchar(150) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime timestamptz(3) NOT NULL,
    Period bigint NOT NULL,
    GrainHash integer NOT NULL,
    Version integer NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE OR REPLACE FUNCTION upsert_reminder_row(
    ServiceIdArg OrleansRemindersTable.ServiceId%TYPE,
    GrainIdArg OrleansRemindersTable.GrainId%TYPE,
    ReminderNameArg OrleansRemindersTable.ReminderName%TYPE,
    StartTimeArg OrleansRemindersTable.StartTime%TYPE,
    PeriodArg OrleansRemindersTable.Period%TYPE,
    GrainHashArg OrleansRemindersTable.GrainHash%TYPE)
RETURNS TABLE(version integer)
LANGUAGE plpgsql AS
$body$
DECLARE
    new_version integer;
BEGIN
    INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (ServiceIdArg, GrainIdArg, ReminderNameArg, StartTimeArg, PeriodArg, GrainHashArg, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = excluded.StartTime,
            Period = excluded.Period,
            GrainHash = excluded.GrainHash,
            Version = r.Version + 1
    RETURNING r.Version INTO STRICT new_version;

    RETURN QUERY SELECT new_version;
END
$body$;

CREATE OR REPLACE FUNCTION delete_reminder_row(
    ServiceIdArg OrleansRemindersTable.ServiceId%TYPE,
    GrainIdArg OrleansRemindersTable.GrainId%TYPE,
    ReminderNameArg OrleansRemindersTable.ReminderName%TYPE,
    VersionArg OrleansRemindersTable.Version%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql AS
$body$
DECLARE
    affected integer := 0;
BEGIN
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = ServiceIdArg
      AND GrainId = GrainIdArg
      AND ReminderName = ReminderNameArg
      AND Version = VersionArg;
    GET DIAGNOSTICS affected = ROW_COUNT;

    RETURN QUERY SELECT affected;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', '
    SELECT * FROM upsert_reminder_row(@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash);
'),
('ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
'),
('ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
'),
('ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
'),
('ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),
('DeleteReminderRowKey', '
    SELECT * FROM delete_reminder_row(@ServiceId, @GrainId, @ReminderName, @Version);
'),
('DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
