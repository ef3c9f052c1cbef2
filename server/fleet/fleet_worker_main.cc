// horizonscale-fleet-worker: scores forecasting tournament runs from the
// database, beside (or instead of) the servers' own fleet workers — e.g. as
// Kubernetes Job pods. Each thread claims shards with FOR UPDATE SKIP LOCKED
// (server/fleet/fleet_run_worker.h); by default the process exits once no running
// run has a shard left to claim.
//
//   horizonscale-fleet-worker --database_url=URL [--threads=N] [--name=NAME]
//                             [--exit_when_idle=true|false] [--log_level=info]
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/synchronization/mutex.h>

#include "server/common/log.h"
#include "server/common/openmp_wait_policy.h"
#include "server/fleet/fleet_run_worker.h"

namespace hs = horizonscale::server;

namespace {

struct WorkerFlags {
  std::string database_url;
  std::string name;
  int threads = 2;
  bool exit_when_idle = true;
  std::string log_level = "info";
};

// Parses --flag=value arguments; returns false (after printing why) on error.
bool ParseFlags(int argc, char** argv, WorkerFlags& flags) {
  if (const char* url = std::getenv("DATABASE_URL")) flags.database_url = url;
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  flags.name = absl::StrCat(host, ":", getpid());
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    const std::string key = arg.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : arg.substr(equals + 1);
    if (key == "--database_url") {
      flags.database_url = value;
    } else if (key == "--name" && !value.empty()) {
      flags.name = value;
    } else if (key == "--threads" && absl::SimpleAtoi(value, &flags.threads) &&
               flags.threads >= 1 && flags.threads <= 256) {
    } else if (key == "--exit_when_idle" && (value == "true" || value == "false")) {
      flags.exit_when_idle = value == "true";
    } else if (key == "--log_level" && !value.empty()) {
      flags.log_level = value;
    } else {
      std::cerr << "horizonscale-fleet-worker: bad argument \"" << arg
                << "\"; flags: --database_url=URL --threads=1..256 --name=NAME "
                   "--exit_when_idle=true|false --log_level=LEVEL\n";
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  hs::EnsurePassiveOpenMpWaitPolicy(argv);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  WorkerFlags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  if (absl::Status s = hs::ConfigureLogging(flags.log_level, hs::LogFormat::kText); !s.ok()) {
    std::cerr << "horizonscale-fleet-worker: " << s.message() << "\n";
    return 2;
  }
  setenv("PGCONNECT_TIMEOUT", "5", /*overwrite=*/0);
  if (!flags.exit_when_idle) {
    hs::FleetRunWorker worker({.database_url = flags.database_url,
                               .name = flags.name,
                               .threads = flags.threads,
                               .poll_interval = absl::Seconds(1),
                               .database_ready = nullptr});
    worker.Start();
    // Runs until killed; a killed worker's open shard is redone elsewhere.
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, shards{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < flags.threads; ++i) {
    threads.emplace_back([&] {
      try {
        pqxx::connection connection(flags.database_url);
        absl::StatusOr<int> scored =
            hs::FleetRunWorker::ScoreAvailableShards(connection, flags.name, stop);
        if (scored.ok()) {
          shards += *scored;
        } else {
          hs::Log(spdlog::level::err, "fleet_worker_failed",
                  {{"error", std::string(scored.status().message())}});
          ++failures;
        }
      } catch (const std::exception& error) {
        hs::Log(spdlog::level::err, "fleet_worker_failed", {{"error", error.what()}});
        ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  hs::Log(spdlog::level::info, "fleet_worker_idle",
          {{"worker", flags.name}, {"shards_scored", shards.load()}});
  return failures.load() == 0 ? 0 : 1;
}
