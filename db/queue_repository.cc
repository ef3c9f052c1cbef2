#include "db/queue_repository.h"

#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

// Columns of QueueRecord, for one queue row `q` with its newest metrics `m`
// and newest plan `p` (lateral joins).
const std::string& QueueColumns() {
  static const std::string columns =
      "q.name, q.slo::text AS slo, q.config::text AS config, " + MicrosOf("q.created_at") +
      " AS created_micros, " + MicrosOf("q.settings_updated_at") + " AS updated_micros, " +
      MicrosOf("q.reset_at") + " AS reset_micros, q.last_action, " + MicrosOf("q.last_action_at") +
      " AS action_micros, q.last_action_workers, " + MicrosOf("m.observed_at") +
      R"sql( AS observed_micros, m.arrival_rate, m.mean_service_time,
      m.service_time_p95, m.service_time_stddev, m.workers, m.utilization, m.backlog,
      m.active_jobs,
      (SELECT count(*) FROM queue_metrics AS c WHERE c.queue = q.name) AS history_samples,
      p.plan_id::text AS plan_id, )sql" +
      MicrosOf("p.generated_at") + " AS plan_micros";
  return columns;
}

const std::string& QueueJoins() {
  static const std::string joins = R"sql(
    FROM queues AS q
    LEFT JOIN LATERAL (SELECT * FROM queue_metrics WHERE queue = q.name
                       ORDER BY observed_at DESC LIMIT 1) AS m ON true
    LEFT JOIN LATERAL (SELECT plan_id, generated_at FROM plans WHERE queue = q.name
                       ORDER BY generated_at DESC, plan_id DESC LIMIT 1) AS p ON true)sql";
  return joins;
}

std::optional<absl::Time> OptionalTime(const pqxx::field& micros) {
  if (micros.is_null()) return std::nullopt;
  return absl::FromUnixMicros(micros.as<int64_t>());
}

// One metrics row (columns as QueueColumns names them).
planner::QueueSample ReadSample(const pqxx::row& row) {
  planner::QueueSample sample;
  sample.time = absl::FromUnixMicros(row["observed_micros"].as<int64_t>());
  sample.arrival_rate = row["arrival_rate"].as<double>();
  sample.mean_service_time = row["mean_service_time"].as<double>();
  if (!row["service_time_p95"].is_null()) {
    sample.service_time_p95 = row["service_time_p95"].as<double>();
  }
  if (!row["service_time_stddev"].is_null()) {
    sample.service_time_stddev = row["service_time_stddev"].as<double>();
  }
  sample.workers = row["workers"].as<int>();
  if (!row["utilization"].is_null()) sample.utilization = row["utilization"].as<double>();
  sample.backlog = row["backlog"].as<int64_t>();
  sample.active_jobs = row["active_jobs"].as<int64_t>();
  return sample;
}

QueueRecord ReadQueue(const pqxx::row& row) {
  QueueRecord queue;
  queue.name = row["name"].as<std::string>();
  queue.settings.slo_json = row["slo"].as<std::string>();
  queue.settings.config_json = row["config"].as<std::string>();
  queue.created_at = absl::FromUnixMicros(row["created_micros"].as<int64_t>());
  queue.settings_updated_at = OptionalTime(row["updated_micros"]);
  queue.reset_at = OptionalTime(row["reset_micros"]);
  if (!row["last_action"].is_null()) {
    planner::LastAction action;
    action.action = row["last_action"].as<std::string>() == "scale_up"
                        ? planner::ScalingAction::kScaleUp
                        : planner::ScalingAction::kScaleDown;
    action.time = absl::FromUnixMicros(row["action_micros"].as<int64_t>());
    action.workers = row["last_action_workers"].as<int>(0);
    queue.last_action = action;
  }
  if (!row["observed_micros"].is_null()) queue.last_metrics = ReadSample(row);
  queue.history_samples = row["history_samples"].as<int64_t>();
  if (!row["plan_id"].is_null()) {
    queue.last_plan_id = row["plan_id"].as<std::string>();
    queue.last_plan_at = OptionalTime(row["plan_micros"]);
  }
  return queue;
}

std::optional<QueueRecord> ReadOne(pqxx::transaction_base& tx, const std::string& name) {
  const pqxx::result rows =
      tx.exec_params("SELECT " + QueueColumns() + QueueJoins() + " WHERE q.name = $1", name);
  if (rows.empty()) return std::nullopt;
  return ReadQueue(rows[0]);
}

void Announce(pqxx::transaction_base& tx, const std::string& name) {
  tx.exec_params("SELECT pg_notify($1, $2)", std::string(kQueueChangedChannel), name);
}

}  // namespace

absl::StatusOr<std::optional<QueueSettings>> LoadQueueSettings(pqxx::connection& connection,
                                                               const std::string& queue) {
  return RunSql<std::optional<QueueSettings>>(
      "reading the settings of queue " + queue, [&]() -> std::optional<QueueSettings> {
        pqxx::read_transaction tx(connection);
        const pqxx::result rows = tx.exec_params(
            "SELECT slo::text AS slo, config::text AS config FROM queues WHERE name = $1", queue);
        if (rows.empty()) return std::nullopt;
        return QueueSettings{rows[0]["slo"].as<std::string>(), rows[0]["config"].as<std::string>()};
      });
}

absl::StatusOr<std::optional<QueueRecord>> GetQueue(pqxx::connection& connection,
                                                    const std::string& name) {
  return RunSql<std::optional<QueueRecord>>("reading queue " + name, [&] {
    pqxx::read_transaction tx(connection);
    return ReadOne(tx, name);
  });
}

absl::StatusOr<std::optional<planner::QueueSample>> LoadLatestMetrics(pqxx::connection& connection,
                                                                      const std::string& queue) {
  return RunSql<std::optional<planner::QueueSample>>(
      "reading the latest metrics of queue " + queue, [&]() -> std::optional<planner::QueueSample> {
        pqxx::read_transaction tx(connection);
        const pqxx::result rows = tx.exec_params(
            "SELECT " + MicrosOf("m.observed_at") + R"sql( AS observed_micros, m.arrival_rate,
              m.mean_service_time, m.service_time_p95, m.service_time_stddev, m.workers,
              m.utilization, m.backlog, m.active_jobs
            FROM queue_metrics AS m WHERE m.queue = $1
            ORDER BY m.observed_at DESC LIMIT 1)sql",
            queue);
        if (rows.empty()) return std::nullopt;
        return ReadSample(rows[0]);
      });
}

absl::StatusOr<std::vector<QueueRecord>> ListQueues(pqxx::connection& connection, int limit,
                                                    const std::optional<std::string>& after) {
  return RunSql<std::vector<QueueRecord>>("listing queues", [&] {
    pqxx::read_transaction tx(connection);
    const std::string select = "SELECT " + QueueColumns() + QueueJoins();
    const pqxx::result rows =
        after.has_value()
            ? tx.exec_params(select + " WHERE q.name > $2 ORDER BY q.name LIMIT $1", limit, *after)
            : tx.exec_params(select + " ORDER BY q.name LIMIT $1", limit);
    std::vector<QueueRecord> queues;
    for (const pqxx::row& row : rows) queues.push_back(ReadQueue(row));
    return queues;
  });
}

absl::StatusOr<QueueRecord> UpdateQueueSettings(pqxx::connection& connection,
                                                const std::string& name,
                                                const SettingsUpdate& update) {
  return RunSql<QueueRecord>("updating queue " + name, [&]() -> absl::StatusOr<QueueRecord> {
    pqxx::work tx(connection);
    tx.exec_params("INSERT INTO queues (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", name);
    const pqxx::row stored = tx.exec_params1(
        "SELECT slo::text AS slo, config::text AS config FROM queues WHERE name = $1 FOR UPDATE",
        name);
    absl::StatusOr<QueueSettings> settings =
        update(QueueSettings{stored["slo"].as<std::string>(), stored["config"].as<std::string>()});
    if (!settings.ok()) return settings.status();  // the transaction rolls back
    tx.exec_params(
        "UPDATE queues SET slo = $2::jsonb, config = $3::jsonb, settings_updated_at = now() "
        "WHERE name = $1",
        name, settings->slo_json, settings->config_json);
    Announce(tx, name);
    std::optional<QueueRecord> updated = ReadOne(tx, name);
    tx.commit();
    return *updated;
  });
}

absl::StatusOr<std::optional<QueueRecord>> ResetQueue(pqxx::connection& connection,
                                                      const std::string& name) {
  return RunSql<std::optional<QueueRecord>>(
      "resetting queue " + name, [&]() -> std::optional<QueueRecord> {
        pqxx::work tx(connection);
        const pqxx::result found = tx.exec_params(
            "UPDATE queues SET last_action = NULL, last_action_at = NULL, "
            "last_action_workers = NULL, reset_at = now() WHERE name = $1 RETURNING name",
            name);
        if (found.empty()) return std::nullopt;
        tx.exec_params("DELETE FROM queue_metrics WHERE queue = $1", name);
        Announce(tx, name);
        std::optional<QueueRecord> reset = ReadOne(tx, name);
        tx.commit();
        return reset;
      });
}

}  // namespace horizonscale::db
