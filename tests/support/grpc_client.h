// Client-side helpers for end-to-end tests against a ServerProcess.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "grpc/health/v1/health.grpc.pb.h"

namespace horizonscale::testing {

// A channel to 127.0.0.1:port that retries connecting quickly while the
// server starts and owns its connection (dropping it closes the connection).
std::shared_ptr<grpc::Channel> ConnectTo(int port);

// A client context with a deadline `timeout` from now.
std::unique_ptr<grpc::ClientContext> ContextWithDeadline(std::chrono::milliseconds timeout);

// Polls Health.Check(service) until it answers `wanted` (or 60 s pass) and
// returns the last status seen (UNKNOWN when the server never answered).
grpc::health::v1::HealthCheckResponse::ServingStatus WaitForHealth(
    grpc::health::v1::Health::Stub& health, const std::string& service,
    grpc::health::v1::HealthCheckResponse::ServingStatus wanted);

// "domain/reason" of the ErrorInfo in `status`'s details, or a text saying
// what is missing.
std::string ErrorInfoReason(const grpc::Status& status);

// The field paths of the BadRequest field violations in `status`'s details.
std::vector<std::string> ViolatedFields(const grpc::Status& status);

}  // namespace horizonscale::testing
