#include "server/transport/stream_limits.h"

#include <absl/strings/str_cat.h>

#include "server/common/errors.h"

namespace horizonscale::server {

std::string PeerAddress(std::string_view peer) {
  if (!peer.starts_with("ipv4:") && !peer.starts_with("ipv6:")) return std::string(peer);
  const size_t colon = peer.rfind(':');
  // "ipv6:[::1]:5000": the port follows the closing bracket.
  if (colon <= 4 || (peer.starts_with("ipv6:[") && peer[colon - 1] != ']')) {
    return std::string(peer);
  }
  return std::string(peer.substr(0, colon));
}

StreamSlot::StreamSlot(StreamSlot&& other) noexcept
    : limits_(std::exchange(other.limits_, nullptr)), address_(std::move(other.address_)) {}

StreamSlot& StreamSlot::operator=(StreamSlot&& other) noexcept {
  if (this != &other) {
    Release();
    limits_ = std::exchange(other.limits_, nullptr);
    address_ = std::move(other.address_);
  }
  return *this;
}

StreamSlot::~StreamSlot() { Release(); }

void StreamSlot::Release() {
  if (limits_ != nullptr) std::exchange(limits_, nullptr)->Release(address_);
}

grpc::Status StreamLimits::Admit(std::string_view method, std::string_view peer, StreamSlot& slot) {
  std::string address = PeerAddress(peer);
  {
    std::lock_guard lock(mutex_);
    if (open_ >= total_) {
      return MakeError(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kTooManyStreams,
                       absl::StrCat("the server already serves ", total_,
                                    " streams, its limit (--max_streams); ", std::string(method),
                                    " was refused: retry later with backoff"));
    }
    auto it = by_address_.try_emplace(address, 0).first;
    if (it->second >= per_peer_) {
      return MakeError(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kTooManyStreams,
                       absl::StrCat(address, " already has ", per_peer_,
                                    " streams open, the limit per client address "
                                    "(--max_streams_per_peer); ",
                                    std::string(method), " was refused: end a stream first"));
    }
    ++it->second;
    ++open_;
  }
  slot = StreamSlot(this, std::move(address));
  return grpc::Status::OK;
}

int StreamLimits::open(std::string_view peer) const {
  std::lock_guard lock(mutex_);
  auto it = by_address_.find(PeerAddress(peer));
  return it == by_address_.end() ? 0 : it->second;
}

int StreamLimits::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

void StreamLimits::Release(const std::string& address) {
  std::lock_guard lock(mutex_);
  --open_;
  auto it = by_address_.find(address);
  if (it != by_address_.end() && --it->second == 0) by_address_.erase(it);
}

}  // namespace horizonscale::server
