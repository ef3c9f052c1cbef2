#include "server/fleet/competition_reactor.h"

#include <memory>
#include <optional>

#include <absl/time/clock.h>

#include "server/transport/raw_message.h"
#include "server/transport/stream_admission.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

constexpr std::string_view kMethod = "/horizonscale.v1.FleetService/RunCompetition";
// How soon a step the full work pool refused is offered again.
constexpr absl::Duration kResubmitAfter = absl::Milliseconds(100);

// One chain of actions drives the call: a step on the pool, then a write or
// a timer, then the next step... Only that chain calls Finish, so whatever
// runs next in it may use the reactor.
class CompetitionReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  CompetitionReactor(const CallRuntime& runtime, grpc::CallbackServerContext* context,
                     const grpc::ByteBuffer& request_bytes, RunCompetitionContext run_context)
      : runtime_(runtime), context_(context) {
    if (grpc::Status admitted = AdmitStream(runtime_, kMethod, *context_, ticket_);
        !admitted.ok()) {
      End(std::move(admitted));
      return;
    }
    v1::RunCompetitionRequest request;
    if (grpc::Status parsed = ParseMessage(request_bytes, request); !parsed.ok()) {
      End(std::move(parsed));
      return;
    }
    stream_.emplace(std::move(request), std::move(run_context));
    SubmitStep();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(stream_->ClientGone());
    } else if (end_.has_value()) {
      End(std::move(*end_));
    } else {
      ScheduleStep(absl::Now() + stream_->poll_interval());
    }
  }

  void OnDone() override { delete this; }

 private:
  void End(grpc::Status status) {
    ticket_.End(status);
    Finish(std::move(status));
  }

  void ScheduleStep(absl::Time at) {
    runtime_.timers->Schedule(at, [this] { SubmitStep(); });
  }

  void SubmitStep() {
    if (!runtime_.pool->TrySubmit([this] { Step(); })) {
      ScheduleStep(absl::Now() + kResubmitAfter);
    }
  }

  // On the pool.
  void Step() {
    CompetitionStream::Step step = stream_->Next(context_->IsCancelled());
    if (step.message.has_value()) {
      if (grpc::Status encoded = SerializeMessage(*step.message, out_); !encoded.ok()) {
        End(std::move(encoded));
        return;
      }
      end_ = std::move(step.end);
      StartWrite(&out_);
      return;
    }
    if (step.end.has_value()) {
      End(std::move(*step.end));
      return;
    }
    ScheduleStep(absl::Now() + stream_->poll_interval());
  }

  const CallRuntime& runtime_;
  grpc::CallbackServerContext* const context_;
  StreamTicket ticket_;
  std::optional<CompetitionStream> stream_;
  grpc::ByteBuffer out_;             // the message being written
  std::optional<grpc::Status> end_;  // how to end once out_ is written
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* StartCompetitionStream(
    const CallRuntime& runtime, grpc::CallbackServerContext* context,
    const grpc::ByteBuffer& request, RunCompetitionContext run_context) {
  return new CompetitionReactor(runtime, context, request, std::move(run_context));
}

}  // namespace horizonscale::server
