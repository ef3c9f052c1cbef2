#include "tests/support/prometheus_process.h"

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <thread>

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>
#include <httplib.h>

namespace horizonscale::testing {

PrometheusProcess::PrometheusProcess(std::string binary, const std::vector<std::string>& targets)
    : binary_(std::move(binary)),
      port_(FreeLoopbackPort()),
      directory_(std::filesystem::temp_directory_path() /
                 absl::StrCat("hs-prometheus-", getpid(), "-", port_)) {
  std::filesystem::create_directories(directory_);
  std::ofstream config(directory_ / "prometheus.yml");
  config << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
         << "scrape_configs:\n"
         << "  - job_name: test\n"
         << "    static_configs: [{targets: [";
  for (size_t i = 0; i < targets.size(); ++i) config << (i ? ", '" : "'") << targets[i] << "'";
  config << "]}]\n";
}

PrometheusProcess::~PrometheusProcess() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void PrometheusProcess::Start() {
  process_ = std::make_unique<ServerProcess>(
      binary_, std::vector<std::string>{"--config.file=" + (directory_ / "prometheus.yml").string(),
                                        "--storage.tsdb.path=" + (directory_ / "data").string(),
                                        absl::StrCat("--web.listen-address=127.0.0.1:", port_)});
}

void PrometheusProcess::Stop() {
  if (process_ == nullptr) return;
  process_->Signal(SIGTERM);
  EXPECT_TRUE(process_->WaitForExit(std::chrono::seconds(30)).has_value());
  process_.reset();
}

std::optional<double> PrometheusProcess::Query(const std::string& query) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(1, 0);
  httplib::Result answer =
      client.Get("/api/v1/query", httplib::Params{{"query", query}}, httplib::Headers{});
  if (!answer || answer->status != 200) return std::nullopt;
  // {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[t,"v"]}]}}
  static const std::regex kOneSample(
      R"re("result":\[\{"metric":\{[^}]*\},"value":\[[0-9.]+,"([^"]+)"\]\}\])re");
  std::smatch match;
  double value = 0;
  if (!std::regex_search(answer->body, match, kOneSample) ||
      !absl::SimpleAtod(match[1].str(), &value)) {
    return std::nullopt;
  }
  return value;
}

bool PrometheusProcess::Says(const std::string& query, double value,
                             std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  std::optional<double> said;
  while (std::chrono::steady_clock::now() < until) {
    said = Query(query);
    if (said == value) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << "Prometheus never said " << query << " = " << value
                << " (last: " << (said ? absl::StrCat(*said) : std::string("no single sample"))
                << ")\n"
                << (process_ != nullptr ? process_->Log() : "");
  return false;
}

}  // namespace horizonscale::testing
