-- Idempotency keys decided by the request they were first used with.
--
-- A plan's key is (queue, request_id): the same request_id on two queues
-- names two independent plans. Beside it the plan keeps a fingerprint of the
-- request that made it (SHA-256 of the request's deterministic protobuf
-- serialization): a retry with the same fingerprint gets the stored answer,
-- a different request under the same key is refused. Rows stored before this
-- migration have no fingerprint and answer any request under their key, as
-- they did.
ALTER TABLE plans ADD COLUMN request_fingerprint bytea;
ALTER TABLE plans DROP CONSTRAINT plans_request_id_key;
-- request_id first: clients' keys (often sequential) then insert near each
-- other in the index, as they did in the old one on request_id alone.
ALTER TABLE plans ADD CONSTRAINT plans_request_id_queue_key UNIQUE (request_id, queue);

-- A tournament run's key stays request_id alone (runs belong to no queue).
ALTER TABLE fleet_runs ADD COLUMN request_fingerprint bytea;
