#include "db/plan_repository.h"

#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

const char* ActionName(planner::ScalingAction action) {
  switch (action) {
    case planner::ScalingAction::kScaleUp: return "scale_up";
    case planner::ScalingAction::kScaleDown: return "scale_down";
    case planner::ScalingAction::kNoChange: return "no_change";
  }
  return "no_change";
}

template <typename T>
const char* OrNull(const std::optional<T>& value, std::string& storage) {
  if (!value.has_value()) return nullptr;
  storage = pqxx::to_string(*value);
  return storage.c_str();
}

StoredPlan ReadStoredPlan(const pqxx::row& row) {
  StoredPlan plan;
  plan.plan_id = row["plan_id"].as<std::string>();
  plan.generated_at = absl::FromUnixMicros(row["generated_micros"].as<int64_t>());
  plan.response = pqxx::binarystring(row["response"]).str();
  return plan;
}

}  // namespace

void PreparePlanStatements(pqxx::connection& connection) {
  connection.prepare("hs_history", R"sql(
    SELECT floor(extract(epoch from ($2::timestamptz - observed_at)) / $3)::bigint AS bucket,
           avg(arrival_rate) AS arrival_rate, avg(mean_service_time) AS mean_service_time,
           max(workers) AS workers
    FROM queue_metrics
    WHERE queue = $1 AND observed_at <= $2::timestamptz
      AND observed_at > $2::timestamptz - make_interval(secs => $4)
    GROUP BY bucket ORDER BY bucket)sql");
  connection.prepare("hs_last_action", R"sql(
    SELECT last_action, )sql" + MicrosOf("last_action_at") + R"sql( AS at_micros, last_action_workers
    FROM queues WHERE name = $1 AND last_action IS NOT NULL)sql");
  connection.prepare("hs_plan_by_request",
                     "SELECT response FROM plans WHERE request_id = $1");
  connection.prepare("hs_upsert_queue",
                     "INSERT INTO queues (name) VALUES ($1) ON CONFLICT (name) DO NOTHING");
  connection.prepare("hs_insert_metric", R"sql(
    INSERT INTO queue_metrics (queue, observed_at, arrival_rate, mean_service_time,
        service_time_p95, service_time_stddev, workers, utilization, backlog, active_jobs)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (queue, observed_at) DO NOTHING)sql");
  connection.prepare("hs_insert_plan", R"sql(
    INSERT INTO plans (plan_id, queue, request_id, generated_at, current_workers, target_workers,
        confidence, slo_achievable, auto_apply_recommended, rationale, forecast_window_seconds,
        safety_margin, valid_until, current_cost_per_hour, projected_cost_per_hour,
        monthly_cost_delta, response)
    VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
            $17::bytea)
    ON CONFLICT (request_id) DO NOTHING
    RETURNING plan_id)sql");
  connection.prepare("hs_insert_step", R"sql(
    INSERT INTO plan_steps (plan_id, sequence, scheduled_at, action, from_workers, to_workers,
        rationale, cost_per_hour, confidence, cooldown_until)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql");
  connection.prepare("hs_record_action", R"sql(
    UPDATE queues SET last_action = $2, last_action_at = $3, last_action_workers = $4
    WHERE name = $1)sql");
  const std::string plan_columns =
      "plan_id::text AS plan_id, " + MicrosOf("generated_at") + " AS generated_micros, response";
  connection.prepare("hs_get_plan",
                     "SELECT " + plan_columns + " FROM plans WHERE plan_id = $1::uuid");
  connection.prepare("hs_list_plans", "SELECT " + plan_columns + R"sql(
    FROM plans WHERE queue = $1 ORDER BY generated_at DESC, plan_id DESC LIMIT $2)sql");
  connection.prepare("hs_list_plans_after", "SELECT " + plan_columns + R"sql(
    FROM plans WHERE queue = $1 AND (generated_at, plan_id) < ($3::timestamptz, $4::uuid)
    ORDER BY generated_at DESC, plan_id DESC LIMIT $2)sql");
}

absl::StatusOr<QueueHistory> LoadQueueHistory(pqxx::connection& connection,
                                              const std::string& queue, absl::Time now,
                                              absl::Duration window, absl::Duration bucket) {
  return RunSql<QueueHistory>("loading the history of queue " + queue, [&] {
    pqxx::read_transaction tx(connection);
    QueueHistory history;
    const pqxx::result rows =
        tx.exec_prepared("hs_history", queue, SqlTimestamp(now), absl::ToDoubleSeconds(bucket),
                         absl::ToDoubleSeconds(window));
    for (const pqxx::row& row : rows) {
      planner::QueueSample sample;
      sample.time = now - row["bucket"].as<int64_t>() * bucket;
      sample.arrival_rate = row["arrival_rate"].as<double>();
      sample.mean_service_time = row["mean_service_time"].as<double>();
      sample.workers = row["workers"].as<int>();
      history.samples.push_back(sample);
    }
    const pqxx::result last = tx.exec_prepared("hs_last_action", queue);
    if (!last.empty()) {
      planner::LastAction action;
      const std::string name = last[0]["last_action"].as<std::string>();
      action.action = name == "scale_up" ? planner::ScalingAction::kScaleUp
                                         : planner::ScalingAction::kScaleDown;
      action.time = absl::FromUnixMicros(last[0]["at_micros"].as<int64_t>());
      action.workers = last[0]["last_action_workers"].as<int>(0);
      history.last_action = action;
    }
    return history;
  });
}

absl::StatusOr<std::optional<std::string>> FindPlanByRequestId(pqxx::connection& connection,
                                                               const std::string& request_id) {
  return RunSql<std::optional<std::string>>(
      "looking up request_id " + request_id, [&]() -> std::optional<std::string> {
        pqxx::read_transaction tx(connection);
        const pqxx::result rows = tx.exec_prepared("hs_plan_by_request", request_id);
        if (rows.empty()) return std::nullopt;
        return pqxx::binarystring(rows[0][0]).str();
      });
}

absl::StatusOr<std::string> StorePlan(pqxx::connection& connection, const PlanRecord& record,
                                      std::span<const planner::QueueSample> metrics) {
  return RunSql<std::string>("storing a plan of queue " + record.queue, [&]() -> std::string {
    pqxx::work tx(connection);
    tx.exec_prepared0("hs_upsert_queue", record.queue);
    for (const planner::QueueSample& sample : metrics) {
      std::string p95, stddev, utilization;
      tx.exec_prepared0("hs_insert_metric", record.queue, SqlTimestamp(sample.time),
                        sample.arrival_rate, sample.mean_service_time,
                        OrNull(sample.service_time_p95, p95),
                        OrNull(sample.service_time_stddev, stddev), sample.workers,
                        OrNull(sample.utilization, utilization), sample.backlog,
                        sample.active_jobs);
    }
    const planner::Plan& plan = record.plan;
    const pqxx::result inserted = tx.exec_prepared(
        "hs_insert_plan", record.plan_id, record.queue, record.request_id,
        SqlTimestamp(plan.generated_at), plan.current_workers, plan.target_workers,
        plan.confidence, plan.slo_achievable, plan.auto_apply_recommended, plan.rationale,
        absl::ToDoubleSeconds(record.forecast_window), record.safety_margin,
        SqlTimestamp(plan.valid_until), plan.cost.current_per_hour, plan.cost.projected_per_hour,
        plan.cost.monthly_delta, ByteaHex(record.response));
    if (inserted.empty()) {  // a plan with this request_id exists: answer with it
      const pqxx::result existing = tx.exec_prepared("hs_plan_by_request", record.request_id);
      tx.commit();
      return pqxx::binarystring(existing.at(0)[0]).str();
    }
    for (const planner::ScalingStep& step : plan.steps) {
      tx.exec_prepared0("hs_insert_step", record.plan_id, step.sequence,
                        SqlTimestamp(step.schedule_time), ActionName(step.action),
                        step.from_workers, step.to_workers, step.rationale, step.cost_per_hour,
                        step.confidence, SqlTimestamp(step.cooldown_until));
    }
    if (!plan.steps.empty() && plan.steps.front().schedule_time <= plan.generated_at &&
        plan.steps.front().action != planner::ScalingAction::kNoChange) {
      const planner::ScalingStep& first = plan.steps.front();
      tx.exec_prepared0("hs_record_action", record.queue, ActionName(first.action),
                        SqlTimestamp(first.schedule_time), first.to_workers);
    }
    tx.commit();
    return record.response;
  });
}

absl::StatusOr<std::optional<StoredPlan>> GetPlan(pqxx::connection& connection,
                                                  const std::string& plan_id) {
  return RunSql<std::optional<StoredPlan>>(
      "reading plan " + plan_id, [&]() -> std::optional<StoredPlan> {
        pqxx::read_transaction tx(connection);
        const pqxx::result rows = tx.exec_prepared("hs_get_plan", plan_id);
        if (rows.empty()) return std::nullopt;
        return ReadStoredPlan(rows[0]);
      });
}

absl::StatusOr<std::vector<StoredPlan>> ListPlans(pqxx::connection& connection,
                                                  const std::string& queue, int limit,
                                                  const std::optional<PlanCursor>& after) {
  return RunSql<std::vector<StoredPlan>>("listing plans of queue " + queue, [&] {
    pqxx::read_transaction tx(connection);
    const pqxx::result rows =
        after.has_value()
            ? tx.exec_prepared("hs_list_plans_after", queue, limit,
                               SqlTimestamp(after->generated_at), after->plan_id)
            : tx.exec_prepared("hs_list_plans", queue, limit);
    std::vector<StoredPlan> plans;
    for (const pqxx::row& row : rows) plans.push_back(ReadStoredPlan(row));
    return plans;
  });
}

}  // namespace horizonscale::db
