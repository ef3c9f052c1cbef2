-- Each queue's stored settings: the SLO and planner config every plan of the
-- queue starts from (a request's own fields override them field by field),
-- as the canonical protobuf JSON of horizonscale.v1.Slo and
-- horizonscale.v1.PlannerConfig (lowerCamelCase names, durations as "300s"),
-- e.g. SELECT name, config->>'maxWorkers' FROM queues.
ALTER TABLE queues
    ADD COLUMN slo                  jsonb       NOT NULL DEFAULT '{}',
    ADD COLUMN config               jsonb       NOT NULL DEFAULT '{}',
    -- When UpdateQueue last changed slo or config; NULL: never.
    ADD COLUMN settings_updated_at  timestamptz,
    -- When ResetQueue last cleared the queue's history and last action.
    ADD COLUMN reset_at             timestamptz;
