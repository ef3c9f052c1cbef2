#include "server/metrics/metrics_registry.h"

#include <prometheus/text_serializer.h>

namespace horizonscale::server {

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
  return prometheus::TextSerializer().Serialize(registry_.Collect());
}

}  // namespace horizonscale::server
