-- Forecasting tournament runs (FleetService.RunCompetition) and what they
-- produce: every model's backtest score on every series (the leaderboard),
-- the champion's golden forecast and the runner-up's, and the risks.
--
-- A run is cut into shards that workers (threads of any server replica, or
-- horizonscale-fleet-worker processes) claim with SELECT ... FOR UPDATE SKIP
-- LOCKED and hold in an open transaction while they score it; the shard's
-- results and its 'done' mark commit together. A worker that dies rolls its
-- transaction back, so its shard is claimed again: each series is scored
-- exactly once, and a run survives the loss of any worker.

CREATE TABLE fleet_runs (
    run_id          uuid        PRIMARY KEY,
    -- The client's idempotency key: a retry attaches to the run it started.
    request_id      text        UNIQUE,
    -- The run's parameters with every default filled in (the API's
    -- CompetitionConfig as JSON).
    config          jsonb       NOT NULL,
    state           text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    series_total    integer     NOT NULL CHECK (series_total >= 0),
    -- Set when state is 'failed'.
    error           text
);
CREATE INDEX fleet_runs_by_state ON fleet_runs (state, created_at);

-- Shard 0 trains the fleet-wide boosted model and forecasts every series with
-- it; shards 1..n hold the series (fleet_run_series) and wait for shard 0.
CREATE TABLE fleet_run_shards (
    run_id           uuid             NOT NULL REFERENCES fleet_runs ON DELETE CASCADE,
    shard            integer          NOT NULL CHECK (shard >= 0),
    state            text             NOT NULL CHECK (state IN ('pending', 'done')),
    series_count     integer          NOT NULL CHECK (series_count >= 0),
    -- Who did it, when, and how long it took.
    worker           text,
    finished_at      timestamptz,
    elapsed_seconds  double precision,
    PRIMARY KEY (run_id, shard)
);

-- The series of a run, fixed when it starts, and their shard.
CREATE TABLE fleet_run_series (
    run_id    uuid     NOT NULL REFERENCES fleet_runs ON DELETE CASCADE,
    host_id   text     NOT NULL,
    resource  smallint NOT NULL CHECK (resource BETWEEN 1 AND 4),
    shard     integer  NOT NULL CHECK (shard >= 1),
    PRIMARY KEY (run_id, host_id, resource)
);
CREATE INDEX fleet_run_series_by_shard ON fleet_run_series (run_id, shard);

-- Forecasts of the fleet-wide boosted model (written by shard 0): of the
-- backtest window and of the future, with intervals, as [yhat, lower, upper]
-- arrays in percent.
CREATE TABLE fleet_boosted_forecasts (
    run_id           uuid   NOT NULL REFERENCES fleet_runs ON DELETE CASCADE,
    host_id          text   NOT NULL,
    resource         smallint NOT NULL,
    backtest_yhat    real[] NOT NULL,
    backtest_lower   real[] NOT NULL,
    backtest_upper   real[] NOT NULL,
    future_yhat      real[] NOT NULL,
    future_lower     real[] NOT NULL,
    future_upper     real[] NOT NULL,
    PRIMARY KEY (run_id, host_id, resource)
);

-- Every model's backtest on every series: the leaderboard. Accuracy in
-- percent (MAPE, sMAPE), MASE as a ratio, coverage as a fraction; rank 1 is
-- the champion, 0 a model that could not be fitted (error says why).
CREATE TABLE fleet_scores (
    run_id             uuid             NOT NULL REFERENCES fleet_runs ON DELETE CASCADE,
    host_id            text             NOT NULL,
    resource           smallint         NOT NULL,
    model              text             NOT NULL,
    rank               integer          NOT NULL CHECK (rank >= 0),
    mape_percent       double precision,
    smape_percent      double precision,
    mase               double precision,
    rmse               double precision,
    interval_coverage  double precision,
    points_scored      integer          NOT NULL,
    zero_actuals       integer          NOT NULL,
    description        text             NOT NULL,
    error              text,
    -- First day of the backtest window, and the model's forecasts of it.
    backtest_start     date             NOT NULL,
    backtest_yhat      real[],
    backtest_lower     real[],
    backtest_upper     real[],
    PRIMARY KEY (run_id, host_id, resource, model)
);

-- The champion's golden forecast and the runner-up's, from the whole history.
CREATE TABLE fleet_forecasts (
    run_id     uuid     NOT NULL REFERENCES fleet_runs ON DELETE CASCADE,
    host_id    text     NOT NULL,
    resource   smallint NOT NULL,
    role       text     NOT NULL CHECK (role IN ('champion', 'runner_up')),
    model      text     NOT NULL,
    start_day  date     NOT NULL,
    yhat       real[]   NOT NULL,
    lower      real[]   NOT NULL,
    upper      real[]   NOT NULL,
    PRIMARY KEY (run_id, host_id, resource, role)
);

-- Series High Trust at risk: the champion's upper bound crosses the breach
-- threshold within the risk window. Department and app code as they were when
-- the series was scored.
CREATE TABLE fleet_risks (
    run_id              uuid             NOT NULL REFERENCES fleet_runs ON DELETE CASCADE,
    host_id             text             NOT NULL,
    resource            smallint         NOT NULL,
    department          text             NOT NULL,
    app_code            text             NOT NULL,
    first_breach_day    date             NOT NULL,
    planned_action_day  date             NOT NULL,
    peak_upper_percent  double precision NOT NULL,
    champion            text             NOT NULL,
    PRIMARY KEY (run_id, host_id, resource)
);
CREATE INDEX fleet_risks_by_breach ON fleet_risks (run_id, first_breach_day, host_id, resource);
