// Random (version 4) UUIDs for server-assigned identifiers.
#pragma once

#include <string>

namespace horizonscale::server {

// A new random UUID in canonical lowercase form (8-4-4-4-12 hex digits).
// Thread-safe.
std::string NewUuid();

// Whether `text` is a UUID in canonical form (either case).
bool IsUuid(const std::string& text);

}  // namespace horizonscale::server
