#include "db/plan_writer.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <absl/strings/str_join.h>

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

// "(a, b, c)": one row of a VALUES list from its placeholders.
std::string RowOf(std::initializer_list<std::string> placeholders) {
  return absl::StrCat("(", absl::StrJoin(placeholders, ", "), ")");
}

template <typename T>
std::string Optional(SqlParams& params, const std::optional<T>& value) {
  return value.has_value() ? params.Add(pqxx::to_string(*value)) : params.AddNull();
}

// Runs "<head> VALUES <rows> <tail>" in chunks that respect the parameter
// limit; `add_row` appends one row's parameters and returns "($a, $b, ...)".
template <typename Row, typename AddRow>
std::vector<pqxx::result> InsertRows(pqxx::work& tx, const std::string& head,
                                     const std::vector<Row>& rows, int columns,
                                     const std::string& tail, AddRow add_row) {
  std::vector<pqxx::result> results;
  const size_t rows_per_statement = std::max(1, kMaxStatementParams / columns);
  for (size_t begin = 0; begin < rows.size(); begin += rows_per_statement) {
    SqlParams params;
    std::string sql = absl::StrCat(head, " VALUES ");
    const size_t end = std::min(rows.size(), begin + rows_per_statement);
    for (size_t i = begin; i < end; ++i) {
      if (i > begin) sql += ", ";
      sql += add_row(params, rows[i]);
    }
    absl::StrAppend(&sql, " ", tail);
    results.push_back(tx.exec_params(sql, params.Dynamic()));
  }
  return results;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> StorePlans(pqxx::connection& connection,
                                                    const std::vector<const PlanWrite*>& writes) {
  return RunSql<std::vector<std::string>>("storing a batch of plans", [&] {
    pqxx::work tx(connection);

    std::set<std::string> queue_set;
    for (const PlanWrite* write : writes) queue_set.insert(write->record.queue);
    const std::vector<std::string> queues(queue_set.begin(), queue_set.end());
    InsertRows(
        tx, "INSERT INTO queues (name)", queues, 1, "ON CONFLICT (name) DO NOTHING",
        [](SqlParams& params, const std::string& queue) { return RowOf({params.Add(queue)}); });

    struct MetricRow {
      const std::string* queue;
      const planner::QueueSample* sample;
    };
    std::vector<MetricRow> metrics;
    for (const PlanWrite* write : writes) {
      for (const planner::QueueSample& sample : write->metrics) {
        metrics.push_back({&write->record.queue, &sample});
      }
    }
    std::sort(metrics.begin(), metrics.end(), [](const MetricRow& a, const MetricRow& b) {
      return std::tie(*a.queue, a.sample->time) < std::tie(*b.queue, b.sample->time);
    });
    InsertRows(
        tx,
        "INSERT INTO queue_metrics (queue, observed_at, arrival_rate, mean_service_time, "
        "service_time_p95, service_time_stddev, workers, utilization, backlog, "
        "active_jobs)",
        metrics, 10, "ON CONFLICT (queue, observed_at) DO NOTHING",
        [](SqlParams& p, const MetricRow& row) {
          const planner::QueueSample& s = *row.sample;
          return RowOf({p.Add(*row.queue), p.Add(SqlTimestamp(s.time)),
                        p.Add(Number(s.arrival_rate)), p.Add(Number(s.mean_service_time)),
                        Optional(p, s.service_time_p95), Optional(p, s.service_time_stddev),
                        p.Add(std::to_string(s.workers)), Optional(p, s.utilization),
                        p.Add(std::to_string(s.backlog)), p.Add(std::to_string(s.active_jobs))});
        });

    const std::vector<pqxx::result> inserted_results = InsertRows(
        tx,
        "INSERT INTO plans (plan_id, queue, request_id, generated_at, current_workers, "
        "target_workers, confidence, slo_achievable, auto_apply_recommended, rationale, "
        "forecast_window_seconds, safety_margin, valid_until, current_cost_per_hour, "
        "projected_cost_per_hour, monthly_cost_delta, response)",
        writes, 17, "ON CONFLICT (request_id) DO NOTHING RETURNING plan_id::text",
        [](SqlParams& p, const PlanWrite* write) {
          const PlanRecord& r = write->record;
          const planner::Plan& plan = r.plan;
          return RowOf(
              {p.Add(r.plan_id), p.Add(r.queue),
               r.request_id.empty() ? p.AddNull() : p.Add(r.request_id),
               p.Add(SqlTimestamp(plan.generated_at)), p.Add(std::to_string(plan.current_workers)),
               p.Add(std::to_string(plan.target_workers)), p.Add(Number(plan.confidence)),
               p.Add(plan.slo_achievable ? "true" : "false"),
               p.Add(plan.auto_apply_recommended ? "true" : "false"), p.Add(plan.rationale),
               p.Add(Number(absl::ToDoubleSeconds(r.forecast_window))),
               p.Add(Number(r.safety_margin)), p.Add(SqlTimestamp(plan.valid_until)),
               p.Add(Number(plan.cost.current_per_hour)),
               p.Add(Number(plan.cost.projected_per_hour)), p.Add(Number(plan.cost.monthly_delta)),
               p.Add(ByteaHex(r.response))});
        });
    std::set<std::string> inserted;
    for (const pqxx::result& result : inserted_results) {
      for (const pqxx::row& row : result) inserted.insert(row[0].as<std::string>());
    }

    std::vector<std::string> answers;
    struct StepRow {
      const std::string* plan_id;
      const planner::ScalingStep* step;
    };
    std::vector<StepRow> steps;
    // Latest immediate action per queue among the inserted plans.
    std::map<std::string, std::pair<absl::Time, planner::LastAction>> last_actions;
    for (const PlanWrite* write : writes) {
      const PlanRecord& record = write->record;
      if (!inserted.contains(record.plan_id)) {  // an earlier plan holds this request_id
        const pqxx::result existing = tx.exec_prepared("hs_plan_by_request", record.request_id);
        answers.push_back(pqxx::binarystring(existing.at(0)[0]).str());
        continue;
      }
      answers.push_back(record.response);
      for (const planner::ScalingStep& step : record.plan.steps) {
        steps.push_back({&record.plan_id, &step});
      }
      if (std::optional<planner::LastAction> action = planner::ImmediateAction(record.plan)) {
        auto [it, inserted] =
            last_actions.try_emplace(record.queue, record.plan.generated_at, *action);
        if (!inserted && it->second.first <= record.plan.generated_at) {
          it->second = {record.plan.generated_at, *action};
        }
      }
    }
    InsertRows(
        tx,
        "INSERT INTO plan_steps (plan_id, sequence, scheduled_at, action, from_workers, "
        "to_workers, rationale, cost_per_hour, confidence, cooldown_until)",
        steps, 10, "", [](SqlParams& p, const StepRow& row) {
          const planner::ScalingStep& s = *row.step;
          return RowOf({p.Add(*row.plan_id), p.Add(std::to_string(s.sequence)),
                        p.Add(SqlTimestamp(s.schedule_time)), p.Add(ActionName(s.action)),
                        p.Add(std::to_string(s.from_workers)), p.Add(std::to_string(s.to_workers)),
                        p.Add(s.rationale), p.Add(Number(s.cost_per_hour)),
                        p.Add(Number(s.confidence)), p.Add(SqlTimestamp(s.cooldown_until))});
        });
    using QueueAction = std::pair<std::string, std::pair<absl::Time, planner::LastAction>>;
    const std::vector<QueueAction> actions(last_actions.begin(), last_actions.end());
    InsertRows(tx,
               "UPDATE queues AS q SET last_action = v.action, last_action_at = v.at, "
               "last_action_workers = v.workers FROM (",
               actions, 4, ") AS v (name, action, at, workers) WHERE q.name = v.name",
               [](SqlParams& p,
                  const std::pair<std::string, std::pair<absl::Time, planner::LastAction>>& entry) {
                 const planner::LastAction& action = entry.second.second;
                 return RowOf({absl::StrCat(p.Add(entry.first), "::text"),
                               absl::StrCat(p.Add(ActionName(action.action)), "::text"),
                               absl::StrCat(p.Add(SqlTimestamp(action.time)), "::timestamptz"),
                               absl::StrCat(p.Add(std::to_string(action.workers)), "::integer")});
               });
    tx.commit();
    return answers;
  });
}

PlanWriter::PlanWriter(std::shared_ptr<ConnectionPool> pool, int threads, int max_batch)
    : pool_(std::move(pool)), max_batch_(std::max(1, max_batch)) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Run(); });
}

PlanWriter::~PlanWriter() { Stop(); }

std::future<absl::StatusOr<std::string>> PlanWriter::Submit(PlanWrite write) {
  Pending pending{std::move(write), {}};
  std::future<absl::StatusOr<std::string>> future = pending.done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      pending.done.set_value(absl::CancelledError("the plan writer is stopping"));
      return future;
    }
    queue_.push_back(std::move(pending));
  }
  submitted_.notify_one();
  return future;
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
  absl::StatusOr<std::vector<std::string>> answers =
      [&]() -> absl::StatusOr<std::vector<std::string>> {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
    if (!lease.ok()) return lease.status();
    return StorePlans(**lease, writes);
  }();
  for (size_t i = 0; i < batch.size(); ++i) {
    if (answers.ok()) {
      batch[i].done.set_value(std::move((*answers)[i]));
    } else {
      batch[i].done.set_value(answers.status());
    }
  }
}

}  // namespace horizonscale::db
