// The API's domain error reasons (ErrorInfo.reason, DESIGN.md's error codes),
// defined once here, and the payload that carries one inside an absl::Status,
// so the server can map a domain failure to its ErrorInfo without parsing
// messages. The server's own reasons (transport, database, request shape)
// are in server/common/errors.h, which aliases these.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <absl/status/status.h>
#include <absl/strings/cord.h>
#include <absl/strings/string_view.h>
#include <absl/types/optional.h>

namespace horizonscale {

// ErrorInfo.reason values of domain failures (UPPER_SNAKE_CASE, stable:
// clients match on them).
namespace reason {
inline constexpr std::string_view kInvalidMetrics = "INVALID_METRICS";
inline constexpr std::string_view kInsufficientHistory = "INSUFFICIENT_HISTORY";
inline constexpr std::string_view kForecastFailed = "FORECAST_FAILED";
inline constexpr std::string_view kModelNotSupported = "MODEL_NOT_SUPPORTED";
inline constexpr std::string_view kConfigInvalid = "CONFIG_INVALID";
inline constexpr std::string_view kSloUnachievable = "SLO_UNACHIEVABLE";
inline constexpr std::string_view kCapacityLimitExceeded = "CAPACITY_LIMIT_EXCEEDED";
inline constexpr std::string_view kCooldownActive = "COOLDOWN_ACTIVE";
inline constexpr std::string_view kAnomalyDetected = "ANOMALY_DETECTED";
}  // namespace reason

// Payload key under which the reason is stored.
inline constexpr char kReasonPayloadKey[] = "horizonscale.dev/reason";

// Returns `status` with `reason` (one of reason::k...) attached. An OK status
// is returned unchanged.
inline absl::Status WithReason(absl::Status status, std::string_view reason) {
  // Debian's Abseil has its own string_view type, not std::string_view.
  if (!status.ok()) {
    status.SetPayload(kReasonPayloadKey,
                      absl::Cord(absl::string_view(reason.data(), reason.size())));
  }
  return status;
}

// The reason attached by WithReason, if any.
inline std::optional<std::string> ReasonOf(const absl::Status& status) {
  // Debian's Abseil has its own optional type, not std::optional.
  absl::optional<absl::Cord> payload = status.GetPayload(kReasonPayloadKey);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

// True when `status` carries `reason` (attached by WithReason).
inline bool HasReason(const absl::Status& status, std::string_view reason) {
  const std::optional<std::string> attached = ReasonOf(status);
  return attached.has_value() && *attached == reason;
}

// FAILED_PRECONDITION with `message` and reason INSUFFICIENT_HISTORY: the
// input is too short for what was asked (a model's minimum, a backtest).
inline absl::Status InsufficientHistoryError(absl::string_view message) {
  return WithReason(absl::FailedPreconditionError(message), reason::kInsufficientHistory);
}

// True when `status` carries reason INSUFFICIENT_HISTORY.
inline bool IsInsufficientHistory(const absl::Status& status) {
  return HasReason(status, reason::kInsufficientHistory);
}

}  // namespace horizonscale
