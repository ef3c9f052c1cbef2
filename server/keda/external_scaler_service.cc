#include "server/keda/external_scaler_service.h"

#include <absl/strings/ascii.h>
#include <absl/time/clock.h>

#include "server/common/field_checks.h"
#include "server/keda/scaler_stream.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {
namespace es = externalscaler;
namespace {

// Longest Kubernetes object name (and namespace), in bytes.
constexpr size_t kMaxObjectNameBytes = 253;

}  // namespace

std::string ScalerMetricName(const std::string& queue) {
  std::string name = "horizonscale-";
  for (char c : queue) {
    name.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c))
                       ? absl::ascii_tolower(static_cast<unsigned char>(c))
                       : '-');
  }
  return name;
}

ExternalScalerService::ExternalScalerService(const CallRuntime& runtime,
                                             ScalingDecisions& decisions, absl::Duration recheck)
    : runtime_(runtime), decisions_(decisions), recheck_(recheck) {}

grpc::Status ExternalScalerService::ParseRef(const es::ScaledObjectRef& ref,
                                             const std::string& prefix,
                                             std::shared_ptr<const ScalerTarget>* target) {
  FieldChecks checks;
  checks.Text(prefix + "name", ref.name(), reason::kInvalidRequest, kMaxObjectNameBytes);
  checks.Text(prefix + "namespace", ref.namespace_(), reason::kInvalidRequest, kMaxObjectNameBytes);
  if (!checks.ok()) return checks.ToStatus();
  return targets_.Parse(ref.scalermetadata(), target);
}

void ExternalScalerService::DecideThen(std::shared_ptr<const ScalerTarget> target,
                                       std::function<void(const ScalingDecisions::Decision&)> fill,
                                       UnaryDone done) {
  ScalingDecisions::Decision decision;
  const ScalingDecisions::Cached cached =
      decisions_.DecideFromCache(*target, absl::Now(), &decision, /*allow_stale=*/true);
  if (cached != ScalingDecisions::Cached::kMiss) {
    fill(decision);
    done(grpc::Status::OK);
    if (cached == ScalingDecisions::Cached::kRefreshDue) {
      // Read the metrics again off the call's path (a full pool skips it:
      // a later call is told to try again).
      runtime_.pool->TrySubmit([this, target] {
        ScalingDecisions::Decision refreshed;
        (void)decisions_.Decide(*target, absl::Now(), &refreshed);
      });
    }
    return;
  }
  auto decide = [this, target, fill, done] {
    ScalingDecisions::Decision decided;
    grpc::Status status = decisions_.Decide(*target, absl::Now(), &decided);
    if (status.ok()) fill(decided);
    done(std::move(status));
  };
  if (!runtime_.pool->TrySubmit(decide)) done(BusyStatus(*runtime_.pool));
}

void ExternalScalerService::HandleIsActive(const es::ScaledObjectRef& request,
                                           es::IsActiveResponse& response, UnaryDone done) {
  std::shared_ptr<const ScalerTarget> target;
  if (grpc::Status parsed = ParseRef(request, "", &target); !parsed.ok()) {
    done(std::move(parsed));
    return;
  }
  DecideThen(
      std::move(target),
      [&response](const ScalingDecisions::Decision& decision) {
        response.set_result(decision.active);
      },
      std::move(done));
}

grpc::Status ExternalScalerService::HandleGetMetricSpec(const es::ScaledObjectRef& request,
                                                        es::GetMetricSpecResponse& response) {
  std::shared_ptr<const ScalerTarget> target;
  if (grpc::Status parsed = ParseRef(request, "", &target); !parsed.ok()) return parsed;
  es::MetricSpec* spec = response.add_metricspecs();
  spec->set_metricname(ScalerMetricName(target->queue));
  spec->set_targetsize(1);
  spec->set_targetsizefloat(1.0);
  return grpc::Status::OK;
}

void ExternalScalerService::HandleGetMetrics(const es::GetMetricsRequest& request,
                                             es::GetMetricsResponse& response, UnaryDone done) {
  FieldChecks checks;
  checks.Text("metricName", request.metricname(), reason::kInvalidRequest, kMaxObjectNameBytes);
  if (!checks.ok()) {
    done(checks.ToStatus());
    return;
  }
  std::shared_ptr<const ScalerTarget> target;
  if (grpc::Status parsed = ParseRef(request.scaledobjectref(), "scaledObjectRef.", &target);
      !parsed.ok()) {
    done(std::move(parsed));
    return;
  }
  const std::string name =
      request.metricname().empty() ? ScalerMetricName(target->queue) : request.metricname();
  DecideThen(
      std::move(target),
      [&response, name](const ScalingDecisions::Decision& decision) {
        es::MetricValue* value = response.add_metricvalues();
        value->set_metricname(name);
        value->set_metricvalue(decision.metric);
        value->set_metricvaluefloat(static_cast<double>(decision.metric));
      },
      std::move(done));
}

grpc::ServerUnaryReactor* ExternalScalerService::IsActive(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return ServeUnary<es::ScaledObjectRef, es::IsActiveResponse>(
      runtime_, "/externalscaler.ExternalScaler/IsActive", RunOn::kCallbackThread, context, request,
      response,
      AsyncUnaryHandler<es::ScaledObjectRef, es::IsActiveResponse>(
          [this](grpc::CallbackServerContext*, const auto& in, auto& out, UnaryDone done) {
            HandleIsActive(in, out, std::move(done));
          }));
}

grpc::ServerUnaryReactor* ExternalScalerService::GetMetricSpec(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  // Parsing only: answered on gRPC's thread.
  return ServeUnary<es::ScaledObjectRef, es::GetMetricSpecResponse>(
      runtime_, "/externalscaler.ExternalScaler/GetMetricSpec", RunOn::kCallbackThread, context,
      request, response,
      UnaryHandler<es::ScaledObjectRef, es::GetMetricSpecResponse>(
          [this](grpc::CallbackServerContext*, const auto& in, auto& out) {
            return HandleGetMetricSpec(in, out);
          }));
}

grpc::ServerUnaryReactor* ExternalScalerService::GetMetrics(grpc::CallbackServerContext* context,
                                                            const grpc::ByteBuffer* request,
                                                            grpc::ByteBuffer* response) {
  return ServeUnary<es::GetMetricsRequest, es::GetMetricsResponse>(
      runtime_, "/externalscaler.ExternalScaler/GetMetrics", RunOn::kCallbackThread, context,
      request, response,
      AsyncUnaryHandler<es::GetMetricsRequest, es::GetMetricsResponse>(
          [this](grpc::CallbackServerContext*, const auto& in, auto& out, UnaryDone done) {
            HandleGetMetrics(in, out, std::move(done));
          }));
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* ExternalScalerService::StreamIsActive(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return StartScalerStream(*this, ScalerStreamKind::kIsActive, context, *request);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* ExternalScalerService::StreamMetricSpec(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return StartScalerStream(*this, ScalerStreamKind::kMetricSpec, context, *request);
}

void ExternalScalerService::QueueMetricsChanged(const std::string& queue) {
  std::lock_guard lock(mutex_);
  for (ScalerStream* stream : streams_) {
    if (ScalerStreamQueue(stream) == queue) ScalerStreamWake(stream);
  }
}

void ExternalScalerService::Shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  for (ScalerStream* stream : streams_) ScalerStreamShutdown(stream);
}

bool ExternalScalerService::Register(ScalerStream* stream) {
  std::lock_guard lock(mutex_);
  if (shut_down_) return false;
  streams_.insert(stream);
  return true;
}

void ExternalScalerService::Unregister(ScalerStream* stream) {
  std::lock_guard lock(mutex_);
  streams_.erase(stream);
}

}  // namespace horizonscale::server
