// Errors as the API promises them (AIP-193): a canonical gRPC code, a message
// naming the bad input, and a google.rpc.Status detail carrying an ErrorInfo
// (reason, domain "horizonscale") and, for bad fields, a BadRequest with one
// FieldViolation per field path.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <grpcpp/support/status.h>

#include "forecast/status_reason.h"

namespace horizonscale::server {

// ErrorInfo.domain of every HorizonScale error.
inline constexpr std::string_view kErrorDomain = "horizonscale";

// ErrorInfo.reason values (UPPER_SNAKE_CASE, stable: clients match on them).
// The domain's reasons are defined in forecast/status_reason.h and aliased
// here; the rest are the server's own.
namespace reason {
inline constexpr std::string_view kInvalidMetrics = ::horizonscale::reason::kInvalidMetrics;
inline constexpr std::string_view kInsufficientHistory =
    ::horizonscale::reason::kInsufficientHistory;
inline constexpr std::string_view kForecastFailed = ::horizonscale::reason::kForecastFailed;
inline constexpr std::string_view kModelNotSupported = ::horizonscale::reason::kModelNotSupported;
inline constexpr std::string_view kConfigInvalid = ::horizonscale::reason::kConfigInvalid;
inline constexpr std::string_view kSloUnachievable = ::horizonscale::reason::kSloUnachievable;
inline constexpr std::string_view kCapacityLimitExceeded =
    ::horizonscale::reason::kCapacityLimitExceeded;
inline constexpr std::string_view kCooldownActive = ::horizonscale::reason::kCooldownActive;
inline constexpr std::string_view kAnomalyDetected = ::horizonscale::reason::kAnomalyDetected;
inline constexpr std::string_view kInvalidRequest = "INVALID_REQUEST";
inline constexpr std::string_view kDatabaseUnavailable = "DATABASE_UNAVAILABLE";
inline constexpr std::string_view kNotFound = "NOT_FOUND";
inline constexpr std::string_view kInternal = "INTERNAL";
inline constexpr std::string_view kShuttingDown = "SHUTTING_DOWN";
inline constexpr std::string_view kSimulationTooLarge = "SIMULATION_TOO_LARGE";
inline constexpr std::string_view kForecastTooLarge = "FORECAST_TOO_LARGE";
inline constexpr std::string_view kIngestTooLarge = "INGEST_TOO_LARGE";
inline constexpr std::string_view kEvaluationTooLarge = "EVALUATION_TOO_LARGE";
// A stored resource asked of a server running without persistence.
inline constexpr std::string_view kPersistenceDisabled = "PERSISTENCE_DISABLED";
// Transport limits (server/transport/stream_limits.h, server/transport/unary_call.h).
inline constexpr std::string_view kTooManyStreams = "TOO_MANY_STREAMS";
inline constexpr std::string_view kStreamIdle = "STREAM_IDLE";
inline constexpr std::string_view kServerBusy = "SERVER_BUSY";
// The KEDA scaler's metrics source (Prometheus) failed or gave no usable
// number.
inline constexpr std::string_view kMetricsSourceFailed = "METRICS_SOURCE_FAILED";
// A request_id (idempotency key) reused with a different request.
inline constexpr std::string_view kIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
// Access control (server/security/call_gate.h).
inline constexpr std::string_view kCredentialsMissing = "CREDENTIALS_MISSING";
inline constexpr std::string_view kTokenInvalid = "TOKEN_INVALID";
inline constexpr std::string_view kTokenExpired = "TOKEN_EXPIRED";
inline constexpr std::string_view kCertificateUnknown = "CERTIFICATE_UNKNOWN";
inline constexpr std::string_view kRoleMissing = "ROLE_MISSING";
inline constexpr std::string_view kRateLimited = "RATE_LIMITED";
inline constexpr std::string_view kConcurrencyLimited = "CONCURRENCY_LIMITED";
}  // namespace reason

// A bad field: its path in the request (e.g. "current_metrics.utilization")
// and what is wrong with it.
struct FieldViolation {
  std::string field;
  std::string description;
};

// Builds the gRPC status for an error. `code` must not be OK.
grpc::Status MakeError(grpc::StatusCode code, std::string_view reason, std::string message,
                       const std::vector<FieldViolation>& violations = {});

// What an error may carry beyond its reason: ErrorInfo.metadata entries
// (e.g. the identity and the role a call lacked) and a RetryInfo detail
// saying when to try again (when `retry_after` is positive).
struct ErrorExtras {
  std::vector<std::pair<std::string, std::string>> metadata{};
  std::chrono::milliseconds retry_after{0};
};

// MakeError with `extras` added to the details.
grpc::Status MakeErrorWithExtras(grpc::StatusCode code, std::string_view reason,
                                 std::string message, const ErrorExtras& extras);

// UNAVAILABLE (reason DATABASE_UNAVAILABLE) with the message "the database is
// not reachable yet; see the server's health status": the answer of an RPC
// that needs the database while the server has no usable pool yet.
grpc::Status DatabaseNotReachableYet();

// The same condition as an absl::Status (UNAVAILABLE, same message), for
// code that reports through absl and is mapped to gRPC later (e.g. a
// StoredPlanLoader, whose failures answer as DATABASE_UNAVAILABLE).
absl::Status DatabaseNotReachableYetError();

// The canonical name of `code`: "OK", "INVALID_ARGUMENT", ... (as log
// lines and audit lines write it).
std::string_view StatusCodeName(grpc::StatusCode code);

// Maps a domain absl::Status to a gRPC status with the given reason (the
// canonical codes have the same numbers in both).
grpc::Status FromAbsl(const absl::Status& status, std::string_view reason,
                      const std::vector<FieldViolation>& violations = {});

}  // namespace horizonscale::server
