-- The interval calibration of a tournament run (forecast/
-- tournament_calibration.h), learnt by shard 0 (the fleet-wide phase) and
-- applied by every shard: per model, the multipliers of its intervals'
-- half-widths, one per step ahead (index 1: one day ahead).
CREATE TABLE fleet_run_calibration (
    run_id         uuid     NOT NULL REFERENCES fleet_runs ON DELETE CASCADE,
    model          text     NOT NULL,
    -- Series of the sample the run's calibration was learnt on.
    sample_series  integer  NOT NULL CHECK (sample_series > 0),
    width_scales   real[]   NOT NULL,
    PRIMARY KEY (run_id, model)
);
