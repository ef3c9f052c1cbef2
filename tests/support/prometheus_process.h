// A real Prometheus server (Debian's `prometheus`) as a child process, for
// end-to-end tests: scraping the targets a test names every second, from a
// throwaway data directory; asked with PromQL over its HTTP API.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/server_process.h"

namespace horizonscale::testing {

class PrometheusProcess {
 public:
  // A Prometheus (`binary`) that will scrape `targets` ("host:port", path
  // /metrics) every second, job "test"; not started yet.
  PrometheusProcess(std::string binary, const std::vector<std::string>& targets);
  PrometheusProcess(const PrometheusProcess&) = delete;
  PrometheusProcess& operator=(const PrometheusProcess&) = delete;
  // Stops it and removes its data.
  ~PrometheusProcess();

  // Starts it (again: its data survives a Stop).
  void Start();
  // SIGTERM, and waits for it to exit. Nothing to do when it is not running.
  void Stop();

  // The port of its HTTP API.
  int port() const { return port_; }

  // The value of instant `query` (a single sample), or nullopt when it has
  // none or cannot be asked.
  std::optional<double> Query(const std::string& query) const;

  // Waits up to `timeout` until Query(query) == `value`; false (after an
  // ADD_FAILURE with what it said last and its log) when it never does.
  bool Says(const std::string& query, double value,
            std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;

 private:
  const std::string binary_;
  const int port_;
  const std::filesystem::path directory_;
  std::unique_ptr<ServerProcess> process_;
};

}  // namespace horizonscale::testing
