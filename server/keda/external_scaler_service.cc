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

// Checks the ScaledObject's name and namespace (paths under `prefix`) and
// parses its metadata.
grpc::Status ParseRef(const es::ScaledObjectRef& ref, const std::string& prefix,
                      ScalerTarget* target) {
  FieldChecks checks;
  checks.Text(prefix + "name", ref.name(), reason::kInvalidRequest, kMaxObjectNameBytes);
  checks.Text(prefix + "namespace", ref.namespace_(), reason::kInvalidRequest, kMaxObjectNameBytes);
  if (!checks.ok()) return checks.ToStatus();
  return ParseScalerMetadata(ref.scalermetadata(), target);
}

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

grpc::Status ExternalScalerService::HandleIsActive(const es::ScaledObjectRef& request,
                                                   es::IsActiveResponse& response) {
  ScalerTarget target;
  if (grpc::Status parsed = ParseRef(request, "", &target); !parsed.ok()) return parsed;
  ScalingDecisions::Decision decision;
  if (grpc::Status decided = decisions_.Decide(target, absl::Now(), &decision); !decided.ok()) {
    return decided;
  }
  response.set_result(decision.active);
  return grpc::Status::OK;
}

grpc::Status ExternalScalerService::HandleGetMetricSpec(const es::ScaledObjectRef& request,
                                                        es::GetMetricSpecResponse& response) {
  ScalerTarget target;
  if (grpc::Status parsed = ParseRef(request, "", &target); !parsed.ok()) return parsed;
  es::MetricSpec* spec = response.add_metricspecs();
  spec->set_metricname(ScalerMetricName(target.queue));
  spec->set_targetsize(1);
  spec->set_targetsizefloat(1.0);
  return grpc::Status::OK;
}

grpc::Status ExternalScalerService::HandleGetMetrics(const es::GetMetricsRequest& request,
                                                     es::GetMetricsResponse& response) {
  FieldChecks checks;
  checks.Text("metricName", request.metricname(), reason::kInvalidRequest, kMaxObjectNameBytes);
  if (!checks.ok()) return checks.ToStatus();
  ScalerTarget target;
  if (grpc::Status parsed = ParseRef(request.scaledobjectref(), "scaledObjectRef.", &target);
      !parsed.ok()) {
    return parsed;
  }
  ScalingDecisions::Decision decision;
  if (grpc::Status decided = decisions_.Decide(target, absl::Now(), &decision); !decided.ok()) {
    return decided;
  }
  es::MetricValue* value = response.add_metricvalues();
  value->set_metricname(request.metricname().empty() ? ScalerMetricName(target.queue)
                                                     : request.metricname());
  value->set_metricvalue(decision.metric);
  value->set_metricvaluefloat(static_cast<double>(decision.metric));
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* ExternalScalerService::IsActive(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return ServeUnary<es::ScaledObjectRef, es::IsActiveResponse>(
      runtime_, RunOn::kWorkPool, context, request, response,
      UnaryHandler<es::ScaledObjectRef, es::IsActiveResponse>(
          [this](grpc::CallbackServerContext*, const auto& in, auto& out) {
            return HandleIsActive(in, out);
          }));
}

grpc::ServerUnaryReactor* ExternalScalerService::GetMetricSpec(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  // Parsing only: answered on gRPC's thread.
  return ServeUnary<es::ScaledObjectRef, es::GetMetricSpecResponse>(
      runtime_, RunOn::kCallbackThread, context, request, response,
      UnaryHandler<es::ScaledObjectRef, es::GetMetricSpecResponse>(
          [this](grpc::CallbackServerContext*, const auto& in, auto& out) {
            return HandleGetMetricSpec(in, out);
          }));
}

grpc::ServerUnaryReactor* ExternalScalerService::GetMetrics(grpc::CallbackServerContext* context,
                                                            const grpc::ByteBuffer* request,
                                                            grpc::ByteBuffer* response) {
  return ServeUnary<es::GetMetricsRequest, es::GetMetricsResponse>(
      runtime_, RunOn::kWorkPool, context, request, response,
      UnaryHandler<es::GetMetricsRequest, es::GetMetricsResponse>(
          [this](grpc::CallbackServerContext*, const auto& in, auto& out) {
            return HandleGetMetrics(in, out);
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
