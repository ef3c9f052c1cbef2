-- Fleet telemetry written by FleetService.IngestTelemetry and read by the
-- forecasting tournament.

-- Descriptive data of a host (used by the risk roll-ups), upserted by host_id.
-- Metadata is optional: a host may have series and no row here (readers
-- left join and treat it as empty strings).
CREATE TABLE fleet_hosts (
    host_id     text        PRIMARY KEY,
    department  text        NOT NULL DEFAULT '',
    app_code    text        NOT NULL DEFAULT '',
    scenario    text        NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL
);

-- One row per host resource with all its raw daily observations, deduplicated
-- by day (a later observation of a day replaces the earlier one). Gaps stay
-- gaps and values stay as measured (up to 200 %): gap filling and clamping to
-- [0, 100] happen later, in the forecasting refinery.
-- Why one row per series and not one per sample: a 2,000-host fleet is 8.8 M
-- daily samples; one row per series keeps the tournament's read to 8,000
-- rows and the table small (13 KB per three-year series instead of ~50 bytes
-- of tuple header and index entry per sample).
CREATE TABLE fleet_series (
    host_id      text        NOT NULL,
    -- The proto enum horizonscale.v1.Resource number: 1 CPU, 2 memory,
    -- 3 disk, 4 network.
    resource     smallint    NOT NULL CHECK (resource BETWEEN 1 AND 4),
    -- Day numbers (days since 1970-01-01, UTC) as int32 little-endian,
    -- strictly ascending.
    days         bytea       NOT NULL CHECK (length(days) % 4 = 0),
    -- Utilization of each day of `days`, in percent, as float64
    -- little-endian: one value per day entry.
    utilization  bytea       NOT NULL CHECK (length(utilization) = 2 * length(days)),
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (host_id, resource)
);
-- A three-year series is 13 KB of float64 noise and int32 counters that
-- TOAST's compression cannot shrink (the table is 127 MB for the default
-- fleet either way), yet tries to on every write: store them uncompressed.
-- Measured writing the 8,000 series of the default fleet: 1.5 s of backend
-- CPU instead of 2.4 s (lz4 or MAIN do not help either).
ALTER TABLE fleet_series ALTER COLUMN days SET STORAGE EXTERNAL,
                         ALTER COLUMN utilization SET STORAGE EXTERNAL;

-- One line per committed ingest stream.
CREATE TABLE fleet_ingests (
    ingest_id       uuid        PRIMARY KEY,
    -- When the stream (the call) started, and when its transaction wrote
    -- this line (just before the commit).
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL,
    rows_accepted   bigint      NOT NULL CHECK (rows_accepted >= 0),
    rows_rejected   bigint      NOT NULL CHECK (rows_rejected >= 0),
    hosts_upserted  bigint      NOT NULL CHECK (hosts_upserted >= 0),
    series_written  bigint      NOT NULL CHECK (series_written >= 0)
);
