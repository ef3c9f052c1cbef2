#include "server/metrics/metrics_registry.h"

#include <ostream>
#include <streambuf>

#include <prometheus/text_serializer.h>

namespace horizonscale::server {
namespace {

// An output buffer appending to a string reserved up front: the text of a
// large registry (megabytes) is written without regrowing and copying it.
class StringAppendBuffer final : public std::streambuf {
 public:
  explicit StringAppendBuffer(std::string& out) : out_(out) {}

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) out_.push_back(traits_type::to_char_type(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_.append(s, static_cast<size_t>(n));
    return n;
  }

 private:
  std::string& out_;
};

}  // namespace

void MetricsRegistry::AddCollectHook(std::function<void()> hook) {
  std::lock_guard lock(hooks_mutex_);
  hooks_.push_back(std::move(hook));
}

std::string MetricsRegistry::Render() {
  {
    // Held while the hooks run: two scrapes at once update the gauges in turn.
    std::lock_guard lock(hooks_mutex_);
    for (const std::function<void()>& hook : hooks_) hook();
  }
  const std::vector<prometheus::MetricFamily> families = registry_.Collect();
  std::string text;
  text.reserve(last_size_.load(std::memory_order_relaxed) * 11 / 10 + 4096);
  StringAppendBuffer buffer(text);
  std::ostream out(&buffer);
  prometheus::TextSerializer().Serialize(out, families);
  last_size_.store(text.size(), std::memory_order_relaxed);
  return text;
}

}  // namespace horizonscale::server
