-- DataPlatform cluster profile: grain state (Microsoft.Orleans.Persistence.AdoNet).
--
-- One row per grain and state name. Orleans looks a row up by hashes and then by the full identity,
-- and writes with optimistic concurrency: a write carries the Version it read (NULL when it read
-- nothing) and gets back the new one; an unchanged Version means another activation wrote first and
-- Orleans raises InconsistentStateException. The payload is whatever the configured serializer
-- produces (DataPlatform uses Orleans' binary serializer).

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash integer NOT NULL,
    GrainIdN0 bigint NOT NULL,
    GrainIdN1 bigint NOT NULL,
    GrainTypeHash integer NOT NULL,
    GrainTypeString varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId varchar(150) NOT NULL,
    PayloadBinary bytea NULL,
    ModifiedOn timestamp NOT NULL,
    Version integer NULL
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage ON OrleansStorage USING btree (GrainIdHash, GrainTypeHash);

CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash integer,
    _grainidn0 bigint,
    _grainidn1 bigint,
    _graintypehash integer,
    _graintypestring varchar,
    _grainidextensionstring varchar,
    _serviceid varchar,
    _grainstateversion integer,
    _payloadbinary bytea)
RETURNS TABLE(newgrainstateversion integer)
LANGUAGE plpgsql AS
$body$
DECLARE
    new_version integer := _grainstateversion;
    affected integer := 0;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        -- The grain read a version before: replace it only if nobody wrote since.
        UPDATE OrleansStorage
        SET PayloadBinary = _payloadbinary,
            ModifiedOn = (now() AT TIME ZONE 'utc'),
            Version = Version + 1
        WHERE GrainIdHash = _grainidhash
          AND GrainTypeHash = _graintypehash
          AND GrainIdN0 = _grainidn0
          AND GrainIdN1 = _grainidn1
          AND GrainTypeString = _graintypestring
          AND GrainIdExtensionString IS NOT DISTINCT FROM _grainidextensionstring
          AND ServiceId = _serviceid
          AND Version = _grainstateversion;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected > 0 THEN
            new_version := _grainstateversion + 1;
        END IF;
    ELSE
        -- First write: only one of two racing activations may create the row.
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
             ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT _grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring, _grainidextensionstring,
               _serviceid, _payloadbinary, (now() AT TIME ZONE 'utc'), 1
        WHERE NOT EXISTS
        (
            SELECT 1 FROM OrleansStorage
            WHERE GrainIdHash = _grainidhash
              AND GrainTypeHash = _graintypehash
              AND GrainIdN0 = _grainidn0
              AND GrainIdN1 = _grainidn1
              AND GrainTypeString = _graintypestring
              AND GrainIdExtensionString IS NOT DISTINCT FROM _grainidextensionstring
              AND ServiceId = _serviceid
        );
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected > 0 THEN
            new_version := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT new_version;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
    SELECT * FROM writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
'),
-- Orleans reads the columns by position: payload, a timestamp, version.
('ReadFromStorageKey', '
    SELECT PayloadBinary, (now() AT TIME ZONE ''utc''), Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId;
'),
('ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
'),
('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
