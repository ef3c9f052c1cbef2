#include "server/fleet/ingest_reactor.h"

#include <mutex>

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>

#include "server/common/errors.h"
#include "server/transport/raw_message.h"
#include "server/transport/stream_admission.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

constexpr std::string_view kMethod = "/horizonscale.v1.FleetService/IngestTelemetry";
// How soon a commit the full work pool refused is offered again.
constexpr absl::Duration kResubmitAfter = absl::Milliseconds(100);

class IngestReactor final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  IngestReactor(const CallRuntime& runtime, grpc::CallbackServerContext* context,
                grpc::ByteBuffer* response,
                std::function<std::shared_ptr<db::ConnectionPool>()> pool)
      : runtime_(runtime),
        context_(context),
        response_bytes_(response),
        pool_(std::move(pool)),
        shared_(std::make_shared<Shared>(this)) {
    std::lock_guard lock(shared_->mutex);
    if (grpc::Status admitted = AdmitStream(runtime_, kMethod, *context_, ticket_);
        !admitted.ok()) {
      FinishLocked(std::move(admitted));
      return;
    }
    // Refuse before the client sends millions of rows that cannot be stored.
    if (pool_() == nullptr) {
      FinishLocked(DatabaseNotReachableYet());
      return;
    }
    shared_->last_read = absl::Now();
    ArmIdleTimer(shared_->last_read + runtime_.stream_idle_timeout);
    StartRead(&message_bytes_);
  }

  void OnReadDone(bool ok) override {
    std::lock_guard lock(shared_->mutex);
    if (shared_->finished) return;
    if (!ok) {  // the client half-closed, or the call was cancelled
      shared_->reading = false;
      if (context_->IsCancelled()) {
        FinishLocked({grpc::StatusCode::CANCELLED,
                      "the ingest stream was cancelled or its deadline passed; nothing was "
                      "written"});
        return;
      }
      SubmitCommitLocked();
      return;
    }
    shared_->last_read = absl::Now();
    grpc::Status added = ParseMessage(message_bytes_, message_,
                                      absl::StrCat("message ", messages_, " of the stream"));
    if (!added.ok()) {
      added = MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                        absl::StrCat(added.error_message(), "; nothing was written"));
    } else {
      ++messages_;
      added = session_.Add(message_);
    }
    if (!added.ok()) {
      FinishLocked(std::move(added));
      return;
    }
    StartRead(&message_bytes_);
  }

  void OnDone() override { delete this; }

 private:
  // What timers and pool tasks reach: they touch the reactor only while
  // `finished` is false (the reactor lives at least until Finish).
  struct Shared {
    explicit Shared(IngestReactor* owner) : reactor(owner) {}
    std::mutex mutex;
    IngestReactor* const reactor;
    bool finished = false;  // guarded by mutex
    bool reading = true;    // guarded by mutex; false once the client half-closed
    absl::Time last_read;   // guarded by mutex
  };

  // Requires shared_->mutex. Ends the call (once).
  void FinishLocked(grpc::Status status) {
    if (shared_->finished) return;
    shared_->finished = true;
    ticket_.End(status);
    Finish(std::move(status));
  }

  // Requires shared_->mutex.
  void ArmIdleTimer(absl::Time at) {
    runtime_.timers->Schedule(at, [shared = shared_] {
      std::lock_guard lock(shared->mutex);
      if (shared->finished || !shared->reading) return;
      IngestReactor& self = *shared->reactor;
      const absl::Duration timeout = self.runtime_.stream_idle_timeout;
      if (absl::Now() - shared->last_read < timeout) {
        self.ArmIdleTimer(shared->last_read + timeout);
        return;
      }
      self.FinishLocked(MakeError(
          grpc::StatusCode::DEADLINE_EXCEEDED, reason::kStreamIdle,
          absl::StrCat("the stream sent nothing for ", absl::FormatDuration(timeout),
                       " (--stream_idle_timeout) and was ended; nothing was written: send "
                       "messages more often, or half-close to commit")));
    });
  }

  // Requires shared_->mutex. Runs the commit on the work pool; while the
  // pool is full, tries again shortly (the client has sent everything).
  void SubmitCommitLocked() {
    const bool queued = runtime_.pool->TrySubmit([shared = shared_] {
      IngestReactor& self = *shared->reactor;  // alive: only this task finishes now
      v1::IngestTelemetryResponse response;
      grpc::Status status = self.session_.Store(
          [context = self.context_] { return context->IsCancelled(); }, self.pool_, &response);
      if (status.ok()) status = SerializeMessage(response, *self.response_bytes_);
      std::lock_guard lock(shared->mutex);
      self.FinishLocked(std::move(status));
    });
    if (queued) return;
    runtime_.timers->Schedule(absl::Now() + kResubmitAfter, [shared = shared_] {
      std::lock_guard lock(shared->mutex);
      if (!shared->finished) shared->reactor->SubmitCommitLocked();
    });
  }

  const CallRuntime& runtime_;
  grpc::CallbackServerContext* const context_;
  grpc::ByteBuffer* const response_bytes_;
  const std::function<std::shared_ptr<db::ConnectionPool>()> pool_;
  const std::shared_ptr<Shared> shared_;
  StreamTicket ticket_;
  IngestSession session_;
  grpc::ByteBuffer message_bytes_;
  v1::IngestTelemetryRequest message_;
  int64_t messages_ = 0;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* StartIngestStream(
    const CallRuntime& runtime, grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
    std::function<std::shared_ptr<db::ConnectionPool>()> pool) {
  return new IngestReactor(runtime, context, response, std::move(pool));
}

}  // namespace horizonscale::server
