-- Metric history of every queue (appended by GeneratePlan), and the plans
-- generated with their scaling steps.
CREATE TABLE queue_metrics (
    queue                text             NOT NULL REFERENCES queues (name) ON DELETE CASCADE,
    observed_at          timestamptz      NOT NULL,
    arrival_rate         double precision NOT NULL CHECK (arrival_rate >= 0),
    mean_service_time    double precision NOT NULL CHECK (mean_service_time > 0),
    service_time_p95     double precision,
    service_time_stddev  double precision,
    workers              integer          NOT NULL CHECK (workers >= 0),
    utilization          double precision CHECK (utilization BETWEEN 0 AND 1),
    backlog              bigint           NOT NULL CHECK (backlog >= 0),
    active_jobs          bigint           NOT NULL CHECK (active_jobs >= 0),
    PRIMARY KEY (queue, observed_at)
);

CREATE TABLE plans (
    plan_id                  uuid             PRIMARY KEY,
    queue                    text             NOT NULL REFERENCES queues (name) ON DELETE CASCADE,
    request_id               text             UNIQUE,
    generated_at             timestamptz      NOT NULL,
    current_workers          integer          NOT NULL,
    target_workers           integer          NOT NULL,
    confidence               double precision NOT NULL,
    slo_achievable           boolean          NOT NULL,
    auto_apply_recommended   boolean          NOT NULL,
    rationale                text             NOT NULL,
    forecast_window_seconds  double precision NOT NULL,
    safety_margin            double precision NOT NULL,
    valid_until              timestamptz      NOT NULL,
    current_cost_per_hour    double precision NOT NULL,
    projected_cost_per_hour  double precision NOT NULL,
    monthly_cost_delta       double precision NOT NULL,
    -- The whole answer as the server sent it, so a retry with the same
    -- request_id gets the same bytes back.
    response                 bytea            NOT NULL
);
CREATE INDEX plans_by_queue ON plans (queue, generated_at DESC, plan_id DESC);

CREATE TABLE plan_steps (
    plan_id          uuid             NOT NULL REFERENCES plans (plan_id) ON DELETE CASCADE,
    sequence         integer          NOT NULL CHECK (sequence >= 1),
    scheduled_at     timestamptz      NOT NULL,
    action           text             NOT NULL CHECK (action IN ('scale_up', 'scale_down', 'no_change')),
    from_workers     integer          NOT NULL,
    to_workers       integer          NOT NULL,
    rationale        text             NOT NULL,
    cost_per_hour    double precision NOT NULL,
    confidence       double precision NOT NULL,
    cooldown_until   timestamptz      NOT NULL,
    PRIMARY KEY (plan_id, sequence)
);
