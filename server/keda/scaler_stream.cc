#include "server/keda/scaler_stream.h"

#include <memory>
#include <mutex>
#include <optional>

#include <absl/time/clock.h>

#include "server/common/errors.h"
#include "server/keda/external_scaler_service.h"
#include "server/keda/scaler_metadata.h"
#include "server/transport/raw_message.h"
#include "server/transport/stream_admission.h"

namespace horizonscale::server {

// How soon an evaluation the full work pool refused is offered again.
constexpr absl::Duration kResubmitAfter = absl::Milliseconds(100);

// One stream call. Its work (an evaluation on the work pool, then a write or
// a wait) runs one step at a time; a wake during a step or a write is
// remembered and evaluated after it. Finish is called only when neither is
// in flight, so nothing that runs later touches a finished reactor; timers,
// which may fire after the reactor is gone, reach it through `guard_`.
class ScalerStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  ScalerStream(ExternalScalerService& service, ScalerStreamKind kind,
               grpc::CallbackServerContext* context, const grpc::ByteBuffer& request_bytes)
      : service_(service), kind_(kind), guard_(std::make_shared<Guard>(this)) {
    const std::string_view method = kind == ScalerStreamKind::kIsActive
                                        ? "/externalscaler.ExternalScaler/StreamIsActive"
                                        : "/externalscaler.ExternalScaler/StreamMetricSpec";
    grpc::Status started = AdmitStream(service_.runtime_, method, *context, ticket_);
    if (started.ok()) started = ParseMessage(request_bytes, request_);
    if (started.ok()) started = ParseScalerMetadata(request_.scalermetadata(), &target_);
    // Registered before taking mutex_ (the service's mutex comes first).
    if (started.ok()) {
      registered_ = service_.Register(this);
      if (!registered_) started = ShuttingDown();
    }
    std::lock_guard lock(mutex_);
    if (!started.ok()) {
      FinishLocked(std::move(started));
      return;
    }
    WakeLocked();
  }

  const std::string& queue() const { return target_.queue; }

  // Evaluate again soon (new metrics, or the recheck timer).
  void Wake() {
    std::lock_guard lock(mutex_);
    WakeLocked();
  }

  // The server drains: end as soon as nothing is in flight.
  void Shutdown() {
    std::lock_guard lock(mutex_);
    end_ = ShuttingDown();
    EndIfIdleLocked();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mutex_);
    writing_ = false;
    if (!ok && !end_.has_value()) end_ = grpc::Status::CANCELLED;
    if (EndIfIdleLocked()) return;
    if (woken_) {
      woken_ = false;
      SubmitLocked();
    } else {
      ParkLocked();
    }
  }

  void OnCancel() override {
    std::lock_guard lock(mutex_);
    if (!end_.has_value()) end_ = grpc::Status::CANCELLED;
    EndIfIdleLocked();
  }

  void OnDone() override {
    if (registered_) service_.Unregister(this);
    {
      std::lock_guard lock(guard_->mutex);
      guard_->stream = nullptr;
    }
    delete this;
  }

 private:
  // What timers reach the stream through; `stream` is null once it is gone.
  struct Guard {
    explicit Guard(ScalerStream* s) : stream(s) {}
    std::mutex mutex;  // taken before the stream's mutex_
    ScalerStream* stream;
  };

  static grpc::Status ShuttingDown() {
    return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kShuttingDown,
                     "the server is shutting down");
  }

  // Requires mutex_.
  void WakeLocked() {
    if (finished_ || end_.has_value()) return;
    if (evaluating_ || writing_) {
      woken_ = true;
      return;
    }
    SubmitLocked();
  }

  // Requires mutex_; nothing in flight.
  void SubmitLocked() {
    ++generation_;  // a pending timer is now stale
    evaluating_ = true;
    if (!service_.runtime_.pool->TrySubmit([this] { Evaluate(); })) {
      evaluating_ = false;
      ScheduleLocked(absl::Now() + kResubmitAfter);
    }
  }

  // Requires mutex_: wait for the recheck (activity) or for the end (spec).
  void ParkLocked() {
    if (kind_ == ScalerStreamKind::kIsActive) {
      ScheduleLocked(absl::Now() + service_.recheck_);
    }
  }

  // Requires mutex_.
  void ScheduleLocked(absl::Time when) {
    const uint64_t generation = ++generation_;
    service_.runtime_.timers->Schedule(when, [guard = guard_, generation] {
      std::lock_guard guard_lock(guard->mutex);
      if (guard->stream == nullptr) return;
      ScalerStream& stream = *guard->stream;
      std::lock_guard lock(stream.mutex_);
      if (stream.generation_ != generation || stream.evaluating_ || stream.writing_) return;
      stream.WakeLocked();
    });
  }

  // On the work pool.
  void Evaluate() {
    grpc::Status status = grpc::Status::OK;
    std::optional<bool> active;
    if (kind_ == ScalerStreamKind::kIsActive) {
      ScalingDecisions::Decision decision;
      status = service_.decisions_.Decide(target_, absl::Now(), &decision);
      active = decision.active;
    }
    std::lock_guard lock(mutex_);
    evaluating_ = false;
    if (!status.ok() && !end_.has_value()) end_ = std::move(status);
    if (EndIfIdleLocked()) return;
    bool changed = false;
    if (kind_ == ScalerStreamKind::kIsActive) {
      changed = !sent_active_.has_value() || *sent_active_ != *active;
      if (changed) {
        sent_active_ = active;
        externalscaler::IsActiveResponse response;
        response.set_result(*active);
        status = SerializeMessage(response, out_);
      }
    } else if (!sent_spec_) {
      changed = sent_spec_ = true;
      externalscaler::GetMetricSpecResponse response;
      externalscaler::MetricSpec* spec = response.add_metricspecs();
      spec->set_metricname(ScalerMetricName(target_.queue));
      spec->set_targetsize(1);
      spec->set_targetsizefloat(1.0);
      status = SerializeMessage(response, out_);
    }
    if (!status.ok()) {
      end_ = std::move(status);
      EndIfIdleLocked();
      return;
    }
    if (changed) {
      writing_ = true;
      StartWrite(&out_);
    } else if (woken_) {
      woken_ = false;
      SubmitLocked();
    } else {
      ParkLocked();
    }
  }

  // Requires mutex_: finishes with end_ when it is set and nothing is in
  // flight; returns whether the stream is (being) finished.
  bool EndIfIdleLocked() {
    if (finished_) return true;
    if (!end_.has_value()) return false;
    if (!evaluating_ && !writing_) FinishLocked(std::move(*end_));
    return true;
  }

  // Requires mutex_.
  void FinishLocked(grpc::Status status) {
    if (finished_) return;
    finished_ = true;
    ticket_.End(status);
    Finish(std::move(status));
  }

  ExternalScalerService& service_;
  const ScalerStreamKind kind_;
  const std::shared_ptr<Guard> guard_;
  externalscaler::ScaledObjectRef request_;
  ScalerTarget target_;
  StreamTicket ticket_;
  bool registered_ = false;  // set in the constructor only
  std::mutex mutex_;
  bool evaluating_ = false;          // guarded by mutex_
  bool writing_ = false;             // guarded by mutex_
  bool woken_ = false;               // guarded by mutex_
  bool finished_ = false;            // guarded by mutex_
  uint64_t generation_ = 0;          // guarded by mutex_; of the pending timer
  std::optional<grpc::Status> end_;  // guarded by mutex_
  std::optional<bool> sent_active_;  // guarded by mutex_
  bool sent_spec_ = false;           // guarded by mutex_
  grpc::ByteBuffer out_;
};

grpc::ServerWriteReactor<grpc::ByteBuffer>* StartScalerStream(ExternalScalerService& service,
                                                              ScalerStreamKind kind,
                                                              grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer& request) {
  return new ScalerStream(service, kind, context, request);
}

void ScalerStreamWake(ScalerStream* stream) { stream->Wake(); }
void ScalerStreamShutdown(ScalerStream* stream) { stream->Shutdown(); }
const std::string& ScalerStreamQueue(const ScalerStream* stream) { return stream->queue(); }

}  // namespace horizonscale::server
