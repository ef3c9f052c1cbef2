// The event loop: arrivals, service completions and control events (window
// ends, plan steps, provisioned workers becoming ready), in time order.
// Ties: control events first (an instant belongs to the window it starts),
// then completions (a freed worker can take a job arriving at that instant),
// then arrivals.
#include "simulator/internal/engine.h"

#include <algorithm>
#include <vector>

#include "simulator/internal/arrivals.h"
#include "simulator/internal/event_queues.h"
#include "simulator/internal/recorder.h"
#include "simulator/internal/service_time.h"
#include "simulator/internal/window_grid.h"
#include "simulator/internal/worker_pool.h"

namespace horizonscale::simulator::internal {
namespace {

// Events between two polls of the cancellation callback (well under 1 ms).
constexpr int kPollInterval = 4096;
// Most completion-heap slots reserved up front (it grows beyond if needed).
constexpr int64_t kMaxHeapReserve = 1 << 16;

struct PlanStep {
  double time;  // seconds since the start, in [0, duration)
  int64_t workers;
};

// The plan in seconds since the start.
struct Schedule {
  int64_t initial_workers = 0;
  std::vector<PlanStep> steps;  // in time order
};

// Steps in time order (equal times keep their order). Steps before the start
// fold into the initial size (they apply at the start, already provisioned);
// steps at or after the end are dropped.
Schedule ScheduleOf(const PoolPlan& plan, absl::Time start, double run_end) {
  std::vector<PlanStep> steps;
  for (const PoolPlan::Step& step : plan.steps) {
    steps.push_back({absl::ToDoubleSeconds(step.time - start), step.workers});
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const PlanStep& a, const PlanStep& b) { return a.time < b.time; });
  Schedule schedule;
  schedule.initial_workers = plan.initial_workers;
  for (const PlanStep& step : steps) {
    if (step.time < 0) {
      schedule.initial_workers = step.workers;
    } else if (step.time < run_end) {
      schedule.steps.push_back(step);
    }
  }
  return schedule;
}

int64_t LargestPool(const PoolPlan& plan) {
  int64_t largest = plan.initial_workers;
  for (const PoolPlan::Step& step : plan.steps) largest = std::max<int64_t>(largest, step.workers);
  return largest;
}

class Engine {
 public:
  Engine(const Scenario& scenario, const PoolPlan& plan, const SimulationConfig& config)
      : grid_(WindowGrid::Of(scenario)),
        arrivals_(scenario, grid_, config.seed),
        service_(config.service, config.seed),
        recorder_(scenario, config, grid_),
        in_service_(static_cast<size_t>(std::min(LargestPool(plan), kMaxHeapReserve))),
        schedule_(ScheduleOf(plan, scenario.start, grid_.run_end)),
        pool_(schedule_.initial_workers, absl::ToDoubleSeconds(config.provisioning_delay)),
        initial_backlog_(scenario.initial_backlog) {}

  // Runs to the end; CANCELLED when `cancelled` says so.
  absl::Status Run(const std::function<bool()>& cancelled);

  // The result (after Run), filling `diagnostics` when not null.
  RunResult Finish(Diagnostics* diagnostics);

 private:
  void AdvanceBusy(double t) {
    busy_seconds_ += static_cast<double>(in_service_.size()) * (t - last_event_);
    last_event_ = t;
  }
  // A job that arrived at `arrival` starts service at `now`.
  JobInService Begin(double now, double arrival) {
    wait_seconds_ += now - arrival;
    ++jobs_started_;
    return {now + service_.Sample(), arrival};
  }
  void HandleArrival(double t);
  void HandleCompletion(double t);
  // Handles the control event at next_control_; false once the run is over.
  bool HandleControl();
  void CloseWindow(double t);
  void StartQueuedJobs(double t);
  [[nodiscard]] double NextControl() const;

  WindowGrid grid_;
  ArrivalProcess arrivals_;
  ServiceSampler service_;
  Recorder recorder_;
  JobQueue waiting_;
  CompletionHeap in_service_;
  Schedule schedule_;
  WorkerPool pool_;
  size_t next_step_ = 0;
  int64_t window_ = 0;
  double next_arrival_ = 0;
  double next_control_ = 0;
  double last_event_ = 0;
  double busy_seconds_ = 0;        // current window
  double total_busy_seconds_ = 0;  // closed windows
  int64_t events_ = 0;
  int64_t arrivals_waiting_ = 0;
  int64_t jobs_started_ = 0;
  double wait_seconds_ = 0;
  int64_t initial_backlog_ = 0;
};

void Engine::HandleArrival(double t) {
  AdvanceBusy(t);
  ++events_;
  recorder_.Arrival();
  if (in_service_.size() < pool_.present()) {
    in_service_.Push(Begin(t, t));
  } else {
    waiting_.Push(t);
    ++arrivals_waiting_;
    recorder_.Backlog(waiting_.size());
  }
}

void Engine::HandleCompletion(double t) {
  AdvanceBusy(t);
  ++events_;
  recorder_.Completion(t - in_service_.top().arrival);
  if (pool_.LeavesAfterJob(t) || waiting_.empty()) {
    in_service_.Pop();
  } else {
    const double arrival = waiting_.Pop();
    in_service_.ReplaceTop(Begin(t, arrival));
  }
}

void Engine::StartQueuedJobs(double t) {
  while (!waiting_.empty() && in_service_.size() < pool_.present()) {
    in_service_.Push(Begin(t, waiting_.Pop()));
  }
}

void Engine::CloseWindow(double t) {
  pool_.AdvanceTo(t);
  Recorder::WindowEnd end;
  end.workers = pool_.present();
  end.backlog = waiting_.size();
  end.busy_seconds = busy_seconds_;
  end.present_seconds = pool_.TakePresentSeconds();
  end.oldest_wait = waiting_.empty() ? 0 : t - waiting_.front();
  recorder_.CloseWindow(end);
  total_busy_seconds_ += busy_seconds_;
  busy_seconds_ = 0;
}

double Engine::NextControl() const {
  double next = std::min(grid_.End(window_), pool_.next_ready());
  if (next_step_ < schedule_.steps.size()) next = std::min(next, schedule_.steps[next_step_].time);
  return next;
}

bool Engine::HandleControl() {
  const double t = next_control_;
  AdvanceBusy(t);
  if (grid_.End(window_) <= t) {
    CloseWindow(t);
    if (++window_ == grid_.count) return false;
  }
  for (; next_step_ < schedule_.steps.size() && schedule_.steps[next_step_].time <= t;
       ++next_step_) {
    pool_.SetTarget(t, schedule_.steps[next_step_].workers, in_service_.size());
    ++events_;
  }
  while (pool_.next_ready() <= t) {
    pool_.FinishProvisioning(t);
    ++events_;
  }
  StartQueuedJobs(t);
  next_control_ = NextControl();
  return true;
}

absl::Status Engine::Run(const std::function<bool()>& cancelled) {
  // The initial backlog: waiting at the start, the idle workers take their
  // first jobs at once.
  for (int64_t i = 0; i < initial_backlog_; ++i) waiting_.Push(0);
  StartQueuedJobs(0);
  if (!waiting_.empty()) recorder_.Backlog(waiting_.size());
  next_arrival_ = arrivals_.Next();
  next_control_ = NextControl();
  int until_poll = kPollInterval;
  for (;;) {
    const double completion = in_service_.empty() ? kNever : in_service_.top().completion;
    if (next_control_ <= completion && next_control_ <= next_arrival_) {
      if (!HandleControl()) return absl::OkStatus();
    } else if (completion <= next_arrival_) {
      HandleCompletion(completion);
    } else {
      HandleArrival(next_arrival_);
      next_arrival_ = arrivals_.Next();
    }
    if (--until_poll == 0) {
      until_poll = kPollInterval;
      if (cancelled && cancelled()) return absl::CancelledError("simulation cancelled");
    }
  }
}

RunResult Engine::Finish(Diagnostics* diagnostics) {
  pool_.AdvanceTo(grid_.run_end);
  if (diagnostics != nullptr) {
    diagnostics->arrivals_waiting = arrivals_waiting_;
    diagnostics->jobs_started = jobs_started_;
    diagnostics->wait_seconds = wait_seconds_;
    diagnostics->in_service_at_end = in_service_.size();
    diagnostics->waiting_at_end = waiting_.size();
    diagnostics->busy_seconds = total_busy_seconds_;
    diagnostics->paid_seconds = pool_.paid_seconds();
  }
  return recorder_.Finish(total_busy_seconds_, pool_.paid_seconds(), events_);
}

}  // namespace

absl::StatusOr<RunResult> RunEngine(const Scenario& scenario, const PoolPlan& plan,
                                    const SimulationConfig& config,
                                    const std::function<bool()>& cancelled,
                                    Diagnostics* diagnostics) {
  if (cancelled && cancelled()) return absl::CancelledError("simulation cancelled");
  Engine engine(scenario, plan, config);
  if (absl::Status status = engine.Run(cancelled); !status.ok()) return status;
  return engine.Finish(diagnostics);
}

}  // namespace horizonscale::simulator::internal
