// horizonscale-fleet-generator run as a process: the CSV files it writes
// parse back to the library's numbers, its output does not depend on
// threads, bad flags fail clearly, and --target streams hosts then samples
// into a FleetService (an in-process fake standing in for the server).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <absl/strings/str_cat.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "clients/fleet_generator/csv.h"
#include "clients/fleet_generator/fleet_generator.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "tests/clients/csv_reader.h"
#include "tests/support/server_process.h"

namespace horizonscale::fleetgen {
namespace {

namespace v1 = horizonscale::v1;
using horizonscale::testing::ServerProcess;
using testing::ReadCsv;

struct RunResult {
  int exit_code;
  std::string output;  // stdout and stderr
};

RunResult RunGenerator(const std::vector<std::string>& args) {
  ServerProcess process(HS_FLEET_GENERATOR_BINARY, args);
  const std::optional<int> code = process.WaitForExit(std::chrono::seconds(120));
  return {code.value_or(-1), process.Log()};
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/hs-fleetgen-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

TEST(Cli, WritesCsvFilesThatParseBackToTheGeneratedNumbers) {
  TempDir dir;
  const std::string csv = dir / "fleet.csv";
  const RunResult run = RunGenerator({"--hosts=6", "--days=40", "--seed=7", "--end_date=2025-03-01",
                                      "--dirty", "--overshoot_fraction=0.001",
                                      "--scenario_mix=capacity_breach:1,bursty:1", "--csv", csv});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("6 hosts"), std::string::npos) << run.output;

  FleetOptions options;
  options.hosts = 6;
  options.days = 40;
  options.seed = 7;
  options.end_day = absl::CivilDay(2025, 3, 1);
  options.dirty = true;
  options.overshoot_fraction = 0.001;
  options.scenario_weights = {0, 0, 1, 0, 1, 0, 0};

  const std::vector<std::vector<std::string>> samples = ReadCsv(ReadFile(csv));
  const std::vector<std::vector<std::string>> hosts = ReadCsv(ReadFile(csv + ".hosts.csv"));
  const std::vector<std::vector<std::string>> breaches = ReadCsv(ReadFile(csv + ".breaches.csv"));
  ASSERT_FALSE(samples.empty());
  EXPECT_EQ(samples[0],
            (std::vector<std::string>{"host_id", "resource", "date", "p95_utilization_percent"}));
  ASSERT_EQ(hosts.size(), 7u);
  EXPECT_EQ(hosts[0], (std::vector<std::string>{"host_id", "department", "app_code", "scenario"}));
  EXPECT_EQ(breaches[0], (std::vector<std::string>{"host_id", "resource", "true_breach_date"}));

  // Every present day once (twice when duplicated), in host, resource, day
  // order, with exactly the generated value.
  size_t row = 1, breach_row = 1;
  for (int i = 0; i < options.hosts; ++i) {
    const GeneratedHost host = *GenerateHost(options, i);
    EXPECT_EQ(hosts[static_cast<size_t>(i) + 1],
              (std::vector<std::string>{host.spec.host_id, host.spec.department, host.spec.app_code,
                                        ScenarioName(host.spec.scenario)}));
    for (const GeneratedSeries& series : host.series) {
      for (size_t t = 0; t < series.values.size(); ++t) {
        if (std::isnan(series.values[t])) continue;
        const bool twice = std::binary_search(series.duplicate_offsets.begin(),
                                              series.duplicate_offsets.end(), static_cast<int>(t));
        for (int copy = 0; copy < (twice ? 2 : 1); ++copy, ++row) {
          ASSERT_LT(row, samples.size());
          const std::vector<std::string>& fields = samples[row];
          ASSERT_EQ(fields.size(), 4u);
          EXPECT_EQ(fields[0], host.spec.host_id);
          EXPECT_EQ(fields[1], ResourceName(series.resource));
          EXPECT_EQ(fields[2], FormatDate(series.first_day + static_cast<int64_t>(t)));
          EXPECT_EQ(std::strtod(fields[3].c_str(), nullptr), series.values[t]);
        }
      }
      if (series.true_breach_day.has_value()) {
        ASSERT_LT(breach_row, breaches.size());
        EXPECT_EQ(breaches[breach_row++],
                  (std::vector<std::string>{host.spec.host_id, ResourceName(series.resource),
                                            FormatDate(*series.true_breach_day)}));
      }
    }
  }
  EXPECT_EQ(row, samples.size());
  EXPECT_EQ(breach_row, breaches.size());
  EXPECT_GT(breaches.size(), 1u);
}

TEST(Cli, OutputDoesNotDependOnThreads) {
  TempDir dir;
  const std::vector<std::string> common = {"--hosts=150", "--days=60", "--seed=3", "--dirty"};
  std::vector<std::string> one = common, three = common;
  one.push_back(absl::StrCat("--csv=", (dir / "one.csv").string()));
  one.push_back("--threads=1");
  three.push_back(absl::StrCat("--csv=", (dir / "three.csv").string()));
  three.push_back("--threads=3");
  ASSERT_EQ(RunGenerator(one).exit_code, 0);
  ASSERT_EQ(RunGenerator(three).exit_code, 0);
  for (const std::string suffix : {".csv", ".csv.hosts.csv", ".csv.breaches.csv"}) {
    const std::string a = ReadFile(dir / ("one" + suffix));
    EXPECT_FALSE(a.empty());
    EXPECT_TRUE(a == ReadFile(dir / ("three" + suffix))) << suffix;
  }
}

TEST(Cli, WritesSamplesToStdout) {
  const std::string command =
      absl::StrCat(HS_FLEET_GENERATOR_BINARY, " --hosts=2 --days=10 --csv=- 2>/dev/null");
  std::FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::vector<std::vector<std::string>> rows = ReadCsv(text);
  ASSERT_EQ(rows.size(), 1u + 2 * 4 * 10);  // the report went to stderr
  EXPECT_EQ(rows[1][0], "host-00000");
  EXPECT_EQ(rows.back()[2], "2026-11-26");
}

TEST(Cli, FailsClearlyOnBadFlags) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--hosts=0", "--csv=-"}, 2, "--hosts"},
      {{"--days=abc", "--csv=-"}, 2, "--days"},
      {{"--end_date=2026-13-01", "--csv=-"}, 2, "--end_date"},
      {{"--scenario_mix=steady_growth:1,nope:2", "--csv=-"}, 2, "nope"},
      {{"--batch_rows=10001", "--target=localhost:1"}, 2, "--batch_rows"},
      {{"--frobnicate", "--csv=-"}, 2, "unknown flag --frobnicate"},
      {{"--hosts=3"}, 2, "nothing to do"},
      {{"--hosts"}, 2, "needs a value"},
      {{"--hosts=2", "--csv=/nonexistent-dir/fleet.csv"}, 1, "cannot create /nonexistent-dir"},
  };
  for (const Case& c : cases) {
    const RunResult run = RunGenerator(c.args);
    EXPECT_EQ(run.exit_code, c.exit_code) << c.args[0] << ": " << run.output;
    EXPECT_NE(run.output.find(c.message), std::string::npos) << c.args[0] << ": " << run.output;
  }
  const RunResult help = RunGenerator({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--target=HOST:PORT"), std::string::npos);
}

// Records every IngestTelemetry message; answers `answer` or, when
// `failure` is set, that error.
class FakeFleetService final : public v1::FleetService::Service {
 public:
  grpc::Status IngestTelemetry(grpc::ServerContext*,
                               grpc::ServerReader<v1::IngestTelemetryRequest>* reader,
                               v1::IngestTelemetryResponse* response) override {
    v1::IngestTelemetryRequest request;
    int64_t samples = 0;
    while (reader->Read(&request)) {
      std::lock_guard lock(mutex_);
      messages_.push_back(request);
      samples += request.samples_size();
    }
    if (!failure_.ok()) return failure_;
    response->set_rows_accepted(samples - 1);
    response->set_rows_rejected(1);
    response->set_hosts_upserted(7);
    v1::RejectedRow* rejected = response->add_rejections();
    rejected->set_index(5);
    rejected->set_host_id("host-00000");
    rejected->set_field("p95_utilization_percent");
    rejected->set_reason("above 100");
    return grpc::Status::OK;
  }

  std::vector<v1::IngestTelemetryRequest> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  void Fail(grpc::Status status) { failure_ = std::move(status); }

 private:
  std::mutex mutex_;
  std::vector<v1::IngestTelemetryRequest> messages_;
  grpc::Status failure_ = grpc::Status::OK;
};

class CliStreaming : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }
  std::string Target() const { return absl::StrCat("--target=127.0.0.1:", port_); }

  FakeFleetService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(CliStreaming, SendsHostsThenSamplesInBoundedMessages) {
  const RunResult run = RunGenerator({"--hosts=7", "--days=30", "--seed=5", "--dirty",
                                      "--batch_rows=25", Target(), "--deadline_seconds=60"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("rows accepted, 1 rejected, 7 hosts upserted"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("row 5 host host-00000 p95_utilization_percent: above 100"),
            std::string::npos)
      << run.output;

  FleetOptions options;
  options.hosts = 7;
  options.days = 30;
  options.seed = 5;
  options.dirty = true;
  // (host, resource, date) -> values received, in order.
  std::map<std::tuple<std::string, int, std::string>, std::vector<double>> received;
  std::vector<std::string> hosts;
  bool samples_started = false;
  for (const v1::IngestTelemetryRequest& message : service_.messages()) {
    EXPECT_LE(message.samples_size(), 25);
    EXPECT_LE(message.hosts_size(), 25);
    EXPECT_TRUE(message.hosts_size() == 0 || !samples_started) << "hosts after samples";
    samples_started = samples_started || message.samples_size() > 0;
    for (const v1::HostMetadata& host : message.hosts()) {
      const HostSpec spec = *FleetHostSpec(options, static_cast<int>(hosts.size()));
      EXPECT_EQ(host.host_id(), spec.host_id);
      EXPECT_EQ(host.department(), spec.department);
      EXPECT_EQ(host.app_code(), spec.app_code);
      EXPECT_EQ(host.scenario(), ScenarioName(spec.scenario));
      hosts.push_back(host.host_id());
    }
    for (const v1::UtilizationSample& sample : message.samples()) {
      received[{sample.host_id(), sample.resource(), sample.date()}].push_back(
          sample.p95_utilization_percent());
    }
  }
  EXPECT_EQ(hosts.size(), 7u);

  size_t keys = 0;
  for (int i = 0; i < options.hosts; ++i) {
    const GeneratedHost host = *GenerateHost(options, i);
    for (const GeneratedSeries& series : host.series) {
      for (size_t t = 0; t < series.values.size(); ++t) {
        if (std::isnan(series.values[t])) continue;
        const auto key = std::make_tuple(host.spec.host_id, static_cast<int>(series.resource) + 1,
                                         FormatDate(series.first_day + static_cast<int64_t>(t)));
        const bool twice = std::binary_search(series.duplicate_offsets.begin(),
                                              series.duplicate_offsets.end(), static_cast<int>(t));
        EXPECT_EQ(received[key], std::vector<double>(twice ? 2 : 1, series.values[t]));
        ++keys;
      }
    }
  }
  EXPECT_EQ(received.size(), keys);
}

TEST_F(CliStreaming, DefaultMessagesHoldAtMostTenThousandSamples) {
  const RunResult run = RunGenerator({"--hosts=30", Target()});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  int64_t samples = 0;
  int full = 0;
  for (const v1::IngestTelemetryRequest& message : service_.messages()) {
    EXPECT_LE(message.samples_size(), 10'000);
    samples += message.samples_size();
    full += message.samples_size() == 10'000 ? 1 : 0;
  }
  EXPECT_EQ(samples, 30 * 4 * 1095);
  EXPECT_EQ(full, 13);  // 131,400 samples
}

TEST_F(CliStreaming, ServerErrorsFailTheRun) {
  service_.Fail(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "IngestTelemetry is not there yet"));
  const RunResult run = RunGenerator({"--hosts=2", "--days=10", Target()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("UNIMPLEMENTED: IngestTelemetry is not there yet"), std::string::npos)
      << run.output;
}

TEST(Cli, UnreachableServerFailsTheRun) {
  const int port = horizonscale::testing::FreeLoopbackPort();
  const RunResult run =
      RunGenerator({"--hosts=2", "--days=10", absl::StrCat("--target=127.0.0.1:", port),
                    "--deadline_seconds=20"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("IngestTelemetry failed with UNAVAILABLE"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace horizonscale::fleetgen
