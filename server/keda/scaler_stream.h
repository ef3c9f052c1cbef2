// The server-streaming calls of the KEDA scaler (StreamIsActive,
// StreamMetricSpec) as one reactor; see server/keda/external_scaler_service.h
// for what they send.
#pragma once

#include <string>

#include <grpcpp/grpcpp.h>

namespace horizonscale::server {

class ExternalScalerService;

class ScalerStream;

enum class ScalerStreamKind { kIsActive, kMetricSpec };

// Starts one stream call of `service`; returns its reactor for gRPC.
grpc::ServerWriteReactor<grpc::ByteBuffer>* StartScalerStream(ExternalScalerService& service,
                                                              ScalerStreamKind kind,
                                                              grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer& request);

// For the service, which holds the open streams: evaluate again now; end
// for the drain; the queue the stream is about.
void ScalerStreamWake(ScalerStream* stream);
void ScalerStreamShutdown(ScalerStream* stream);
const std::string& ScalerStreamQueue(const ScalerStream* stream);

}  // namespace horizonscale::server
