// horizonscale-server: the gRPC capacity-planning server.
//
// Lifecycle: parse flags -> log setup -> listen (health NOT_SERVING) ->
// connect + migrate the database in the background (SERVING once done) ->
// on SIGTERM/SIGINT: health NOT_SERVING, stop accepting, let in-flight calls
// finish for up to --drain_timeout, cancel the rest, exit 0.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include <absl/strings/str_cat.h>
#include <absl/synchronization/mutex.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>

#include "db/plan_repository.h"
#include "server/capacity_planner_service.h"
#include "server/database_supervisor.h"
#include "server/fleet_run_worker.h"
#include "server/fleet_service.h"
#include "server/health_service.h"
#include "server/log.h"
#include "server/openmp_wait_policy.h"
#include "server/options.h"
#include "server/page_token.h"
#include "server/rpc_log_interceptor.h"

namespace hs = horizonscale::server;

namespace {

// Blocks SIGTERM and SIGINT in this thread and every thread it starts later,
// so that WaitForTermination can take them synchronously.
sigset_t BlockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForTermination(const sigset_t& signals) {
  int signal = 0;
  while (sigwait(&signals, &signal) != 0) {
  }
  return signal;
}

const std::vector<std::string>& ServedServices() {
  static const std::vector<std::string> services = {
      "",  // the server as a whole
      horizonscale::v1::CapacityPlannerService::service_full_name(),
      horizonscale::v1::FleetService::service_full_name(),
  };
  return services;
}

}  // namespace

int main(int argc, char** argv) {
  hs::EnsurePassiveOpenMpWaitPolicy(argv);
  const sigset_t termination = BlockTerminationSignals();
  // Debian's Abseil is built with deadlock detection on, which gRPC's every
  // lock then pays for (about 1 % of the server's CPU under load).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  std::vector<std::string_view> args(argv + 1, argv + argc);
  absl::StatusOr<hs::ServerOptions> options =
      hs::ParseOptions(args, [](const char* name) { return std::getenv(name); });
  if (!options.ok()) {
    std::cerr << "horizonscale-server: " << options.status().message() << "\n";
    return 2;
  }
  if (options->help) {
    std::cout << hs::UsageText();
    return 0;
  }
  if (absl::Status s = hs::ConfigureLogging(options->log_level, options->log_format); !s.ok()) {
    std::cerr << "horizonscale-server: " << s.message() << "\n";
    return 2;
  }
  // Replicas behind one address share the page-token secret (see page_token.h).
  if (const char* secret = std::getenv("HS_PAGE_TOKEN_SECRET"); secret != nullptr && *secret) {
    hs::SetPageTokenSecret(secret);
  }
  // Bound libpq's connection attempts so an unreachable host cannot stall
  // start-up retries or shutdown (a URL's own connect_timeout still wins).
  setenv("PGCONNECT_TIMEOUT", "5", /*overwrite=*/0);

  hs::HealthService health;
  for (const std::string& service : ServedServices()) {
    health.SetStatus(service, hs::HealthService::ServingStatus(
                                  grpc::health::v1::HealthCheckResponse::NOT_SERVING));
  }
  hs::DatabaseSupervisor database(
      options->database_url, options->db_pool_size, options->db_check_interval,
      horizonscale::db::PreparePlanStatements, [&health](bool ready) {
        const auto status = ready ? grpc::health::v1::HealthCheckResponse::SERVING
                                  : grpc::health::v1::HealthCheckResponse::NOT_SERVING;
        for (const std::string& service : ServedServices()) health.SetStatus(service, status);
        hs::Log(spdlog::level::info, "health", {{"status", ready ? "SERVING" : "NOT_SERVING"}});
      });
  // The supervisor creates the database pool once the database is reachable;
  // services ask for it per call.
  hs::CapacityPlannerServiceImpl planner_service([&database] { return database.pool(); },
                                                 options->persist_plans,
                                                 options->max_simulation_events);
  // Tournament runs are scored by these threads (and by any other replica or
  // horizonscale-fleet-worker against the same database).
  std::unique_ptr<hs::FleetRunWorker> fleet_worker;
  if (options->fleet_workers > 0) {
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    fleet_worker = std::make_unique<hs::FleetRunWorker>(hs::FleetRunWorkerOptions{
        .database_url = options->database_url,
        .name = absl::StrCat(host, ":", getpid()),
        .threads = options->fleet_workers,
        .poll_interval = absl::Seconds(1),
        .database_ready = [&database] { return database.pool() != nullptr; }});
  }
  hs::FleetServiceImpl fleet_service([&database] { return database.pool(); },
                                     [&fleet_worker] {
                                       if (fleet_worker != nullptr) fleet_worker->Wake();
                                     });

  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options->listen, grpc::InsecureServerCredentials(), &port);
  // A second server on the same port must fail, not share it silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  grpc::ResourceQuota quota("horizonscale-server");
  quota.SetMaxThreads(options->worker_threads);
  builder.SetResourceQuota(quota);
  // Keep idle handler threads instead of creating and destroying one per
  // blocked call (gRPC's default keeps at most 2 polling per queue), which
  // under load costs more CPU than the calls themselves.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              options->worker_threads);
  builder.RegisterService(&health);
  builder.RegisterService(&planner_service);
  builder.RegisterService(&fleet_service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<hs::RpcLogInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    hs::Log(spdlog::level::critical, "listen_failed",
            {{"listen", options->listen}, {"hint", "is the address valid and the port free?"}});
    return 1;
  }
  hs::Log(spdlog::level::info, "listening",
          {{"listen", options->listen},
           {"port", port},
           {"worker_threads", options->worker_threads},
           {"drain_timeout_ms", static_cast<double>(options->drain_timeout.count())}});

  database.Start();
  if (fleet_worker != nullptr) fleet_worker->Start();

  const int signal = WaitForTermination(termination);
  hs::Log(spdlog::level::info, "draining",
          {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"},
           {"drain_timeout_ms", static_cast<double>(options->drain_timeout.count())}});
  health.Shutdown();
  const auto deadline = std::chrono::system_clock::now() + options->drain_timeout;
  server->Shutdown(deadline);  // returns once in-flight calls ended or were cancelled
  server->Wait();
  if (fleet_worker != nullptr) fleet_worker->Stop();
  database.Stop();
  hs::Log(spdlog::level::info, "stopped");
  return 0;
}
