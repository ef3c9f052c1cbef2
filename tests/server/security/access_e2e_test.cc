// Access control end to end: the real server over TLS (client certificates
// requested) with an access file, PostgreSQL behind it. Every method class
// against every kind of caller (no credentials, an unknown, an expired, a
// reader's, a planner's, an admin's token, client certificates known and
// unknown) over gRPC, the KEDA service and the HTTP port alike; per-identity
// rate and compute limits with RetryInfo while other identities keep being
// served; audit lines; the access file read again when it changes.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/sha.h>

#include "externalscaler/externalscaler.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "horizonscale/v1/planner_service.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_database.h"

namespace horizonscale::testing {
namespace {

namespace pb = google::protobuf;
namespace v1 = horizonscale::v1;
using namespace std::chrono_literals;

constexpr char kPlanner[] = "/horizonscale.v1.CapacityPlannerService/";
constexpr char kFleet[] = "/horizonscale.v1.FleetService/";
constexpr char kScaler[] = "/externalscaler.ExternalScaler/";

std::string Sha256Hex(const std::string& token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

// The tokens of the access file (the file holds their hashes).
const std::map<std::string, std::string> kTokens = {
    {"reader", "reader-token-6f1d2e"},
    {"planner", "planner-token-9a7b3c"},
    {"admin", "admin-token-4c8e1f"},
    {"expired", "expired-token-0b2d4a"},
};

std::string AccessFile(const std::string& limits = "", const std::string& extra_tokens = "") {
  return absl::StrCat(
      "tokens:\n", "  - {identity: dashboard, sha256: ", Sha256Hex(kTokens.at("reader")),
      ", roles: [reader]}\n",
      "  - {identity: planner-bot, sha256: ", Sha256Hex(kTokens.at("planner")),
      ", roles: [planner]}\n", "  - {identity: ops, sha256: ", Sha256Hex(kTokens.at("admin")),
      ", roles: [reader, admin], expires: 2099-01-01T00:00:00Z}\n",
      "  - {identity: old-job, sha256: ", Sha256Hex(kTokens.at("expired")),
      ", roles: [admin], expires: 2020-01-01T00:00:00Z}\n", extra_tokens, "certificates:\n",
      "  - {identity: keda, subject: keda-operator, roles: [planner]}\n", limits);
}

// A refusal's ErrorInfo reason and, when present, its RetryInfo delay.
struct Refusal {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string reason{};
  std::chrono::milliseconds retry_after{0};
};

Refusal RefusalOf(const grpc::Status& status) {
  Refusal refusal{.code = status.error_code()};
  google::rpc::Status rich;
  if (!rich.ParseFromString(status.error_details())) return refusal;
  for (const pb::Any& detail : rich.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::RetryInfo retry;
    if (detail.UnpackTo(&info)) refusal.reason = info.reason();
    if (detail.UnpackTo(&retry)) {
      refusal.retry_after = std::chrono::milliseconds(retry.retry_delay().seconds() * 1000 +
                                                      retry.retry_delay().nanos() / 1'000'000);
    }
  }
  return refusal;
}

class AccessE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }

  void SetUp() override {
    // The descriptors OverGrpc looks methods up in.
    ASSERT_NE(externalscaler::ScaledObjectRef::descriptor(), nullptr);
    ASSERT_NE(grpc::health::v1::HealthCheckRequest::descriptor(), nullptr);
    ASSERT_NE(v1::GetLeaderboardRequest::descriptor(), nullptr);
    ASSERT_NE(v1::GeneratePlanRequest::descriptor(), nullptr);
  }

  void StartServer(const std::string& access_file) {
    access_path_ = certificates_.Path("access.yaml");
    WriteAccessFile(access_file);
    server_ = std::make_unique<ServerProcess>(
        HS_SERVER_BINARY, std::vector<std::string>{
                              "--listen=127.0.0.1:0", "--http_listen=127.0.0.1:0",
                              "--database_url=" + database_.url(), "--drain_timeout=2s",
                              "--fleet_workers=0", "--tls_cert=" + certificates_.Path("server.pem"),
                              "--tls_key=" + certificates_.Path("server.key"),
                              "--tls_client_ca=" + certificates_.Path("ca.pem"),
                              "--tls_client_auth=request", "--access_file=" + access_path_});
    const std::optional<int> port = server_->ListeningPort(60s);
    const std::optional<int> http_port = server_->HttpPort(10s);
    ASSERT_TRUE(port.has_value() && http_port.has_value()) << server_->Log();
    port_ = *port;
    http_port_ = *http_port;
    auto health = grpc::health::v1::Health::NewStub(Channel());
    ASSERT_EQ(WaitForHealth(*health, "", grpc::health::v1::HealthCheckResponse::SERVING),
              grpc::health::v1::HealthCheckResponse::SERVING)
        << server_->Log();
  }

  void WriteAccessFile(const std::string& text) {
    const std::string temporary = access_path_ + ".new";
    std::ofstream(temporary) << text;
    std::filesystem::rename(temporary, access_path_);  // as Kubernetes swaps a secret
  }

  void TearDown() override {
    if (server_ == nullptr) return;
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->WaitForExit(30s), std::optional<int>(0)) << server_->Log();
  }

  // A TLS channel trusting the test CA, presenting certificate `client`
  // ("" none); one per certificate.
  std::shared_ptr<grpc::Channel> Channel(const std::string& client = "") {
    std::shared_ptr<grpc::Channel>& channel = channels_[client];
    if (channel == nullptr) channel = certificates_.Channel(port_, client);
    return channel;
  }

  // Calls unary `path` over gRPC with `json` as the request, the bearer
  // `token` ("" none) and client certificate `client` ("" none).
  grpc::Status Call(const std::string& path, const std::string& json, const std::string& token,
                    const std::string& client = "", const std::string& request_id = "") {
    const size_t slash = path.rfind('/');
    const pb::MethodDescriptor* method = pb::DescriptorPool::generated_pool()
                                             ->FindServiceByName(path.substr(1, slash - 1))
                                             ->FindMethodByName(path.substr(slash + 1));
    std::unique_ptr<pb::Message> request(
        pb::MessageFactory::generated_factory()->GetPrototype(method->input_type())->New());
    EXPECT_TRUE(pb::util::JsonStringToMessage(json, request.get()).ok()) << json;
    grpc::ByteBuffer request_bytes, response_bytes;
    bool own = false;
    EXPECT_TRUE(
        grpc::SerializationTraits<pb::Message>::Serialize(*request, &request_bytes, &own).ok());
    grpc::GenericStub stub(Channel(client));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 30s);
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
    std::promise<grpc::Status> ended;
    stub.UnaryCall(&context, path, grpc::StubOptions(), &request_bytes, &response_bytes,
                   [&ended](grpc::Status status) { ended.set_value(std::move(status)); });
    return ended.get_future().get();
  }

  // POSTs `json` to `path` over HTTPS with `token` and certificate `client`.
  httplib::Result Post(const std::string& path, const std::string& json, const std::string& token,
                       const std::string& client = "") {
    auto http = Https(client);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return http->Post(path.c_str(), headers, json, "application/json");
  }

  httplib::Result Get(const std::string& path, const std::string& token) {
    auto http = Https("");
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return http->Get(path.c_str(), headers);
  }

  std::unique_ptr<httplib::SSLClient> Https(const std::string& client) {
    auto http = client.empty() ? std::make_unique<httplib::SSLClient>("127.0.0.1", http_port_)
                               : std::make_unique<httplib::SSLClient>(
                                     "127.0.0.1", http_port_, certificates_.Path(client + ".pem"),
                                     certificates_.Path(client + ".key"));
    http->set_ca_cert_path(certificates_.Path("ca.pem").c_str());
    http->enable_server_certificate_verification(true);
    http->set_connection_timeout(5, 0);
    http->set_read_timeout(30, 0);
    return http;
  }

  TestCertificates certificates_;
  TestDatabase database_;
  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
  std::string access_path_;
  int port_ = 0;
  int http_port_ = 0;
};

const std::string kPlanBody =
    R"({"queue":"checkout","currentMetrics":{"arrivalRatePerSecond":100,"meanServiceTimeSeconds":0.1,"currentWorkers":10},"slo":{"p95LatencySeconds":0.5}})";
const std::string kScalerRef =
    R"({"name":"checkout-workers","namespace":"shop","scalerMetadata":{"queue":"checkout"}})";
const std::string kSimulateBody =
    R"({"plan":{"currentWorkers":10},"scenarios":[{"name":"steady","traffic":{"kind":"TRAFFIC_PATTERN_KIND_CONSTANT","baseRatePerSecond":7},"duration":"600s","granularity":"300s"}],"serviceTime":{"meanSeconds":1},"slo":{"p95LatencySeconds":3},"seed":7})";

// What a caller is refused with, per role: nothing, or the code and reason.
bool Denied(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
}

TEST_F(AccessE2e, EveryMethodClassAsksForItsRole) {
  StartServer(AccessFile());
  struct Method {
    std::string path;
    std::string body;
    std::string role;  // the least role that may call it
  };
  const std::vector<Method> methods = {
      {absl::StrCat(kPlanner, "ListQueues"), R"({"pageSize":10})", "reader"},
      {absl::StrCat(kPlanner, "GetQueue"), R"({"name":"checkout"})", "reader"},
      {absl::StrCat(kFleet, "GetRiskReport"), R"({})", "reader"},
      {absl::StrCat(kPlanner, "GeneratePlan"), kPlanBody, "planner"},
      {absl::StrCat(kPlanner, "EvaluateQueue"),
       R"({"arrivalRatePerSecond":100,"meanServiceTimeSeconds":0.1,"workerCounts":[12],"slo":{"p95LatencySeconds":0.25}})",
       "planner"},
      {absl::StrCat(kPlanner, "Simulate"), kSimulateBody, "planner"},
      {absl::StrCat(kScaler, "IsActive"), kScalerRef, "planner"},
      {absl::StrCat(kScaler, "GetMetricSpec"), kScalerRef, "planner"},
      {absl::StrCat(kPlanner, "ResetQueue"), R"({"name":"checkout"})", "admin"},
  };
  const std::map<std::string, int> rank = {{"reader", 1}, {"planner", 2}, {"admin", 3}};
  for (const Method& method : methods) {
    SCOPED_TRACE(method.path);
    Refusal refusal = RefusalOf(Call(method.path, method.body, ""));
    EXPECT_EQ(refusal.code, grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(refusal.reason, "CREDENTIALS_MISSING");
    refusal = RefusalOf(Call(method.path, method.body, "not-a-token"));
    EXPECT_EQ(refusal.code, grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(refusal.reason, "TOKEN_INVALID");
    refusal = RefusalOf(Call(method.path, method.body, kTokens.at("expired")));
    EXPECT_EQ(refusal.code, grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(refusal.reason, "TOKEN_EXPIRED");
    for (const std::string role : {"reader", "planner", "admin"}) {
      const grpc::Status status = Call(method.path, method.body, kTokens.at(role));
      if (rank.at(role) < rank.at(method.role)) {
        refusal = RefusalOf(status);
        EXPECT_EQ(refusal.code, grpc::StatusCode::PERMISSION_DENIED) << role;
        EXPECT_EQ(refusal.reason, "ROLE_MISSING") << role;
        EXPECT_NE(status.error_message().find(method.role), std::string::npos)
            << status.error_message();
      } else {
        EXPECT_FALSE(Denied(status)) << role << ": " << status.error_message();
      }
    }
  }
  // Health stays open: load balancers and kubelets carry no token.
  grpc::health::v1::HealthCheckResponse health;
  EXPECT_TRUE(Call("/grpc.health.v1.Health/Check", "{}", "").ok());

  // Streams pass the same gate: RunCompetition and IngestTelemetry are
  // admin's.
  auto fleet = v1::FleetService::NewStub(Channel());
  for (const std::string role : {"planner", "admin"}) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + kTokens.at(role));
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::IngestTelemetryResponse response;
    auto writer = fleet->IngestTelemetry(&context, &response);
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    if (role == "planner") {
      EXPECT_EQ(RefusalOf(status).reason, "ROLE_MISSING") << status.error_message();
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + kTokens.at("reader"));
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    auto reader = fleet->RunCompetition(&context, v1::RunCompetitionRequest());
    v1::RunCompetitionResponse message;
    while (reader->Read(&message)) {
    }
    EXPECT_EQ(RefusalOf(reader->Finish()).reason, "ROLE_MISSING");
  }
}

TEST_F(AccessE2e, ClientCertificatesAreIdentitiesAsKedaPresentsThem) {
  StartServer(AccessFile());
  // KEDA's TriggerAuthentication certificate (CN keda-operator): planner.
  EXPECT_TRUE(Call(absl::StrCat(kPlanner, "GeneratePlan"), kPlanBody, "", "client").ok());
  const grpc::Status keda = Call(absl::StrCat(kScaler, "IsActive"), kScalerRef, "", "client");
  EXPECT_TRUE(keda.ok()) << keda.error_message();
  Refusal refusal =
      RefusalOf(Call(absl::StrCat(kPlanner, "ResetQueue"), R"({"name":"x"})", "", "client"));
  EXPECT_EQ(refusal.reason, "ROLE_MISSING");
  // A certificate the CA signed but the access file does not list.
  refusal = RefusalOf(Call(absl::StrCat(kScaler, "IsActive"), kScalerRef, "", "reader-client"));
  EXPECT_EQ(refusal.code, grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(refusal.reason, "CERTIFICATE_UNKNOWN");
  // A token is judged first: the admin's token over the planner's
  // certificate may reset.
  EXPECT_FALSE(Denied(Call(absl::StrCat(kPlanner, "ResetQueue"), R"({"name":"x"})",
                           kTokens.at("admin"), "client")));
}

TEST_F(AccessE2e, TheHttpPortFollowsTheSameRules) {
  StartServer(AccessFile());
  const std::string generate = absl::StrCat(kPlanner, "GeneratePlan");
  httplib::Result answer = Post(generate, kPlanBody, "");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 401) << answer->body;
  EXPECT_NE(answer->body.find("CREDENTIALS_MISSING"), std::string::npos) << answer->body;
  answer = Post(generate, kPlanBody, kTokens.at("reader"));
  EXPECT_EQ(answer->status, 403) << answer->body;
  EXPECT_NE(answer->body.find("ROLE_MISSING"), std::string::npos) << answer->body;
  answer = Post(generate, kPlanBody, kTokens.at("planner"));
  EXPECT_EQ(answer->status, 200) << answer->body;
  // The HTTP client's own certificate (mTLS on the HTTP port).
  answer = Post(generate, kPlanBody, "", "client");
  EXPECT_EQ(answer->status, 200) << answer->body;
  answer = Post(generate, kPlanBody, "", "reader-client");
  EXPECT_EQ(answer->status, 401) << answer->body;
  // A forged bridge header from outside is not trusted.
  {
    auto http = Https("");
    httplib::Headers headers = {{"X-Horizonscale-Http-Certificate", "keda-operator"},
                                {"X-Horizonscale-Bridge-Key", "guess"}};
    answer = http->Post(generate.c_str(), headers, kPlanBody, "application/json");
    EXPECT_EQ(answer->status, 401) << answer->body;
  }
  // /metrics wants a reader (Prometheus' bearer token); health and the
  // dashboard's files stay open.
  answer = Get("/metrics", "");
  EXPECT_EQ(answer->status, 401);
  EXPECT_EQ(answer->get_header_value("WWW-Authenticate"), "Bearer");
  answer = Get("/metrics", "not-a-token");
  EXPECT_EQ(answer->status, 401);
  answer = Get("/metrics", kTokens.at("reader"));
  EXPECT_EQ(answer->status, 200);
  EXPECT_NE(answer->body.find("grpc_server_handled_total"), std::string::npos);
  EXPECT_EQ(Get("/healthz", "")->status, 200);
  EXPECT_EQ(Get("/", "")->status, 200);
}

TEST_F(AccessE2e, RateLimitsAreRetryInfoAndOtherIdentitiesKeepTheirLatency) {
  StartServer(AccessFile("limits:\n  rate:\n    reader: {read: 2}\n"));
  const std::string list = absl::StrCat(kPlanner, "ListQueues");
  // The planner's reads before anything is throttled: its median latency.
  auto median_latency = [&](int calls) {
    std::vector<double> millis;
    for (int i = 0; i < calls; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const grpc::Status status = Call(list, "{}", kTokens.at("planner"));
      EXPECT_TRUE(status.ok()) << status.error_message();
      millis.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::sort(millis.begin(), millis.end());
    return millis[millis.size() / 2];
  };
  const double before = median_latency(40);

  // The reader's bucket holds two calls; the third waits for RetryInfo.
  EXPECT_TRUE(Call(list, "{}", kTokens.at("reader")).ok());
  EXPECT_TRUE(Call(list, "{}", kTokens.at("reader")).ok());
  const Refusal refusal = RefusalOf(Call(list, "{}", kTokens.at("reader")));
  EXPECT_EQ(refusal.code, grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refusal.reason, "RATE_LIMITED");
  EXPECT_GT(refusal.retry_after.count(), 0);
  EXPECT_LE(refusal.retry_after.count(), 500);
  std::this_thread::sleep_for(refusal.retry_after + 20ms);
  EXPECT_TRUE(Call(list, "{}", kTokens.at("reader")).ok());

  // The reader hammers on (all refused) while the planner reads.
  std::atomic<bool> stop{false};
  std::atomic<int> refused{0};
  std::thread hammer([&] {
    while (!stop) {
      if (Call(list, "{}", kTokens.at("reader")).error_code() ==
          grpc::StatusCode::RESOURCE_EXHAUSTED) {
        ++refused;
      }
    }
  });
  const double during = median_latency(40);
  stop = true;
  hammer.join();
  EXPECT_GT(refused.load(), 10);
  // Not slowed beyond the noise of a shared machine.
  EXPECT_LT(during, before * 3 + 5) << "median ms before " << before << ", during " << during;
}

TEST_F(AccessE2e, ComputeCallsAreLimitedPerIdentityInFlight) {
  StartServer(AccessFile("limits:\n  concurrency:\n    admin: 1\n"));
  auto fleet = v1::FleetService::NewStub(Channel());
  // An admin's ingest stream stays open: it holds the admin's one slot.
  grpc::ClientContext first_context;
  first_context.AddMetadata("authorization", "Bearer " + kTokens.at("admin"));
  first_context.set_deadline(std::chrono::system_clock::now() + 30s);
  v1::IngestTelemetryResponse first_response;
  auto first = fleet->IngestTelemetry(&first_context, &first_response);
  std::this_thread::sleep_for(300ms);

  // A second compute call of the same identity is refused, with RetryInfo.
  Refusal refusal =
      RefusalOf(Call(absl::StrCat(kPlanner, "Simulate"), kSimulateBody, kTokens.at("admin")));
  EXPECT_EQ(refusal.code, grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refusal.reason, "CONCURRENCY_LIMITED");
  EXPECT_GT(refusal.retry_after.count(), 0);
  // Another identity's compute call is served; the admin's cheap calls too.
  EXPECT_TRUE(Call(absl::StrCat(kPlanner, "Simulate"), kSimulateBody, kTokens.at("planner")).ok());
  EXPECT_TRUE(Call(absl::StrCat(kPlanner, "ListQueues"), "{}", kTokens.at("admin")).ok());

  // The stream ends: its slot is free again.
  first->WritesDone();
  EXPECT_TRUE(first->Finish().ok());
  EXPECT_TRUE(Call(absl::StrCat(kPlanner, "Simulate"), kSimulateBody, kTokens.at("admin")).ok());
}

TEST_F(AccessE2e, PrivilegedCallsAndRefusalsAreAudited) {
  StartServer(AccessFile());
  EXPECT_TRUE(Call(absl::StrCat(kPlanner, "GeneratePlan"), kPlanBody, kTokens.at("planner"), "",
                   "req-plan-42")
                  .ok());
  EXPECT_FALSE(Call(absl::StrCat(kPlanner, "ResetQueue"), R"({"name":"checkout"})",
                    kTokens.at("reader"), "", "req-reset-7")
                   .ok());
  EXPECT_TRUE(Call(absl::StrCat(kPlanner, "ListQueues"), "{}", kTokens.at("reader")).ok());
  std::this_thread::sleep_for(200ms);
  const std::string log = server_->Log();
  EXPECT_NE(log.find("audit identity=planner-bot auth=token role=planner "
                     "method=/horizonscale.v1.CapacityPlannerService/GeneratePlan outcome=OK "
                     "request_id=req-plan-42"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("audit identity=dashboard auth=token role=reader "
                     "method=/horizonscale.v1.CapacityPlannerService/ResetQueue "
                     "outcome=PERMISSION_DENIED request_id=req-reset-7"),
            std::string::npos)
      << log;
  // A reader's read is not a privileged call.
  EXPECT_EQ(log.find("method=/horizonscale.v1.CapacityPlannerService/ListQueues outcome"),
            std::string::npos)
      << log;
}

TEST_F(AccessE2e, AChangedAccessFileIsReadAgainAndABrokenOneIgnored) {
  StartServer(AccessFile());
  const std::string list = absl::StrCat(kPlanner, "ListQueues");
  const std::string new_token = "new-token-5e5e5e";
  EXPECT_EQ(RefusalOf(Call(list, "{}", new_token)).reason, "TOKEN_INVALID");
  WriteAccessFile(AccessFile("", absl::StrCat("  - {identity: newcomer, sha256: ",
                                              Sha256Hex(new_token), ", roles: [reader]}\n")));
  bool admitted = false;
  for (int i = 0; i < 40 && !admitted; ++i) {
    admitted = Call(list, "{}", new_token).ok();
    if (!admitted) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(admitted) << server_->Log();
  // A file that no longer parses keeps the last good one (and says so).
  WriteAccessFile("tokens: [ {identity: broken\n");
  std::this_thread::sleep_for(1200ms);
  EXPECT_TRUE(Call(list, "{}", new_token).ok());
  EXPECT_TRUE(Call(list, "{}", kTokens.at("reader")).ok());
  EXPECT_NE(server_->Log().find("access_file_reload_failed"), std::string::npos) << server_->Log();
}

// A command's exit code and its output (stdout and stderr).
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, out};
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(AccessE2e, TheGeneratorsConnectWithTlsAndATokenFile) {
  StartServer(AccessFile());
  const std::string admin_token = certificates_.Path("admin.token");
  const std::string planner_token = certificates_.Path("planner.token");
  std::ofstream(admin_token) << kTokens.at("admin") << "\n";
  std::ofstream(planner_token) << kTokens.at("planner") << "\n";
  const std::string connection =
      absl::StrCat(" --target=127.0.0.1:", port_, " --tls_ca=", certificates_.Path("ca.pem"));
  // IngestTelemetry is the admin's.
  auto [code, output] =
      RunCommand(absl::StrCat(HS_FLEET_GENERATOR_BINARY, " --hosts=3 --days=20 --threads=1",
                              connection, " --token_file=", admin_token));
  EXPECT_EQ(code, 0) << output;
  std::tie(code, output) =
      RunCommand(absl::StrCat(HS_FLEET_GENERATOR_BINARY, " --hosts=3 --days=20 --threads=1",
                              connection, " --token_file=", planner_token));
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("PERMISSION_DENIED"), std::string::npos) << output;
  // The load generator with the planner's token: every call served.
#ifdef HS_LOADGEN_BINARY
  std::tie(code, output) =
      RunCommand(absl::StrCat(HS_LOADGEN_BINARY, connection, " --token_file=", planner_token,
                              " --duration=1 --warmup=0 --concurrency=2 "
                              "--threads=1 --queues=3"));
  EXPECT_EQ(code, 0) << output;
  EXPECT_NE(output.find("failed=0"), std::string::npos) << output;
#endif
}

TEST(AccessFileFlag, AnInvalidAccessFileStopsTheServerAtStart) {
  TestCertificates certificates;
  const std::string path = certificates.Path("bad-access.yaml");
  std::ofstream(path) << "tokens:\n  - {identity: x, sha256: abc, roles: [reader]}\n";
  ServerProcess server(HS_SERVER_BINARY,
                       {"--listen=127.0.0.1:0", "--http_listen=", "--access_file=" + path});
  EXPECT_EQ(server.WaitForExit(30s), std::optional<int>(2)) << server.Log();
  EXPECT_NE(server.Log().find("tokens[0].sha256"), std::string::npos) << server.Log();
}

}  // namespace
}  // namespace horizonscale::testing
