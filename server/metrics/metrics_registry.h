// The server's Prometheus metrics: one registry that every part of the
// server registers its metric families in, rendered in the text exposition
// format by prometheus-cpp for GET /metrics (server/http/).
//
// Most metrics are updated as things happen (an RPC ends, a plan is made).
// Figures that are cheaper to read than to track (pool sizes, health, cache
// statistics) are read by collect hooks, which Render runs first.
//
// Thread safety: every method may be called concurrently.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/registry.h>

namespace horizonscale::server {

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Where metric families are registered (prometheus::Build*().Register).
  prometheus::Registry& registry() { return registry_; }

  // Adds `hook`, run before every Render to bring gauges up to date. It must
  // not block for long (it delays the scrape) and must outlive the registry
  // or be harmless to call until the registry is destroyed.
  void AddCollectHook(std::function<void()> hook);

  // Runs the collect hooks, then renders every metric in the Prometheus
  // text exposition format (version 0.0.4).
  std::string Render();

 private:
  prometheus::Registry registry_;
  std::atomic<size_t> last_size_{0};  // of the last Render's text, to reserve the next
  std::mutex hooks_mutex_;
  std::vector<std::function<void()>> hooks_;  // guarded by hooks_mutex_
};

// The content type of Render's text.
inline constexpr char kPrometheusTextContentType[] = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace horizonscale::server
