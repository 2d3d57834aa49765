-- DataPlatform cluster profile: the checkpoint store (PostgresCheckpointStore, the contract is
-- src/DataPlatform.Grains/Checkpoints/ICheckpointStore.cs). Not an Orleans provider: no OrleansQuery rows.
--
-- A state row keeps two versions: the one written in its newest epoch and the one before. Writing in a
-- newer epoch moves the current version to the previous slot; writing again in the same epoch replaces
-- only the current one. A checkpoint completes by moving checkpoint_record.completed_epoch (one row, in
-- the same transaction as the offsets it covers); a rollback puts every row written after it back to its
-- previous version, or deletes the row when it had none.

CREATE TABLE IF NOT EXISTS checkpoint_state
(
    state_name text NOT NULL,
    grain_id text NOT NULL,
    epoch bigint NOT NULL,
    payload bytea NOT NULL,
    previous_epoch bigint NOT NULL DEFAULT 0,
    previous_payload bytea NULL,

    CONSTRAINT pk_checkpoint_state PRIMARY KEY (state_name, grain_id)
);
-- No index on epoch: every checkpoint rewrites epoch, and an index on it would make each of those writes
-- touch a second index, while only a rollback (recovery, rare) searches by epoch.

CREATE TABLE IF NOT EXISTS checkpoint_record
(
    -- Always true: the table holds exactly one row.
    id boolean NOT NULL DEFAULT true,
    completed_epoch bigint NOT NULL,
    generation bigint NOT NULL,

    CONSTRAINT pk_checkpoint_record PRIMARY KEY (id),
    CONSTRAINT ck_checkpoint_record_one_row CHECK (id)
);

-- The lake files the completed epoch staged (JSON, StagedAppend): committed to their tables after the
-- epoch completed, and again by a recovering coordinator (a repeated commit is refused as stale).
ALTER TABLE checkpoint_record ADD COLUMN IF NOT EXISTS staged_appends jsonb NOT NULL DEFAULT '[]';
-- Names this store's line of epochs in the lake's commits, so that another store's epoch 1 is not taken
-- for one this store already committed.
ALTER TABLE checkpoint_record ADD COLUMN IF NOT EXISTS lineage uuid NOT NULL DEFAULT gen_random_uuid();

INSERT INTO checkpoint_record (id, completed_epoch, generation)
VALUES (true, 0, 0)
ON CONFLICT (id) DO NOTHING;

-- The next offset to read per Kafka topic-partition, as of checkpoint_record.completed_epoch.
CREATE TABLE IF NOT EXISTS checkpoint_offset
(
    partition text NOT NULL,
    next_offset bigint NOT NULL,

    CONSTRAINT pk_checkpoint_offset PRIMARY KEY (partition)
);
