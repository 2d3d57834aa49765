-- DataPlatform cluster profile: silo membership (Microsoft.Orleans.Clustering.AdoNet).
--
-- One version row per cluster (DeploymentId = Orleans:ClusterId) and one row per silo incarnation.
-- Orleans changes membership only through the version row: a write whose @Version is stale changes
-- nothing and returns 0, and Orleans reads the table again and retries.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp timestamptz(3) NOT NULL DEFAULT now(),
    Version integer NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Heartbeat. Orleans neither expects it to fail nor reads a result.
CREATE OR REPLACE FUNCTION update_i_am_alive_time(
    deployment_id OrleansMembershipTable.DeploymentId%TYPE,
    address_arg OrleansMembershipTable.Address%TYPE,
    port_arg OrleansMembershipTable.Port%TYPE,
    generation_arg OrleansMembershipTable.Generation%TYPE,
    i_am_alive_time OrleansMembershipTable.IAmAliveTime%TYPE)
RETURNS void
LANGUAGE plpgsql AS
$body$
BEGIN
    UPDATE OrleansMembershipTable AS m
    SET IAmAliveTime = i_am_alive_time
    WHERE m.DeploymentId = deployment_id
      AND m.Address = address_arg
      AND m.Port = port_arg
      AND m.Generation = generation_arg;
END
$body$;

-- Creates the cluster's version row; 1 when this call created it, 0 when it existed already.
CREATE OR REPLACE FUNCTION insert_membership_version(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql AS
$body$
DECLARE
    affected integer := 0;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (DeploymentIdArg)
    ON CONFLICT (DeploymentId) DO NOTHING;

    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN QUERY SELECT affected;
END
$body$;

-- Adds a silo and bumps the version in one step; 0 (and nothing written) when the silo row exists or
-- the version moved on since Orleans read it.
CREATE OR REPLACE FUNCTION insert_membership(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE,
    AddressArg OrleansMembershipTable.Address%TYPE,
    PortArg OrleansMembershipTable.Port%TYPE,
    GenerationArg OrleansMembershipTable.Generation%TYPE,
    SiloNameArg OrleansMembershipTable.SiloName%TYPE,
    HostNameArg OrleansMembershipTable.HostName%TYPE,
    StatusArg OrleansMembershipTable.Status%TYPE,
    ProxyPortArg OrleansMembershipTable.ProxyPort%TYPE,
    StartTimeArg OrleansMembershipTable.StartTime%TYPE,
    IAmAliveTimeArg OrleansMembershipTable.IAmAliveTime%TYPE,
    VersionArg OrleansMembershipVersionTable.Version%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql AS
$body$
DECLARE
    affected integer := 0;
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Timestamp = now(), Version = Version + 1
    WHERE DeploymentId = DeploymentIdArg AND Version = VersionArg;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg, StatusArg, ProxyPortArg,
         StartTimeArg, IAmAliveTimeArg)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        -- The silo row existed: undo the version bump so the table is as Orleans last read it.
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'membership row exists';
    END IF;

    RETURN QUERY SELECT affected;
EXCEPTION
    WHEN raise_exception THEN
        RETURN QUERY SELECT 0;
END
$body$;

-- Changes a silo's status and suspicions and bumps the version in one step; 0 (nothing written) when
-- the version moved on or the silo row is unknown.
CREATE OR REPLACE FUNCTION update_membership(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE,
    AddressArg OrleansMembershipTable.Address%TYPE,
    PortArg OrleansMembershipTable.Port%TYPE,
    GenerationArg OrleansMembershipTable.Generation%TYPE,
    StatusArg OrleansMembershipTable.Status%TYPE,
    SuspectTimesArg OrleansMembershipTable.SuspectTimes%TYPE,
    IAmAliveTimeArg OrleansMembershipTable.IAmAliveTime%TYPE,
    VersionArg OrleansMembershipVersionTable.Version%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql AS
$body$
DECLARE
    affected integer := 0;
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Timestamp = now(), Version = Version + 1
    WHERE DeploymentId = DeploymentIdArg AND Version = VersionArg;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status = StatusArg, SuspectTimes = SuspectTimesArg, IAmAliveTime = IAmAliveTimeArg
    WHERE DeploymentId = DeploymentIdArg
      AND Address = AddressArg
      AND Port = PortArg
      AND Generation = GenerationArg;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'membership row missing';
    END IF;

    RETURN QUERY SELECT affected;
EXCEPTION
    WHEN raise_exception THEN
        RETURN QUERY SELECT 0;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', '
    SELECT * FROM update_i_am_alive_time(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime);
'),
('InsertMembershipVersionKey', '
    SELECT * FROM insert_membership_version(@DeploymentId);
'),
('InsertMembershipKey', '
    SELECT * FROM insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
'),
('UpdateMembershipKey', '
    SELECT * FROM update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
        @IAmAliveTime, @Version);
'),
-- The version row comes back even when the silo has no row yet (LEFT JOIN).
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON m.DeploymentId = v.DeploymentId
          AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
'),
('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
'),
('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
'),
-- Status 3 is Active: clients connect only to active silos with a gateway.
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),
-- Removes rows of silos that stopped heart-beating before @IAmAliveTime, never an active one.
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3;
'),
-- Removes one dead silo's row, only if it is still exactly as Orleans read it.
('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6
      AND Address = @Address AND Port = @Port AND Generation = @Generation
      AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
      AND SuspectTimes IS NOT DISTINCT FROM CAST(@SuspectTimes AS varchar);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
