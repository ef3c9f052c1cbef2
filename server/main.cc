// horizonscale-server: the gRPC capacity-planning server.
//
// Lifecycle: parse flags -> log setup -> listen on the gRPC and HTTP ports
// (health NOT_SERVING) ->
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
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>

#include "db/plan_repository.h"
#include "db/queue_change_listener.h"
#include "db/queue_repository.h"
#include "server/common/database_lease.h"
#include "server/common/database_supervisor.h"
#include "server/common/log.h"
#include "server/common/malloc_policy.h"
#include "server/common/openmp_wait_policy.h"
#include "server/common/options.h"
#include "server/common/page_token.h"
#include "server/fleet/fleet_metrics_refresher.h"
#include "server/fleet/fleet_run_worker.h"
#include "server/fleet/fleet_service.h"
#include "server/health_service.h"
#include "server/http/connect_unary.h"
#include "server/http/http_server.h"
#include "server/keda/external_scaler_service.h"
#include "server/keda/prometheus_source.h"
#include "server/keda/scaling_decisions.h"
#include "server/metrics/fleet_metrics.h"
#include "server/metrics/metrics_registry.h"
#include "server/metrics/planner_metrics.h"
#include "server/metrics/process_metrics.h"
#include "server/metrics/rpc_metrics.h"
#include "server/planner/capacity_planner_service.h"
#include "server/security/access_control.h"
#include "server/security/call_gate.h"
#include "server/security/grpc_tls.h"
#include "server/security/tls_config.h"
#include "server/transport/call_runtime.h"
#include "server/transport/rpc_log_interceptor.h"

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

// Protobuf logs an ERROR line for every string field that is not UTF-8 in a
// message it parses: a client's fault (answered INVALID_ARGUMENT), which a
// hostile client could repeat to flood the log. Its lines go to the
// structured log at debug level; FATAL ones stay errors.
void RouteProtobufLogs() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level, const char* file, int line,
                                     const std::string& message) {
    hs::Log(level == google::protobuf::LOGLEVEL_FATAL ? spdlog::level::err : spdlog::level::debug,
            "protobuf", {{"message", message}, {"source", absl::StrCat(file, ":", line)}});
  });
}

int WaitForTermination(const sigset_t& signals) {
  int signal = 0;
  while (sigwait(&signals, &signal) != 0) {
  }
  return signal;
}

// The health name that is SERVING as long as the process serves.
constexpr std::string_view kLivenessService = "liveness";

// Threads of gRPC's synchronous server, which serves only server reflection
// (a few calls by grpcurl or buf curl at a time).
constexpr int kReflectionThreads = 4;

const std::vector<std::string>& ServedServices() {
  static const std::vector<std::string> services = {
      "",  // the server as a whole
      horizonscale::v1::CapacityPlannerService::service_full_name(),
      horizonscale::v1::FleetService::service_full_name(),
      externalscaler::ExternalScaler::service_full_name(),
  };
  return services;
}

// The services whose RPCs are counted in /metrics and whose unary methods
// the HTTP port serves as JSON: the served ones and the standard health.
std::vector<std::string> ApiServices() {
  std::vector<std::string> services(ServedServices().begin() + 1, ServedServices().end());
  services.push_back(grpc::health::v1::Health::service_full_name());
  return services;
}

// Whether `credentials` may read GET /metrics: any identity of the access
// file with the reader role or more (Prometheus scrapes with a token).
grpc::Status MetricsAccess(hs::AccessControl& access, const hs::Credentials& credentials) {
  hs::Identity identity;
  if (grpc::Status who = access.Authenticate(credentials, identity); !who.ok()) return who;
  if (identity.role < hs::Role::kReader) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        identity.name + " may not read /metrics: it needs the reader role");
  }
  return grpc::Status::OK;
}

// "off", "tls", or "mtls-request" / "mtls-require", for the log.
std::string TlsMode(const hs::TlsConfig& tls) {
  if (!tls.enabled()) return "off";
  switch (tls.client_certificates) {
    case hs::ClientCertificates::kNone:
      return "tls";
    case hs::ClientCertificates::kRequest:
      return "mtls-request";
    case hs::ClientCertificates::kRequire:
      return "mtls-require";
  }
  return "tls";
}

const char* StatusName(grpc::health::v1::HealthCheckResponse::ServingStatus status) {
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(status).c_str();
}

}  // namespace

int main(int argc, char** argv) {
  hs::EnsurePassiveOpenMpWaitPolicy(argv);
  // A client that goes away while an answer is written (HTTP over TLS writes
  // with write(2)) must cost that connection an error, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  hs::KeepFreedMemoryForReuse();
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
  // TLS on both ports, or plaintext only where no other machine reaches it
  // (unless --allow_insecure).
  const hs::TlsConfig tls{.cert_file = options->tls_cert,
                          .key_file = options->tls_key,
                          .client_ca_file = options->tls_client_ca,
                          .client_certificates = options->tls_client_auth == "require"
                                                     ? hs::ClientCertificates::kRequire
                                                 : options->tls_client_auth == "request"
                                                     ? hs::ClientCertificates::kRequest
                                                     : hs::ClientCertificates::kNone};
  for (absl::Status s : {hs::CheckTlsConfig(tls),
                         hs::CheckListenSecurity("--listen", options->listen, tls.enabled(),
                                                 options->allow_insecure),
                         options->http_listen.empty()
                             ? absl::OkStatus()
                             : hs::CheckListenSecurity("--http_listen", options->http_listen,
                                                       tls.enabled(), options->allow_insecure)}) {
    if (!s.ok()) {
      std::cerr << "horizonscale-server: " << s.message() << "\n";
      return 2;
    }
  }
  RouteProtobufLogs();
  // Replicas behind one address share the page-token secret (see page_token.h).
  if (const char* secret = std::getenv("HS_PAGE_TOKEN_SECRET"); secret != nullptr && *secret) {
    hs::SetPageTokenSecret(secret);
  }
  // Bound libpq's connection attempts so an unreachable host cannot stall
  // start-up retries or shutdown (a URL's own connect_timeout still wins).
  setenv("PGCONNECT_TIMEOUT", "5", /*overwrite=*/0);

  // What every service's transport shares; outlives the server (stopped
  // after it).
  hs::WorkPool work_pool(options->worker_threads, options->max_queued_calls);
  hs::TimerQueue timers;
  hs::StreamLimits streams(options->max_streams_per_peer, options->max_streams);
  // Who may call what (--access_file); without one every call is admitted.
  std::unique_ptr<hs::AccessControl> access;
  if (!options->access_file.empty()) {
    absl::StatusOr<std::unique_ptr<hs::AccessControl>> opened =
        hs::AccessControl::Open(options->access_file);
    if (!opened.ok()) {
      std::cerr << "horizonscale-server: " << opened.status().message() << "\n";
      return 2;
    }
    access = *std::move(opened);
  } else if (!hs::IsLoopbackHost(options->listen.substr(0, options->listen.rfind(':')))) {
    hs::Log(spdlog::level::warn, "no_access_file",
            {{"listen", options->listen},
             {"consequence", "every client that reaches the port may call every method"},
             {"hint", "give --access_file (README: Access control)"}});
  }
  hs::CallGate gate(access.get());
  const hs::CallRuntime runtime{
      .pool = &work_pool,
      .timers = &timers,
      .streams = &streams,
      .gate = &gate,
      .stream_idle_timeout = absl::Milliseconds(options->stream_idle_timeout.count())};

  hs::HealthService health(runtime);
  for (const std::string& service : ServedServices()) {
    health.SetStatus(service, hs::HealthService::ServingStatus(
                                  grpc::health::v1::HealthCheckResponse::NOT_SERVING));
  }
  // For liveness probes: SERVING while the process serves, whatever the
  // database does (NOT_SERVING once the drain starts).
  health.SetStatus(
      std::string(kLivenessService),
      hs::HealthService::ServingStatus(grpc::health::v1::HealthCheckResponse::SERVING));
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
  hs::CapacityPlannerServiceImpl planner_service(
      runtime, [&database] { return database.pool(); }, options->persist_plans,
      options->max_simulation_events);
  // KEDA's external scaler: plans derived from each queue's newest metrics
  // (pushed here by GeneratePlan, stored by another replica, or pulled from
  // the Prometheus a ScaledObject names).
  hs::ScalingDecisions scaling_decisions(
      [&database, persist = options->persist_plans](const std::string& queue)
          -> absl::StatusOr<std::optional<horizonscale::planner::QueueSample>> {
        if (!persist) return std::nullopt;  // memory only: what this server heard
        std::shared_ptr<horizonscale::db::ConnectionPool> pool = database.pool();
        if (pool == nullptr) return hs::DatabaseNotReachableYetError();
        absl::StatusOr<horizonscale::db::ConnectionPool::Lease> lease =
            pool->Acquire(hs::kLeaseTimeout);
        if (!lease.ok()) return lease.status();
        return horizonscale::db::LoadLatestMetrics(**lease, queue);
      },
      [&planner_service](const horizonscale::v1::GeneratePlanRequest& request,
                         horizonscale::v1::GeneratePlanResponse& response) {
        return planner_service.DerivePlan(request, response);
      },
      hs::QueryPrometheus,
      [&planner_service](const horizonscale::v1::GeneratePlanRequest& request) {
        planner_service.RecordMetrics(request);
      },
      absl::Milliseconds(options->scaler_metrics_refresh.count()));
  hs::ExternalScalerService scaler_service(runtime, scaling_decisions);

  // /metrics: what every part counts, and what is read when scraped.
  hs::MetricsRegistry metrics;
  std::vector<std::string> metric_services = ApiServices();
  metric_services.push_back("grpc.reflection.v1alpha.ServerReflection");
  hs::RpcMetrics rpc_metrics(metrics, metric_services);
  hs::PlannerMetrics planner_metrics(metrics, options->metrics_max_queues);
  hs::ProcessMetrics process_metrics(metrics);
  hs::FleetMetrics fleet_metrics(metrics);
  hs::FleetMetricsRefresher fleet_metrics_refresher(
      [&database] { return database.pool(); }, fleet_metrics,
      absl::Milliseconds(options->metrics_refresh.count()), options->metrics_max_risk_series);
  planner_service.SetMetrics(&planner_metrics, &process_metrics);
  metrics.AddCollectHook([&] {
    const hs::ForecastCache::Stats cache = planner_service.ForecastCacheStats();
    planner_metrics.SetForecastCache(cache.hits, cache.misses);
    for (const auto& [name, status] : health.Statuses()) {
      process_metrics.SetHealth(name, status == grpc::health::v1::HealthCheckResponse::SERVING);
    }
    if (std::shared_ptr<horizonscale::db::ConnectionPool> pool = database.pool()) {
      const horizonscale::db::ConnectionPool::Stats stats = pool->stats();
      process_metrics.SetDatabasePool(stats.capacity, stats.in_use, stats.idle, stats.waiting);
    } else {
      process_metrics.SetDatabasePool(options->db_pool_size, 0, 0, 0);
    }
    const hs::ScalingDecisions::BasisCounts bases = scaling_decisions.CountByBasis();
    process_metrics.SetScalerTargets(bases.plan, bases.last_good_plan, bases.hold_current);
  });
  planner_service.SetQueueObservers(
      {.metrics_recorded =
           [&](const std::string& queue, const horizonscale::planner::QueueSample& current) {
             scaling_decisions.MetricsRecorded(queue, current);
             scaler_service.QueueMetricsChanged(queue);
           },
       .queue_changed =
           [&](const std::string& queue) {
             scaling_decisions.QueueChanged(queue);
             scaler_service.QueueMetricsChanged(queue);
           },
       .all_queues_changed = [&] { scaling_decisions.AllQueuesChanged(); }});
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
  hs::FleetServiceImpl fleet_service(
      runtime, [&database] { return database.pool(); },
      [&fleet_worker] {
        if (fleet_worker != nullptr) fleet_worker->Wake();
      });

  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options->listen, hs::GrpcServerCredentials(tls), &port);
  // A second server on the same port must fail, not share it silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Every HorizonScale method and health are on the callback API (see
  // server/transport/unary_call.h): their blocking work runs on work_pool. Server
  // reflection is the only synchronous service; its threads are its own.
  grpc::ResourceQuota quota("horizonscale-server");
  quota.SetMaxThreads(kReflectionThreads);
  builder.SetResourceQuota(quota);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              kReflectionThreads);
  builder.RegisterService(&health);
  builder.RegisterService(&planner_service);
  builder.RegisterService(&fleet_service);
  builder.RegisterService(&scaler_service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<hs::RpcLogInterceptorFactory>());
  interceptors.push_back(std::make_unique<hs::RpcMetricsInterceptorFactory>(rpc_metrics));
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
           {"tls", TlsMode(tls)},
           {"worker_threads", options->worker_threads},
           {"max_streams_per_peer", options->max_streams_per_peer},
           {"max_streams", options->max_streams},
           {"stream_idle_timeout_ms", static_cast<double>(options->stream_idle_timeout.count())},
           {"drain_timeout_ms", static_cast<double>(options->drain_timeout.count())}});

  // The HTTP port: its JSON calls are gRPC calls to this server, in-process.
  std::unique_ptr<hs::ConnectUnaryBridge> json_calls;
  std::unique_ptr<hs::HttpServer> http;
  if (!options->http_listen.empty()) {
    json_calls = std::make_unique<hs::ConnectUnaryBridge>(
        server->InProcessChannel(grpc::ChannelArguments()), ApiServices(), gate.bridge_key());
    absl::StatusOr<std::unique_ptr<hs::HttpServer>> started = hs::HttpServer::Start(
        {.listen = options->http_listen, .threads = options->http_threads, .tls = tls},
        {.metrics = [&metrics] { return metrics.Render(); },
         .health =
             [&health] {
               std::map<std::string, std::string> names;
               for (const auto& [name, status] : health.Statuses()) {
                 names[name] = StatusName(status);
               }
               return names;
             },
         .health_details =
             [&scaling_decisions] {
               const hs::ScalingDecisions::BasisCounts bases = scaling_decisions.CountByBasis();
               return absl::StrCat("{\"kedaScalerTargets\":{\"plan\":", bases.plan,
                                   ",\"lastGoodPlan\":", bases.last_good_plan,
                                   ",\"holdCurrent\":", bases.hold_current, "}}");
             },
         .rpc = json_calls.get(),
         .metrics_access =
             access == nullptr || options->metrics_open
                 ? std::function<grpc::Status(const hs::Credentials&)>()
                 : [&access](const hs::Credentials&
                                 credentials) { return MetricsAccess(*access, credentials); }});
    if (!started.ok()) {
      hs::Log(spdlog::level::critical, "http_listen_failed",
              {{"http_listen", options->http_listen},
               {"message", std::string(started.status().message())}});
      server->Shutdown();
      return 1;
    }
    http = *std::move(started);
    hs::Log(spdlog::level::info, "http_listening",
            {{"http_listen", options->http_listen},
             {"port", http->port()},
             {"tls", TlsMode(tls)},
             {"http_threads", options->http_threads}});
  }

  database.Start();
  if (fleet_worker != nullptr) fleet_worker->Start();
  fleet_metrics_refresher.Start();
  // What another replica changes about a queue (an action recorded, its
  // settings updated, a reset) drops this replica's memory of it.
  std::unique_ptr<horizonscale::db::QueueChangeListener> queue_changes;
  if (options->persist_plans) {
    queue_changes = std::make_unique<horizonscale::db::QueueChangeListener>(
        options->database_url,
        [&planner_service](const std::string& queue) { planner_service.QueueChanged(queue); },
        [&planner_service] { planner_service.AllQueuesChanged(); });
    queue_changes->Start();
  }

  const int signal = WaitForTermination(termination);
  hs::Log(spdlog::level::info, "draining",
          {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"},
           {"drain_timeout_ms", static_cast<double>(options->drain_timeout.count())}});
  health.Shutdown();
  scaler_service.Shutdown();
  const auto deadline = std::chrono::system_clock::now() + options->drain_timeout;
  server->Shutdown(deadline);  // returns once in-flight calls ended or were cancelled
  server->Wait();
  // JSON calls were gRPC calls: they have ended too. Scrapes may end now.
  if (http != nullptr) http->Stop();
  // Every call has ended: nothing uses the pool or the timers any more.
  work_pool.Stop();
  timers.Stop();
  // Plans still being committed (the scaler's recordings of pulled metrics)
  // are answered now, while the scaler their observers tell still exists.
  planner_service.Stop();
  if (fleet_worker != nullptr) fleet_worker->Stop();
  if (queue_changes != nullptr) queue_changes->Stop();
  fleet_metrics_refresher.Stop();
  database.Stop();
  hs::Log(spdlog::level::info, "stopped");
  return 0;
}
