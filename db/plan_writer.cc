#include "db/plan_writer.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <span>
#include <tuple>

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>

#include "db/queue_repository.h"
#include "db/sql_support.h"
#include "planner/planner.h"

namespace horizonscale::db {
namespace {

const char* ActionName(planner::ScalingAction action) {
  switch (action) {
    case planner::ScalingAction::kScaleUp:
      return "scale_up";
    case planner::ScalingAction::kScaleDown:
      return "scale_down";
    case planner::ScalingAction::kNoChange:
      return "no_change";
  }
  return "no_change";
}

std::string Number(double value) { return pqxx::to_string(value); }

// One batch as column arrays, a row at a time: each column becomes one array
// parameter of the store statement.
class BatchColumns {
 public:
  explicit BatchColumns(size_t columns) : arrays_(columns) {}
  // Appends a row; nullopt is NULL. Takes exactly one value per column.
  void AddRow(std::initializer_list<std::optional<std::string>> values) {
    auto array = arrays_.begin();
    for (const std::optional<std::string>& value : values) {
      value.has_value() ? array->Add(*value) : array->AddNull();
      ++array;
    }
  }
  // Appends the columns' literals to `params`.
  void AppendTo(std::vector<std::string>& params) const {
    for (const SqlArray& array : arrays_) params.push_back(array.Literal());
  }

 private:
  std::vector<SqlArray> arrays_;
};

template <typename T>
std::optional<std::string> Optional(const std::optional<T>& value) {
  if (!value.has_value()) return std::nullopt;
  return pqxx::to_string(*value);
}

// The whole batch in one statement, so one round trip writes it atomically:
// plans (a (queue, request_id) already stored keeps its first plan), the
// queues with their latest scaling action (taken only from plans inserted
// now), the metrics and the steps of the inserted plans (a retry's metrics
// came with its first write; a refused write stores nothing). Foreign keys
// are checked at the end of the statement, so the order of the parts does
// not matter to them. A new queue gets its action as it is inserted (the
// UPDATE cannot see rows this statement inserts); only queues with an action
// have their rows locked, so concurrent batches of the same queues do not
// wait on each other. Returns the ids of the inserted plans (fresh) and, for
// the batch's keys stored before, the plans holding them.
constexpr char kStorePlansStatement[] = "hs_store_plans";
constexpr char kStorePlansSql[] = R"sql(
WITH new_plans AS (
  INSERT INTO plans (plan_id, queue, request_id, generated_at, current_workers, target_workers,
                     confidence, slo_achievable, auto_apply_recommended, rationale,
                     forecast_window_seconds, safety_margin, valid_until, current_cost_per_hour,
                     projected_cost_per_hour, monthly_cost_delta, request_fingerprint, response)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::integer[],
                       $6::integer[], $7::float8[], $8::boolean[], $9::boolean[], $10::text[],
                       $11::float8[], $12::float8[], $13::timestamptz[], $14::float8[],
                       $15::float8[], $16::float8[], $17::bytea[], $18::bytea[])
  ON CONFLICT (request_id, queue) DO NOTHING
  RETURNING plan_id
), actions AS (
  SELECT u.*, u.plan_id IN (SELECT plan_id FROM new_plans) AS applied
  FROM unnest($19::text[], $20::uuid[], $21::text[], $22::timestamptz[], $23::integer[])
    AS u (name, plan_id, action, at, workers)
), new_queues AS (
  INSERT INTO queues (name, last_action, last_action_at, last_action_workers)
  SELECT name, CASE WHEN applied THEN action END, CASE WHEN applied THEN at END,
         CASE WHEN applied THEN workers END
  FROM actions
  ON CONFLICT (name) DO NOTHING
), queue_actions AS (
  UPDATE queues AS q
  SET last_action = a.action, last_action_at = a.at, last_action_workers = a.workers
  FROM actions AS a
  WHERE q.name = a.name AND a.applied
    AND (q.last_action_at IS NULL OR q.last_action_at <= a.at)
), metric_rows AS (
  INSERT INTO queue_metrics (queue, observed_at, arrival_rate, mean_service_time,
                             service_time_p95, service_time_stddev, workers, utilization,
                             backlog, active_jobs)
  SELECT m.queue, m.observed_at, m.arrival_rate, m.mean_service_time, m.service_time_p95,
         m.service_time_stddev, m.workers, m.utilization, m.backlog, m.active_jobs
  FROM unnest($24::uuid[], $25::text[], $26::timestamptz[], $27::float8[], $28::float8[],
              $29::float8[], $30::float8[], $31::integer[], $32::float8[], $33::bigint[],
              $34::bigint[])
    AS m (plan_id, queue, observed_at, arrival_rate, mean_service_time, service_time_p95,
          service_time_stddev, workers, utilization, backlog, active_jobs)
  WHERE m.plan_id IN (SELECT plan_id FROM new_plans)
  ON CONFLICT (queue, observed_at) DO NOTHING
), step_rows AS (
  INSERT INTO plan_steps (plan_id, sequence, scheduled_at, action, from_workers, to_workers,
                          rationale, cost_per_hour, confidence, cooldown_until)
  SELECT s.* FROM unnest($35::uuid[], $36::integer[], $37::timestamptz[], $38::text[],
                         $39::integer[], $40::integer[], $41::text[], $42::float8[],
                         $43::float8[], $44::timestamptz[])
    AS s (plan_id, sequence, scheduled_at, action, from_workers, to_workers, rationale,
          cost_per_hour, confidence, cooldown_until)
  WHERE s.plan_id IN (SELECT plan_id FROM new_plans)
)
SELECT true AS fresh, plan_id::text AS plan_id, NULL::text AS queue, NULL::text AS request_id,
       NULL::bytea AS request_fingerprint, NULL::bytea AS response
FROM new_plans
UNION ALL
SELECT false, p.plan_id::text, p.queue, p.request_id, p.request_fingerprint, p.response
FROM unnest($2::text[], $3::text[]) AS k (queue, request_id)
JOIN plans AS p ON p.queue = k.queue AND p.request_id = k.request_id)sql";

// Records `action` as the queue's last one unless a later one is recorded.
constexpr char kRecordActionStatement[] = "hs_record_action";
constexpr char kRecordActionSql[] = R"sql(
UPDATE queues SET last_action = $2, last_action_at = $3::timestamptz, last_action_workers = $4
WHERE name = $1 AND (last_action_at IS NULL OR last_action_at <= $3::timestamptz))sql";

// The action a write's plan would record, if any.
std::optional<planner::LastAction> ActionOf(const PlanWrite& write) {
  return planner::ImmediateAction(write.record.plan);
}

// Per queue (sorted by name), the write whose action is latest among
// `writes`, or null when none has an action.
std::map<std::string, const PlanWrite*> LatestActions(const std::vector<const PlanWrite*>& writes) {
  std::map<std::string, const PlanWrite*> latest;
  for (const PlanWrite* write : writes) {
    const PlanWrite*& held = latest[write->record.queue];
    if (!ActionOf(*write).has_value()) continue;
    if (held == nullptr || held->record.plan.generated_at <= write->record.plan.generated_at) {
      held = write;
    }
  }
  return latest;
}

// The store statement's parameters for `writes` (request ids unique).
std::vector<std::string> StoreParams(const std::vector<const PlanWrite*>& writes) {
  BatchColumns plans(18), queues(5), metrics(11), steps(10);
  // Plans ordered by key (as its index), queues by name and metrics by queue
  // and time: concurrent batches then take row and index locks in the same
  // order and cannot deadlock each other.
  std::vector<const PlanWrite*> by_request = writes;
  std::sort(by_request.begin(), by_request.end(), [](const PlanWrite* a, const PlanWrite* b) {
    return std::tie(a->record.request_id, a->record.queue) <
           std::tie(b->record.request_id, b->record.queue);
  });
  for (const PlanWrite* write : by_request) {
    const PlanRecord& r = write->record;
    const planner::Plan& plan = r.plan;
    plans.AddRow({r.plan_id, r.queue,
                  r.request_id.empty() ? std::nullopt : std::optional<std::string>(r.request_id),
                  SqlTimestamp(plan.generated_at), std::to_string(plan.current_workers),
                  std::to_string(plan.target_workers), Number(plan.confidence),
                  plan.slo_achievable ? "t" : "f", plan.auto_apply_recommended ? "t" : "f",
                  plan.rationale, Number(absl::ToDoubleSeconds(r.forecast_window)),
                  Number(r.safety_margin), SqlTimestamp(plan.valid_until),
                  Number(plan.cost.current_per_hour), Number(plan.cost.projected_per_hour),
                  Number(plan.cost.monthly_delta), ByteaHex(r.request_fingerprint),
                  ByteaHex(r.response)});
    for (const planner::ScalingStep& s : plan.steps) {
      steps.AddRow({r.plan_id, std::to_string(s.sequence), SqlTimestamp(s.schedule_time),
                    ActionName(s.action), std::to_string(s.from_workers),
                    std::to_string(s.to_workers), s.rationale, Number(s.cost_per_hour),
                    Number(s.confidence), SqlTimestamp(s.cooldown_until)});
    }
  }
  for (const auto& [queue, write] : LatestActions(writes)) {
    if (write == nullptr) {
      queues.AddRow({queue, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
      continue;
    }
    const planner::LastAction action = *ActionOf(*write);
    queues.AddRow({queue, write->record.plan_id, ActionName(action.action),
                   SqlTimestamp(action.time), std::to_string(action.workers)});
  }
  std::vector<std::pair<const PlanRecord*, const planner::QueueSample*>> samples;
  for (const PlanWrite* write : writes) {
    for (const planner::QueueSample& sample : write->metrics) {
      samples.emplace_back(&write->record, &sample);
    }
  }
  std::sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first->queue, a.second->time) < std::tie(b.first->queue, b.second->time);
  });
  for (const auto& [record, sample] : samples) {
    const planner::QueueSample& s = *sample;
    metrics.AddRow({record->plan_id, record->queue, SqlTimestamp(s.time), Number(s.arrival_rate),
                    Number(s.mean_service_time), Optional(s.service_time_p95),
                    Optional(s.service_time_stddev), std::to_string(s.workers),
                    Optional(s.utilization), std::to_string(s.backlog),
                    std::to_string(s.active_jobs)});
  }
  std::vector<std::string> params;
  for (const BatchColumns* columns : {&plans, &queues, &metrics, &steps}) {
    columns->AppendTo(params);
  }
  return params;
}

// The plan holding a key: its id, its request's fingerprint (none for plans
// stored before fingerprints) and its stored answer.
struct KeyHolder {
  std::string plan_id;
  std::optional<std::string> fingerprint;
  std::string response;
};

KeyHolder ReadHolder(const pqxx::row& row) {
  KeyHolder holder;
  holder.plan_id = row["plan_id"].as<std::string>();
  if (!row["request_fingerprint"].is_null()) {
    holder.fingerprint = pqxx::binarystring(row["request_fingerprint"]).str();
  }
  holder.response = pqxx::binarystring(row["response"]).str();
  return holder;
}

// The answer to `write` under a key held by `holder`: the stored answer for
// a retry (same fingerprint, or a holder without one), ALREADY_EXISTS naming
// the holder otherwise.
PlanAnswer AnswerFromHolder(const PlanWrite& write, const KeyHolder& holder) {
  if (!holder.fingerprint.has_value() || *holder.fingerprint == write.record.request_fingerprint) {
    return holder.response;
  }
  return absl::AlreadyExistsError(absl::StrCat(
      "request_id \"", absl::CHexEscape(write.record.request_id), "\" of queue \"",
      absl::CHexEscape(write.record.queue), "\" already identifies plan ", holder.plan_id,
      ", generated for a different request; a retry must repeat its request unchanged, and a "
      "new request needs a new request_id"));
}

bool IsLostConnection(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable;
}

void StoreIsolated(pqxx::connection& connection, std::span<const PlanWrite* const> writes,
                   std::span<PlanAnswer> answers) {
  if (!connection.is_open()) {  // lost while storing an earlier part
    for (PlanAnswer& answer : answers) {
      answer = absl::UnavailableError("storing a plan: database connection lost");
    }
    return;
  }
  absl::StatusOr<std::vector<PlanAnswer>> stored =
      StorePlans(connection, std::vector<const PlanWrite*>(writes.begin(), writes.end()));
  if (stored.ok()) {
    std::move(stored->begin(), stored->end(), answers.begin());
    return;
  }
  if (writes.size() == 1 || IsLostConnection(stored.status())) {
    // A statement's error may quote any write of it: only a part of one write
    // gets it. A lost connection's error is libpq's, about the connection.
    for (PlanAnswer& answer : answers) answer = stored.status();
    return;
  }
  const size_t half = writes.size() / 2;
  StoreIsolated(connection, writes.first(half), answers.first(half));
  StoreIsolated(connection, writes.subspan(half), answers.subspan(half));
}

}  // namespace

absl::StatusOr<std::vector<PlanAnswer>> StorePlans(pqxx::connection& connection,
                                                   const std::vector<const PlanWrite*>& writes) {
  return RunSql<std::vector<PlanAnswer>>("storing a batch of plans", [&] {
    // A key twice in the batch: the first write is stored, the later ones
    // answer against it.
    using Key = std::pair<std::string, std::string>;  // queue, request_id
    std::vector<const PlanWrite*> unique;
    std::vector<size_t> source(writes.size());  // index into `unique`
    std::map<Key, size_t> by_key;
    for (size_t i = 0; i < writes.size(); ++i) {
      const PlanRecord& record = writes[i]->record;
      if (record.request_id.empty()) {
        source[i] = unique.size();
        unique.push_back(writes[i]);
        continue;
      }
      auto [it, first] = by_key.try_emplace(Key{record.queue, record.request_id}, unique.size());
      if (first) unique.push_back(writes[i]);
      source[i] = it->second;
    }

    connection.prepare(kStorePlansStatement, kStorePlansSql);
    connection.prepare(kRecordActionStatement, kRecordActionSql);
    pqxx::nontransaction tx(connection);  // one statement: atomic on its own
    const std::vector<std::string> params = StoreParams(unique);
    const pqxx::result rows =
        tx.exec_prepared(kStorePlansStatement, pqxx::prepare::make_dynamic_params(params));
    std::set<std::string> inserted;
    std::map<Key, KeyHolder> stored_before;
    for (const pqxx::row& row : rows) {
      if (row["fresh"].as<bool>()) {
        inserted.insert(row["plan_id"].as<std::string>());
      } else {
        stored_before[Key{row["queue"].as<std::string>(), row["request_id"].as<std::string>()}] =
            ReadHolder(row);
      }
    }

    std::vector<KeyHolder> holders;  // per unique write
    for (const PlanWrite* write : unique) {
      const PlanRecord& record = write->record;
      if (inserted.contains(record.plan_id)) {
        holders.push_back({record.plan_id, record.request_fingerprint, record.response});
      } else if (auto it = stored_before.find(Key{record.queue, record.request_id});
                 it != stored_before.end()) {
        holders.push_back(it->second);
      } else {  // committed by another server while this statement ran
        holders.push_back(ReadHolder(
            tx.exec_prepared("hs_plan_by_request", record.queue, record.request_id).at(0)));
      }
    }
    // A queue whose latest action came from a plan that turned out to be a
    // retry records the latest action among its plans inserted now instead.
    for (const auto& [queue, chosen] : LatestActions(unique)) {
      if (chosen == nullptr || inserted.contains(chosen->record.plan_id)) continue;
      std::vector<const PlanWrite*> fresh;
      for (const PlanWrite* write : unique) {
        if (write->record.queue == queue && inserted.contains(write->record.plan_id)) {
          fresh.push_back(write);
        }
      }
      if (const PlanWrite* write = LatestActions(fresh)[queue]; write != nullptr) {
        const planner::LastAction action = *ActionOf(*write);
        tx.exec_prepared(kRecordActionStatement, queue, ActionName(action.action),
                         SqlTimestamp(action.time), action.workers);
      }
    }

    // Announce the queues whose last action this batch recorded, so other
    // replicas drop the cooldown state they hold (db/queue_change_listener.h).
    std::set<std::string> announced;
    for (const PlanWrite* write : unique) {
      if (inserted.contains(write->record.plan_id) && ActionOf(*write).has_value()) {
        announced.insert(write->record.queue);
      }
    }
    if (!announced.empty()) {
      SqlArray names;
      for (const std::string& queue : announced) names.Add(queue);
      tx.exec_params("SELECT pg_notify($1, name) FROM unnest($2::text[]) AS name",
                     std::string(kQueueChangedChannel), names.Literal());
    }

    std::vector<PlanAnswer> answers;
    for (size_t i = 0; i < writes.size(); ++i) {
      answers.push_back(AnswerFromHolder(*writes[i], holders[source[i]]));
    }
    return answers;
  });
}

std::vector<PlanAnswer> StorePlansIsolated(pqxx::connection& connection,
                                           const std::vector<const PlanWrite*>& writes) {
  std::vector<PlanAnswer> answers(writes.size(), absl::UnknownError("not stored"));
  StoreIsolated(connection, writes, answers);
  return answers;
}

PlanWriter::PlanWriter(std::shared_ptr<ConnectionPool> pool, int threads, int max_batch,
                       BatchObserver on_batch)
    : pool_(std::move(pool)), max_batch_(std::max(1, max_batch)), on_batch_(std::move(on_batch)) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Run(); });
}

PlanWriter::~PlanWriter() { Stop(); }

std::future<absl::StatusOr<std::string>> PlanWriter::Submit(PlanWrite write) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<std::string>>>();
  std::future<absl::StatusOr<std::string>> future = promise->get_future();
  Submit(std::move(write),
         [promise](absl::StatusOr<std::string> answer) { promise->set_value(std::move(answer)); });
  return future;
}

void PlanWriter::Submit(PlanWrite write, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(write), std::move(done)});
      submitted_.notify_one();
      return;
    }
  }
  done(absl::CancelledError("the plan writer is stopping"));
}

void PlanWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  submitted_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void PlanWriter::Run() {
  while (true) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      submitted_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was written
      while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    WriteBatch(batch);
  }
}

void PlanWriter::WriteBatch(std::vector<Pending>& batch) {
  std::vector<const PlanWrite*> writes;
  for (const Pending& pending : batch) writes.push_back(&pending.write);
  const auto start = std::chrono::steady_clock::now();
  std::vector<PlanAnswer> answers = [&] {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
    if (!lease.ok()) {
      return std::vector<PlanAnswer>(
          writes.size(),
          absl::UnavailableError(absl::StrCat("storing a plan: ", lease.status().message())));
    }
    return StorePlansIsolated(**lease, writes);
  }();
  if (on_batch_) {
    on_batch_(static_cast<int>(batch.size()),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(answers[i]));
}

}  // namespace horizonscale::db
