// The server's HTTP port (--http_listen): Prometheus metrics, health for
// load balancers that cannot speak gRPC, unary RPCs as JSON (Connect's unary
// form, server/http/connect_unary.h) and the dashboard, served by
// cpp-httplib inside the server process.
//
//   GET  /metrics                    Prometheus text exposition (with an access
//                                    file, for a reader's token or certificate
//                                    unless --metrics_open)
//   GET  /healthz                    200 while the process serves (liveness),
//                                    503 once it drains
//   GET  /readyz                     200 while the server as a whole is SERVING
//                                    (gRPC health name ""), 503 otherwise; both
//                                    bodies are JSON with every health name and
//                                    the details (e.g. the KEDA scaler's bases)
//   POST /<package>.<Service>/<Method>  a unary RPC in JSON
//   GET  /, /dashboard/...           the dashboard (server/http/dashboard/)
//
// Requests are served by a fixed pool of threads (--http_threads); a body
// above 4 MiB (gRPC's own limit) is refused with 413. Stop() stops
// accepting and lets the requests in progress finish.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <absl/status/statusor.h>

#include "server/http/connect_unary.h"
#include "server/security/access_control.h"
#include "server/security/http_tls.h"
#include "server/security/tls_config.h"

namespace httplib {
class Server;
}

namespace horizonscale::server {

// What the HTTP port serves, each backed by the server's own parts.
struct HttpRoutes {
  // The text of GET /metrics.
  std::function<std::string()> metrics;
  // Every health name with its status name ("SERVING", "NOT_SERVING").
  std::function<std::map<std::string, std::string>()> health;
  // A JSON object of further health details (may be empty: none).
  std::function<std::string()> health_details;
  // The unary RPCs (null: none served).
  ConnectUnaryBridge* rpc = nullptr;
  // Who may read /metrics: OK, or the refusal (UNAUTHENTICATED: 401,
  // PERMISSION_DENIED: 403); null: everybody.
  std::function<grpc::Status(const Credentials&)> metrics_access{};
};

class HttpServer {
 public:
  struct Options {
    std::string listen;  // host:port; port 0 lets the kernel choose
    int threads = 8;     // requests served at once
    size_t max_body = 4 * 1024 * 1024;
    TlsConfig tls{};  // HTTPS when enabled (checked by CheckTlsConfig)
  };

  // Binds `options.listen` and serves `routes` on a thread of its own, over
  // TLS when options.tls is enabled. Errors: INVALID_ARGUMENT for an address
  // that is not host:port, UNAVAILABLE when it cannot be bound (in use, not
  // local) or TLS cannot be set up.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const Options& options,
                                                           HttpRoutes routes);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  // Stop()s.
  ~HttpServer();

  // The port bound (the kernel's choice when 0 was asked for).
  int port() const { return port_; }

  // Stops accepting connections and waits for the requests in progress.
  // Idempotent.
  void Stop();

 private:
  HttpServer(std::shared_ptr<HttpTlsContext> tls, std::unique_ptr<httplib::Server> server,
             HttpRoutes routes, int port);
  void Route();

  const std::shared_ptr<HttpTlsContext> tls_;  // outlives server_
  std::unique_ptr<httplib::Server> server_;
  const HttpRoutes routes_;
  const int port_;
  std::thread thread_;
};

// Splits "host:port" ("[v6]:port" too) into host and port; INVALID_ARGUMENT
// naming --http_listen otherwise.
absl::StatusOr<std::pair<std::string, int>> ParseHttpListen(const std::string& listen);

}  // namespace horizonscale::server
