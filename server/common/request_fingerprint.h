// Fingerprints of requests, for idempotency keys: a retry must repeat its
// request unchanged, and the stored fingerprint of the first request decides
// whether a later one under the same key is a retry.
#pragma once

#include <string>

#include <google/protobuf/message.h>

namespace horizonscale::server {

// SHA-256 (32 raw bytes) of `request`'s deterministic serialization (map
// entries ordered by key; unknown fields included as received). Equal
// messages give equal fingerprints within one server version. Thread-safe.
std::string RequestFingerprint(const google::protobuf::Message& request);

}  // namespace horizonscale::server
