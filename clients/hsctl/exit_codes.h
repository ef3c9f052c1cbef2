// hsctl's exit codes, one per class of error, for scripts (README "hsctl").
#pragma once

#include <grpcpp/support/status.h>

namespace horizonscale::hsctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOther = 1;               // UNKNOWN, INTERNAL, DATA_LOSS, UNIMPLEMENTED
inline constexpr int kExitUsage = 2;               // bad flags, unreadable or malformed files
inline constexpr int kExitInvalidArgument = 3;     // INVALID_ARGUMENT, OUT_OF_RANGE
inline constexpr int kExitNotFound = 4;            // NOT_FOUND
inline constexpr int kExitFailedPrecondition = 5;  // FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED
inline constexpr int kExitUnavailable = 6;         // UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED
inline constexpr int kExitDenied = 7;              // UNAUTHENTICATED, PERMISSION_DENIED
inline constexpr int kExitExhausted = 8;           // RESOURCE_EXHAUSTED (limits; retry later)

// The exit code of a call that ended with `code`.
int ExitCodeOf(grpc::StatusCode code);

}  // namespace horizonscale::hsctl
