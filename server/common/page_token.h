// Opaque, tamper-evident page tokens (AIP-158). ListPlans': the position
// after the last plan of a page, bound to the queue listed so a token cannot
// be replayed against another queue. ListQueues': the last name of a page.
// The fleet reports': an offset into the
// fixed order of a finished run's rows, bound to the run and the filters of
// the request.
//
// A token is its content and an HMAC-SHA256 tag of it under the server's
// page-token secret; a token whose tag does not verify, whose content does
// not parse, or whose values are out of range decodes to nullopt, so nothing
// a client forges reaches the database. The secret is HS_PAGE_TOKEN_SECRET
// when set (replicas behind one address must share it), otherwise random per
// process: tokens then end with the process, and a client restarts its
// listing.
//
// Thread safety: all functions may be called concurrently, once
// SetPageTokenSecret (if called) has returned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/plan_repository.h"

namespace horizonscale::server {

// Longest page_token accepted, in bytes; longer ones are refused unread.
inline constexpr size_t kMaxPageTokenBytes = 1024;

// Replaces the secret tokens are signed with. Call before serving.
void SetPageTokenSecret(std::string_view secret);

std::string EncodePlanPageToken(const std::string& queue, const db::PlanCursor& cursor);

// The cursor of `token`, or nullopt when it is forged, malformed, out of
// range, or made for another queue.
std::optional<db::PlanCursor> DecodePlanPageToken(const std::string& queue,
                                                  const std::string& token);

// A token for the queue listing's position after the queue `name`.
std::string EncodeQueuePageToken(const std::string& name);

// The name of `token`, or nullopt when it is forged or malformed.
std::optional<std::string> DecodeQueuePageToken(const std::string& token);

// A token for position `offset` of the listing identified by `scope` (the
// run id and every filter of the request).
std::string EncodeOffsetPageToken(const std::string& scope, int64_t offset);

// The offset of `token`, or nullopt when it is forged, malformed, or was made
// for another scope.
std::optional<int64_t> DecodeOffsetPageToken(const std::string& scope, const std::string& token);

}  // namespace horizonscale::server
