-- Queues (worker pools) known to the server, with the last scaling action
-- that the planner's cooldown is measured from.
CREATE TABLE queues (
    name                 text        PRIMARY KEY,
    created_at           timestamptz NOT NULL DEFAULT now(),
    last_action          text        CHECK (last_action IN ('scale_up', 'scale_down')),
    last_action_at       timestamptz,
    last_action_workers  integer     CHECK (last_action_workers >= 0)
);
