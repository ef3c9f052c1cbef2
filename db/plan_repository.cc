#include "db/plan_repository.h"

#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

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
    SELECT floor(extract(epoch from observed_at) / $3)::bigint AS cell,
           avg(arrival_rate) AS arrival_rate, avg(mean_service_time) AS mean_service_time,
           max(workers) AS workers
    FROM queue_metrics
    WHERE queue = $1 AND observed_at <= $2::timestamptz
      AND observed_at > $2::timestamptz - make_interval(secs => $4)
    GROUP BY cell ORDER BY cell)sql");
  connection.prepare("hs_last_action", R"sql(
    SELECT last_action, )sql" + MicrosOf("last_action_at") +
                                           R"sql( AS at_micros, last_action_workers
    FROM queues WHERE name = $1 AND last_action IS NOT NULL)sql");
  connection.prepare("hs_plan_by_request", R"sql(
    SELECT plan_id::text AS plan_id, request_fingerprint, response
    FROM plans WHERE queue = $1 AND request_id = $2)sql");
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
      sample.time =
          absl::UnixEpoch() + (row["cell"].as<int64_t>() + 1) * bucket - absl::Microseconds(1);
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
        after.has_value() ? tx.exec_prepared("hs_list_plans_after", queue, limit,
                                             SqlTimestamp(after->generated_at), after->plan_id)
                          : tx.exec_prepared("hs_list_plans", queue, limit);
    std::vector<StoredPlan> plans;
    for (const pqxx::row& row : rows) plans.push_back(ReadStoredPlan(row));
    return plans;
  });
}

}  // namespace horizonscale::db
