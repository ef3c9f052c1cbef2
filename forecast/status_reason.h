// Domain error reasons carried inside absl::Status as a payload, so the
// server can map a domain failure to the API's ErrorInfo.reason (e.g.
// INSUFFICIENT_HISTORY) without parsing messages.
#pragma once

#include <optional>
#include <string>

#include <absl/status/status.h>
#include <absl/strings/cord.h>
#include <absl/types/optional.h>

namespace horizonscale {

// Payload key under which the reason is stored.
inline constexpr char kReasonPayloadKey[] = "horizonscale.dev/reason";

// Returns `status` with `reason` (an API reason such as "INSUFFICIENT_HISTORY")
// attached. An OK status is returned unchanged.
inline absl::Status WithReason(absl::Status status, const std::string& reason) {
  if (!status.ok()) status.SetPayload(kReasonPayloadKey, absl::Cord(reason));
  return status;
}

// The reason attached by WithReason, if any.
inline std::optional<std::string> ReasonOf(const absl::Status& status) {
  // Debian's Abseil has its own optional type, not std::optional.
  absl::optional<absl::Cord> payload = status.GetPayload(kReasonPayloadKey);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace horizonscale
