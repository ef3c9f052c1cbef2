#include "server/planner/forecast_reselector.h"

#include <memory>

#include <absl/status/statusor.h>

#include "planner/planner.h"

namespace horizonscale::server {

ForecastReselector::ForecastReselector(ForecastChoiceCache& choices, size_t max_pending)
    : choices_(choices), max_pending_(std::max<size_t>(1, max_pending)) {}

ForecastReselector::~ForecastReselector() { Stop(); }

void ForecastReselector::Submit(std::string queue, planner::PlanRequest request) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && pending_.size() < max_pending_) {
      if (!worker_.joinable()) worker_ = std::thread([this] { Run(); });
      pending_.emplace_back(std::move(queue), std::move(request));
      wake_.notify_one();
      return;
    }
  }
  choices_.Abandon(queue);
}

void ForecastReselector::Stop() {
  std::deque<std::pair<std::string, planner::PlanRequest>> dropped;
  std::thread worker;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_ = true;
    dropped.swap(pending_);
    worker.swap(worker_);
    wake_.notify_all();
  }
  if (worker.joinable()) worker.join();
  for (const auto& [queue, request] : dropped) choices_.Abandon(queue);
}

void ForecastReselector::Run() {
  for (;;) {
    std::pair<std::string, planner::PlanRequest> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (stopping_) return;
      job = std::move(pending_.front());
      pending_.pop_front();
    }
    const auto& [queue, request] = job;
    absl::StatusOr<std::shared_ptr<const forecast::ModelChoice>> choice =
        planner::SelectForecastModel(request, [this] { return cancel_.load(); });
    if (choice.ok() && *choice != nullptr) {
      choices_.Store(queue, *std::move(choice), request.current.time);
      ++renewed_;
    } else {
      choices_.Abandon(queue);
    }
  }
}

}  // namespace horizonscale::server
