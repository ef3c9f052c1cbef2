#include "server/http/http_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <httplib.h>

#include "server/common/log.h"
#include "server/http/dashboard_assets.h"

namespace horizonscale::server {
namespace {

// Debian builds Abseil with its own string_view type: convert at the seam.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

// `text` as a JSON string literal (names and statuses: no control bytes
// expected, but escaped all the same).
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppend(&out, "\\u00", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

// Only SO_REUSEADDR: httplib's default also sets SO_REUSEPORT, which would
// let a second server share the port silently.
void SocketOptions(int socket) {
  int yes = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

}  // namespace

absl::StatusOr<std::pair<std::string, int>> ParseHttpListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(AbslView(std::string_view(listen).substr(colon + 1)), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen=\"", listen, "\" is invalid: must be host:port"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, port);
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const Options& options,
                                                              HttpRoutes routes) {
  absl::StatusOr<std::pair<std::string, int>> address = ParseHttpListen(options.listen);
  if (!address.ok()) return address.status();
  std::shared_ptr<HttpTlsContext> tls;
  std::unique_ptr<httplib::Server> server;
  if (options.tls.enabled()) {
    tls = std::make_shared<HttpTlsContext>(options.tls);
    auto secure = std::make_unique<httplib::SSLServer>(
        [tls](SSL_CTX& context) { return tls->SetUp(context); });
    if (!secure->is_valid()) {
      return absl::UnavailableError(
          "cannot set up TLS on the HTTP port: see --tls_cert, --tls_key and --tls_client_ca");
    }
    server = std::move(secure);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  server->set_socket_options(SocketOptions);
  server->set_payload_max_length(options.max_body);
  server->set_read_timeout(std::chrono::seconds(10));
  server->set_write_timeout(std::chrono::seconds(10));
  server->set_keep_alive_timeout(5);
  // Headers and body go out as separate writes: without TCP_NODELAY, Nagle's
  // algorithm and the client's delayed ACK hold every answer ~40 ms.
  server->set_tcp_nodelay(true);
  const int threads = options.threads;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const auto& [host, requested] = *address;
  int port = requested;
  if (requested == 0) {
    port = server->bind_to_any_port(host);
  } else if (!server->bind_to_port(host, requested)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on --http_listen=", options.listen,
                                               ": is the address local and the port free?"));
  }
  std::unique_ptr<HttpServer> http(
      new HttpServer(std::move(tls), std::move(server), std::move(routes), port));
  http->Route();
  http->thread_ = std::thread([raw = http->server_.get()] { raw->listen_after_bind(); });
  return http;
}

HttpServer::HttpServer(std::shared_ptr<HttpTlsContext> tls, std::unique_ptr<httplib::Server> server,
                       HttpRoutes routes, int port)
    : tls_(std::move(tls)), server_(std::move(server)), routes_(std::move(routes)), port_(port) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

void HttpServer::Route() {
  server_->Get("/metrics", [this](const httplib::Request& request, httplib::Response& response) {
    if (routes_.metrics_access) {
      const std::string authorization = request.get_header_value("Authorization");
      const grpc::Status allowed = routes_.metrics_access(
          {.authorization = authorization, .certificate_names = PeerCertificateNames(request.ssl)});
      if (!allowed.ok()) {
        response.status = HttpStatusOf(allowed.error_code());
        if (response.status == 401) response.set_header("WWW-Authenticate", "Bearer");
        response.set_content(ConnectErrorBody(allowed), "application/json");
        return;
      }
    }
    response.set_content(routes_.metrics ? routes_.metrics() : std::string(),
                         "text/plain; version=0.0.4; charset=utf-8");
  });

  // /healthz mirrors the health name "liveness", /readyz the server as a
  // whole (""); both show every name and the details.
  auto health = [this](const std::string& name) {
    return [this, name](const httplib::Request&, httplib::Response& response) {
      const std::map<std::string, std::string> statuses =
          routes_.health ? routes_.health() : std::map<std::string, std::string>{};
      auto found = statuses.find(name);
      const std::string status = found == statuses.end() ? "SERVICE_UNKNOWN" : found->second;
      std::string body = absl::StrCat("{\"status\":", Quoted(status), ",\"services\":{");
      bool first = true;
      for (const auto& [service, value] : statuses) {
        absl::StrAppend(&body, first ? "" : ",", Quoted(service), ":", Quoted(value));
        first = false;
      }
      body.push_back('}');
      if (routes_.health_details) {
        if (std::string details = routes_.health_details(); !details.empty()) {
          absl::StrAppend(&body, ",\"details\":", details);
        }
      }
      body.push_back('}');
      response.status = status == "SERVING" ? 200 : 503;
      response.set_content(body, "application/json");
    };
  };
  server_->Get("/healthz", health("liveness"));
  server_->Get("/readyz", health(""));

  // The dashboard: its files, embedded in the binary.
  server_->Get(R"(/|/dashboard/[A-Za-z0-9_.-]+)",
               [](const httplib::Request& request, httplib::Response& response) {
                 const DashboardAsset* asset = FindDashboardAsset(request.path);
                 if (asset == nullptr) {
                   response.status = 404;
                   return;
                 }
                 response.set_content(std::string(asset->body), std::string(asset->content_type));
                 response.set_header("Cache-Control", "no-cache");
               });

  server_->Post(
      R"(/[^/]+/[^/]+)", [this](const httplib::Request& request, httplib::Response& response) {
        if (routes_.rpc == nullptr) {
          response.status = 404;
          return;
        }
        const HttpAnswer answer =
            routes_.rpc->Call({.path = request.path,
                               .content_type = request.get_header_value("Content-Type"),
                               .body = request.body,
                               .timeout_ms = request.get_header_value("Connect-Timeout-Ms"),
                               .authorization = request.get_header_value("Authorization"),
                               .peer = absl::StrCat(request.remote_addr, ":", request.remote_port),
                               .request_id = request.get_header_value("X-Request-Id"),
                               .certificate_names = PeerCertificateNames(request.ssl)});
        response.status = answer.status;
        response.set_content(answer.body, answer.content_type);
      });

  // Anything else: 404 (a Connect error body for a POST, which a client of
  // the JSON calls expects).
  server_->set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    if (request.method == "POST" && response.status == 404) {
      response.set_content(
          ConnectErrorBody(grpc::Status(
              grpc::StatusCode::UNIMPLEMENTED,
              absl::StrCat("no method ", request.path, ": POST /<package>.<Service>/<Method>"))),
          "application/json");
    } else if (response.status == 413) {
      response.set_content("the request body is above the server's 4 MiB limit\n", "text/plain");
    }
  });
  server_->set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        Log(spdlog::level::err, "http_handler_failed", {{"path", request.path}, {"what", what}});
        response.status = 500;
        response.set_content(
            ConnectErrorBody(grpc::Status(grpc::StatusCode::INTERNAL, "the request failed")),
            "application/json");
      });
}

}  // namespace horizonscale::server
