// externalscaler.ExternalScaler: KEDA's external-scaler contract
// (proto/externalscaler/externalscaler.proto), served beside HorizonScale's
// own services on the same port.
//
// Every call names a ScaledObject whose trigger metadata says which queue to
// scale by and how (server/keda/scaler_metadata.h); bad metadata is
// INVALID_ARGUMENT naming the key, which KEDA shows in a KEDAScalerFailed
// event. The answers come from the queue's plan (server/keda/scaling_decisions.h):
// - GetMetricSpec: one metric, "horizonscale-<queue>" (lower case, other
//   characters as '-'), target 1 per pod (targetSize and targetSizeFloat);
//   constant for a ScaledObject.
// - GetMetrics: the workers the plan wants now (at now + provisioning lead
//   time), adjusted for the HPA's tolerance (server/keda/replica_metric.h),
//   under the metric name KEDA asked for; metricValue and metricValueFloat.
// - IsActive: whether the plan wants any worker (false lets KEDA scale to
//   minReplicaCount, zero when allowed).
// IsActive and GetMetrics are answered on gRPC's own thread in the steady
// state (a cached decision: two map lookups); a decision that needs the
// database, Prometheus or a new plan runs on the CallRuntime's work pool.
// - StreamIsActive: the activity at once, then again whenever it changes:
//   re-evaluated as soon as the queue's metrics change on this server (a
//   GeneratePlan), and every `recheck` for the plan's scheduled steps and
//   what other replicas store.
// - StreamMetricSpec: the (constant) spec at once, then holds the stream
//   open until the client or the server ends it.
// Streams count against the CallRuntime's stream limits and end with
// UNAVAILABLE (SHUTTING_DOWN) on Shutdown().
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "externalscaler/externalscaler.grpc.pb.h"
#include "server/keda/scaling_decisions.h"
#include "server/transport/call_runtime.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {

using ExternalScalerBase = externalscaler::ExternalScaler::WithRawCallbackMethod_IsActive<
    externalscaler::ExternalScaler::WithRawCallbackMethod_StreamIsActive<
        externalscaler::ExternalScaler::WithRawCallbackMethod_GetMetricSpec<
            externalscaler::ExternalScaler::WithRawCallbackMethod_GetMetrics<
                externalscaler::ExternalScaler::WithRawCallbackMethod_StreamMetricSpec<
                    externalscaler::ExternalScaler::Service>>>>>;

// The metric name GetMetricSpec gives `queue`.
std::string ScalerMetricName(const std::string& queue);

class ScalerStream;

class ExternalScalerService final : public ExternalScalerBase {
 public:
  // `runtime` and `decisions` must outlive the service.
  ExternalScalerService(const CallRuntime& runtime, ScalingDecisions& decisions,
                        absl::Duration recheck = absl::Seconds(5));
  ExternalScalerService(const ExternalScalerService&) = delete;
  ExternalScalerService& operator=(const ExternalScalerService&) = delete;

  // The typed unary calls (the gRPC entry points parse and delegate). Each
  // answers through `done`: IsActive and GetMetrics at once on the calling
  // (gRPC) thread when the decision is cached, else from the work pool
  // (RESOURCE_EXHAUSTED, SERVER_BUSY, when it is full).
  void HandleIsActive(const externalscaler::ScaledObjectRef& request,
                      externalscaler::IsActiveResponse& response, UnaryDone done);
  grpc::Status HandleGetMetricSpec(const externalscaler::ScaledObjectRef& request,
                                   externalscaler::GetMetricSpecResponse& response);
  void HandleGetMetrics(const externalscaler::GetMetricsRequest& request,
                        externalscaler::GetMetricsResponse& response, UnaryDone done);

  grpc::ServerUnaryReactor* IsActive(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetMetricSpec(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetMetrics(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* StreamIsActive(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* StreamMetricSpec(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;

  // The queue's metrics changed on this server: its StreamIsActive calls
  // re-evaluate now. Never blocks.
  void QueueMetricsChanged(const std::string& queue);

  // Ends every open stream (UNAVAILABLE, SHUTTING_DOWN) and refuses new
  // ones: the server is draining.
  void Shutdown();

 private:
  friend class ScalerStream;
  // The target of `ref` (name and namespace checked under `prefix`, the
  // metadata parsed once per distinct map).
  grpc::Status ParseRef(const externalscaler::ScaledObjectRef& ref, const std::string& prefix,
                        std::shared_ptr<const ScalerTarget>* target);
  // Decides for `target` (see HandleIsActive), then `fill` and `done`.
  void DecideThen(std::shared_ptr<const ScalerTarget> target,
                  std::function<void(const ScalingDecisions::Decision&)> fill, UnaryDone done);

  // Streams register while open (false once shut down: the stream ends).
  bool Register(ScalerStream* stream);
  void Unregister(ScalerStream* stream);

  const CallRuntime& runtime_;
  ScalingDecisions& decisions_;
  const absl::Duration recheck_;
  ScalerTargetCache targets_;
  std::mutex mutex_;                 // taken before any stream's own mutex
  std::set<ScalerStream*> streams_;  // guarded by mutex_
  bool shut_down_ = false;           // guarded by mutex_
};

}  // namespace horizonscale::server
