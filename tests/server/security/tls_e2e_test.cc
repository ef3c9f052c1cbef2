// TLS on both ports of the real server, with certificates this test makes
// with Debian's openssl: the handshake, mTLS required and requested, a
// certificate from another CA refused, a rotated certificate served to new
// connections without a restart (open ones kept), a client presenting its
// certificate as KEDA does (TriggerAuthentication tlsClientCert), and the
// refusal to serve plaintext to other machines.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <absl/strings/str_cat.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/ssl.h>

#include "externalscaler/externalscaler.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/server_process.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_database.h"

namespace horizonscale::testing {
namespace {

using namespace std::chrono_literals;
namespace health = grpc::health::v1;

class TlsE2e : public ::testing::Test {
 protected:
  // A refused handshake can close the socket under a client's write.
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }

  // Starts the server with TLS (`client_auth`: none, request, require) on
  // both ports; the certificate is live.pem (server.pem at first).
  void StartServer(const std::string& client_auth) {
    std::vector<std::string> flags = {"--listen=127.0.0.1:0",
                                      "--http_listen=127.0.0.1:0",
                                      "--database_url=" + database_.url(),
                                      "--drain_timeout=2s",
                                      "--fleet_workers=0",
                                      "--tls_cert=" + certificates_.Path("live.pem"),
                                      "--tls_key=" + certificates_.Path("live.key"),
                                      "--tls_client_auth=" + client_auth};
    if (client_auth != "none") flags.push_back("--tls_client_ca=" + certificates_.Path("ca.pem"));
    server_ = std::make_unique<ServerProcess>(HS_SERVER_BINARY, flags);
    const std::optional<int> port = server_->ListeningPort(60s);
    const std::optional<int> http_port = server_->HttpPort(10s);
    ASSERT_TRUE(port.has_value() && http_port.has_value()) << server_->Log();
    port_ = *port;
    http_port_ = *http_port;
  }

  void TearDown() override {
    if (server_ == nullptr) return;
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->WaitForExit(30s), std::optional<int>(0)) << server_->Log();
  }

  // A TLS channel trusting the test CA, presenting `client` ("" none).
  std::shared_ptr<grpc::Channel> Channel(const std::string& client) const {
    return certificates_.Channel(port_, client);
  }

  // Health/Check("liveness") through `channel`: its status code.
  static grpc::StatusCode Liveness(const std::shared_ptr<grpc::Channel>& channel) {
    health::HealthCheckRequest request;
    request.set_service("liveness");
    health::HealthCheckResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5s);
    return health::Health::NewStub(channel)->Check(&context, request, &response).error_code();
  }

  // GET /healthz over HTTPS trusting the test CA, presenting `client`; the
  // HTTP status, or -1 when the connection failed.
  int Healthz(const std::string& client) const {
    std::unique_ptr<httplib::SSLClient> http =
        client.empty() ? std::make_unique<httplib::SSLClient>("127.0.0.1", http_port_)
                       : std::make_unique<httplib::SSLClient>("127.0.0.1", http_port_,
                                                              certificates_.Path(client + ".pem"),
                                                              certificates_.Path(client + ".key"));
    http->set_ca_cert_path(certificates_.Path("ca.pem").c_str());
    http->enable_server_certificate_verification(true);
    http->set_connection_timeout(5, 0);
    httplib::Result result = http->Get("/healthz");
    return result ? result->status : -1;
  }

  TestCertificates certificates_;
  TestDatabase database_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
  int http_port_ = 0;
};

TEST_F(TlsE2e, BothPortsServeTlsAndRefusePlaintext) {
  StartServer("none");
  EXPECT_NE(server_->Log().find("tls=tls"), std::string::npos) << server_->Log();
  EXPECT_EQ(Liveness(Channel("")), grpc::StatusCode::OK) << server_->Log();
  EXPECT_EQ(Healthz(""), 200);
  // Plaintext on either port gets nothing.
  EXPECT_NE(Liveness(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                         grpc::InsecureChannelCredentials())),
            grpc::StatusCode::OK);
  httplib::Client plain("127.0.0.1", http_port_);
  plain.set_connection_timeout(5, 0);
  httplib::Result answer = plain.Get("/healthz");
  EXPECT_TRUE(!answer || answer->status != 200);
}

TEST_F(TlsE2e, RequiredClientCertificatesAreCheckedLikeKedasTriggerAuthentication) {
  StartServer("require");
  EXPECT_EQ(Liveness(Channel("client")), grpc::StatusCode::OK) << server_->Log();
  EXPECT_NE(Liveness(Channel("")), grpc::StatusCode::OK);
  EXPECT_NE(Liveness(Channel("rogue")), grpc::StatusCode::OK);
  EXPECT_EQ(Healthz("client"), 200);
  EXPECT_EQ(Healthz(""), -1);
  EXPECT_EQ(Healthz("rogue"), -1);
  // KEDA's call, with the client certificate of its TriggerAuthentication.
  auto scaler = externalscaler::ExternalScaler::NewStub(Channel("client"));
  externalscaler::ScaledObjectRef ref;
  ref.set_name("checkout-workers");
  ref.set_namespace_("shop");
  (*ref.mutable_scalermetadata())["queue"] = "checkout";
  externalscaler::GetMetricSpecResponse spec;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  ASSERT_TRUE(scaler->GetMetricSpec(&context, ref, &spec).ok());
  ASSERT_EQ(spec.metricspecs_size(), 1);
  EXPECT_EQ(spec.metricspecs(0).metricname(), "horizonscale-checkout");
}

TEST_F(TlsE2e, RequestedClientCertificatesAreVerifiedWhenSent) {
  StartServer("request");
  EXPECT_EQ(Liveness(Channel("")), grpc::StatusCode::OK) << server_->Log();
  EXPECT_EQ(Liveness(Channel("client")), grpc::StatusCode::OK);
  EXPECT_NE(Liveness(Channel("rogue")), grpc::StatusCode::OK);
  EXPECT_EQ(Healthz(""), 200);
  EXPECT_EQ(Healthz("client"), 200);
  EXPECT_EQ(Healthz("rogue"), -1);
}

TEST_F(TlsE2e, ARotatedCertificateIsServedWithoutARestart) {
  StartServer("none");
  const std::string first = certificates_.Serial("server.pem");
  const std::string second = certificates_.Serial("server2.pem");
  ASSERT_NE(first, second);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(certificates_.ServedSerial(port_), first);
  EXPECT_EQ(certificates_.ServedSerial(http_port_), first);
  std::shared_ptr<grpc::Channel> open = Channel("");
  ASSERT_EQ(Liveness(open), grpc::StatusCode::OK);

  // Kubernetes rewrites the mounted secret: key and certificate replaced.
  std::filesystem::copy_file(certificates_.Path("server2.key"), certificates_.Path("live.key"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(certificates_.Path("server2.pem"), certificates_.Path("live.pem"),
                             std::filesystem::copy_options::overwrite_existing);
  const auto until = std::chrono::steady_clock::now() + 40s;
  bool grpc_rotated = false, http_rotated = false;
  while (std::chrono::steady_clock::now() < until && !(grpc_rotated && http_rotated)) {
    std::this_thread::sleep_for(500ms);
    grpc_rotated = grpc_rotated || certificates_.ServedSerial(port_) == second;
    http_rotated = http_rotated || certificates_.ServedSerial(http_port_) == second;
  }
  EXPECT_TRUE(grpc_rotated) << server_->Log();
  EXPECT_TRUE(http_rotated) << server_->Log();
  // The connection opened before the rotation still serves; so does a new one.
  EXPECT_EQ(Liveness(open), grpc::StatusCode::OK);
  EXPECT_EQ(Liveness(Channel("")), grpc::StatusCode::OK);
  EXPECT_EQ(Healthz(""), 200);
}

// Clients that hang up while a large answer is being written over TLS cost
// their connections only (the server ignores SIGPIPE).
TEST_F(TlsE2e, ClientsHangingUpMidAnswerDoNotStopTheServer) {
  StartServer("none");
  for (int i = 0; i < 20; ++i) {
    SSL_CTX* context = SSL_CTX_new(TLS_client_method());
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(http_port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    SSL* ssl = SSL_new(context);
    SSL_set_fd(ssl, fd);
    ASSERT_EQ(SSL_connect(ssl), 1);
    const std::string request =
        "GET /dashboard/uPlot.iife.min.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    SSL_write(ssl, request.data(), static_cast<int>(request.size()));
    // Gone without reading a byte of the 50 KB answer.
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(context);
  }
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(server_->Running()) << server_->Log();
  EXPECT_EQ(Healthz(""), 200);
}

// Without TLS, an address other machines reach is refused unless asked for.
TEST(TlsStartup, PlaintextForOtherMachinesMustBeAskedFor) {
  struct Case {
    std::vector<std::string> flags;
    int exit_code;
    const char* said;
  };
  const Case cases[] = {
      {{"--listen=0.0.0.0:0", "--http_listen="}, 2, "--listen=0.0.0.0:0"},
      {{"--listen=127.0.0.1:0", "--http_listen=0.0.0.0:0"}, 2, "--http_listen=0.0.0.0:0"},
      {{"--listen=127.0.0.1:0", "--tls_cert=/nonexistent.pem", "--tls_key=/nonexistent.key"},
       2,
       "--tls_cert"},
      {{"--listen=127.0.0.1:0", "--tls_client_auth=require"}, 2, "--tls_client_auth"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> flags = c.flags;
    flags.push_back("--database_url=host=127.0.0.1 port=1 connect_timeout=1");
    ServerProcess server(HS_SERVER_BINARY, flags);
    EXPECT_EQ(server.WaitForExit(30s), std::optional<int>(c.exit_code)) << server.Log();
    EXPECT_NE(server.Log().find(c.said), std::string::npos) << server.Log();
    if (c.exit_code == 2) {
      EXPECT_NE(server.Log().find(c.said), std::string::npos);
    }
  }
  // Asked for: it serves.
  ServerProcess allowed(
      HS_SERVER_BINARY,
      {"--listen=0.0.0.0:0", "--http_listen=0.0.0.0:0", "--allow_insecure",
       "--database_url=host=127.0.0.1 port=1 connect_timeout=1", "--fleet_workers=0"});
  EXPECT_TRUE(allowed.ListeningPort(30s).has_value()) << allowed.Log();
  allowed.Signal(SIGTERM);
  EXPECT_EQ(allowed.WaitForExit(30s), std::optional<int>(0)) << allowed.Log();
}

}  // namespace
}  // namespace horizonscale::testing
