// GeneratePlan's orchestration, in the order a request goes through it:
// take the queue's stored settings (memory, else the database) under the
// request's own slo and config fields, validate and map the request to the
// planner's domain (server/planner/plan_request.h), read the queue's history (memory, else the
// database), compute the plan (planner/planner.h), validate it by simulation
// when asked (server/planner/plan_validation.h), map it back to the response
// (server/planner/plan_response.h) and persist it (db/plan_writer.h), answering once
// it is committed.
//
// Thread safety: Generate may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "db/connection_pool.h"
#include "db/plan_writer.h"
#include "db/queue_repository.h"
#include "horizonscale/v1/planner_service.pb.h"
#include "planner/plan.h"
#include "server/metrics/planner_metrics.h"
#include "server/metrics/process_metrics.h"
#include "server/planner/forecast_choice_cache.h"
#include "server/planner/forecast_reselector.h"
#include "server/planner/queue_history_cache.h"
#include "server/planner/queue_settings_cache.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {

class PlanGenerator {
 public:
  // The database pool once it is usable; null while it is not.
  using PoolProvider = std::function<std::shared_ptr<db::ConnectionPool>()>;

  // With `persist_plans` false nothing is written to (or read from) the
  // database: history lives in `history` only and request_id retries are not
  // recognised, and no stored settings apply. A validation by simulation
  // estimated above `max_simulation_events` is refused. `history` and
  // `settings` must outlive the generator.
  PlanGenerator(PoolProvider pool, bool persist_plans, int64_t max_simulation_events,
                QueueHistoryCache& history, QueueSettingsCache& settings);
  // Drains the plans submitted for storage (Stop()).
  ~PlanGenerator();

  // Commits and answers every plan submitted for storage (their callbacks
  // and the metrics observer run before it returns); a plan generated later
  // is not stored and its caller gets an error. Idempotent.
  void Stop();

  // Answers `request` into `response` through `done`, possibly after
  // returning (once a persisted plan is committed); `request` and `response`
  // must stay alive until then. Errors: INVALID_ARGUMENT naming every bad
  // field (server/planner/plan_request.h) or a config the planner rejects
  // (CONFIG_INVALID); FAILED_PRECONDITION for INSUFFICIENT_HISTORY and, with
  // fail_if_slo_unachievable, SLO_UNACHIEVABLE; UNAVAILABLE while the
  // database is not reachable (persisted plans); ALREADY_EXISTS
  // (IDEMPOTENCY_KEY_REUSED) for a request_id reused with another request;
  // RESOURCE_EXHAUSTED (SIMULATION_TOO_LARGE) for a validation by simulation
  // above the limit. A retry with a stored request_id answers the stored plan.
  // Blocks only when the plan is persisted or validated by simulation.
  void Generate(grpc::CallbackServerContext* context,
                const horizonscale::v1::GeneratePlanRequest& request,
                horizonscale::v1::GeneratePlanResponse& response, UnaryDone done);

  // Plans `request` as Generate does but stores and records nothing (no
  // plan, no metrics, no action) and applies no cooldown (the queue's
  // recorded actions are ignored): a plan derived from metrics already
  // recorded for an actuator with its own damping, the KEDA scaler's HPA. `request` must not ask
  // for validation by simulation. Errors: as Generate's. May read the database.
  grpc::Status Derive(const horizonscale::v1::GeneratePlanRequest& request,
                      horizonscale::v1::GeneratePlanResponse& response);

  // Called with a queue's current metrics (observe time resolved) each time
  // a plan has recorded them (committed, or held in memory when nothing is
  // persisted). Set before the first Generate; runs on the thread that
  // completes the plan and must not block.
  using MetricsObserver =
      std::function<void(const std::string& queue, const planner::QueueSample& current)>;
  void SetMetricsObserver(MetricsObserver observer) { metrics_observer_ = std::move(observer); }

  // Where validations by simulation and the plan writer's commits are
  // counted (either may be null). Set before the first Generate; both must
  // outlive the generator.
  void SetMetrics(PlannerMetrics* planner, ProcessMetrics* process) {
    planner_metrics_ = planner;
    process_metrics_ = process;
  }

  // True when Generate may block (it reads the database or simulates) for
  // `request`; false when it is memory-only planning taking microseconds.
  bool MayBlock(const horizonscale::v1::GeneratePlanRequest& request) const;

 private:
  // A generated plan waiting to be stored, and what to do once it is.
  struct PendingCommit {
    std::shared_ptr<db::ConnectionPool> pool;
    std::string own_answer;  // the serialized response of this call
    db::PlanWrite write;
    std::vector<planner::QueueSample> metrics;  // to record in the history cache
    std::optional<planner::LastAction> action;
  };

  // Generate up to storage: validates, plans and fills `response`. When the
  // plan is to be persisted, fills `commit` and leaves the answer to the
  // commit; otherwise the returned status is the answer.
  // With `keep` false (Derive) nothing is stored or recorded.
  grpc::Status Prepare(grpc::CallbackServerContext* context,
                       const horizonscale::v1::GeneratePlanRequest& request,
                       horizonscale::v1::GeneratePlanResponse& response,
                       std::optional<PendingCommit>& commit, bool keep = true);

  // The group-commit writer, created with the pool on first use.
  db::PlanWriter* Writer(const std::shared_ptr<db::ConnectionPool>& pool);

  const PoolProvider pool_;
  const bool persist_plans_;
  const int64_t max_simulation_events_;
  QueueHistoryCache& history_;
  QueueSettingsCache& settings_;
  // Each queue's automatic forecast-model selection, renewed hourly in the
  // background (declared before its renewer, which uses it).
  ForecastChoiceCache forecast_choices_;
  ForecastReselector forecast_reselector_{forecast_choices_};
  MetricsObserver metrics_observer_;
  PlannerMetrics* planner_metrics_ = nullptr;
  ProcessMetrics* process_metrics_ = nullptr;
  std::mutex writer_mutex_;
  std::unique_ptr<db::PlanWriter> writer_;  // guarded by writer_mutex_
};

// A queue's history from the database within (now − window, now] in cells of
// `cell`; empty without a pool (memory-only serving). Errors: the pool's
// (no connection within kLeaseTimeout) and the database's.
absl::StatusOr<db::QueueHistory> LoadHistory(const std::shared_ptr<db::ConnectionPool>& pool,
                                             const std::string& queue, absl::Time now,
                                             absl::Duration window, absl::Duration cell);

// A queue's stored settings from the database (`pool` not null); nullopt
// for a queue that does not exist. Errors: as LoadHistory's.
absl::StatusOr<std::optional<db::QueueSettings>> LoadSettings(
    const std::shared_ptr<db::ConnectionPool>& pool, const std::string& queue);

}  // namespace horizonscale::server
