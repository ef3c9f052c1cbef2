// Admission of long-lived streams (IngestTelemetry, RunCompetition,
// Health/Watch): at most `per_peer` open at once from one client address and
// at most `total` in the whole server, so that one client cannot take the
// memory and connections every other client needs. A stream holds its place
// (a StreamSlot) until it ends.
//
// Thread safety: all methods may be called concurrently; a StreamSlot may be
// released on any thread, and must not outlive its StreamLimits.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

namespace horizonscale::server {

// The client address of a gRPC peer string without its port:
// "ipv4:10.0.0.7:51234" -> "ipv4:10.0.0.7", "ipv6:[::1]:5000" ->
// "ipv6:[::1]"; other forms ("unix:/path", "") are returned unchanged.
std::string PeerAddress(std::string_view peer);

class StreamLimits;

// A place held by an admitted stream; released on destruction (move-only).
class StreamSlot {
 public:
  StreamSlot() = default;
  StreamSlot(StreamSlot&& other) noexcept;
  StreamSlot& operator=(StreamSlot&& other) noexcept;
  ~StreamSlot();

  // Whether this slot holds a place.
  bool held() const { return limits_ != nullptr; }

 private:
  friend class StreamLimits;
  StreamSlot(StreamLimits* limits, std::string address)
      : limits_(limits), address_(std::move(address)) {}
  void Release();

  StreamLimits* limits_ = nullptr;
  std::string address_;
};

class StreamLimits {
 public:
  // `per_peer` and `total` are >= 1.
  StreamLimits(int per_peer, int total) : per_peer_(per_peer), total_(total) {}
  StreamLimits(const StreamLimits&) = delete;
  StreamLimits& operator=(const StreamLimits&) = delete;

  // Admits a stream of `method` (a full method name, for the message) from
  // `peer` (grpc::ServerContextBase::peer()) into `slot` and returns OK, or
  // returns RESOURCE_EXHAUSTED (reason TOO_MANY_STREAMS) naming the limit
  // that is reached, leaving `slot` empty.
  grpc::Status Admit(std::string_view method, std::string_view peer, StreamSlot& slot);

  // Streams open now (from `peer`'s address, or in total).
  int open(std::string_view peer) const;
  int open() const;

 private:
  friend class StreamSlot;
  void Release(const std::string& address);

  const int per_peer_;
  const int total_;
  mutable std::mutex mutex_;
  std::map<std::string, int, std::less<>> by_address_;  // guarded by mutex_
  int open_ = 0;                                        // guarded by mutex_
};

}  // namespace horizonscale::server
