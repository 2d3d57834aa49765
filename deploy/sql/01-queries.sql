-- DataPlatform cluster profile: the table Orleans' ADO.NET providers read their SQL from.
--
-- Orleans issues no SQL of its own. At start-up each provider (clustering, grain storage, reminders)
-- loads every row of OrleansQuery and refuses to start when one of the keys it knows is missing. The
-- later files add their rows here; the parameter names (@DeploymentId, ...) and the column names the
-- queries return are the contract with Orleans 10.4.2 and must not change.
--
-- Every file in deploy/sql can run again on a database that already has it: tables are created only
-- when absent, functions are replaced, query rows are upserted. The silo and deploy/scripts/postgres.sh
-- run them in file-name order.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
