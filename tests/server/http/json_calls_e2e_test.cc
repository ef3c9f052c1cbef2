// Unary RPCs as JSON over the HTTP port (Connect's unary form) against the
// real server and PostgreSQL: every unary method of every service answers
// over HTTP what it answers over gRPC (same code, same body where the call
// is deterministic), and bad requests get 4xx with the field named.
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <absl/strings/str_cat.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "externalscaler/externalscaler.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "horizonscale/v1/fleet_service.pb.h"
#include "tests/support/planner_rpc_fixture.h"

namespace horizonscale {
namespace {

namespace pb = google::protobuf;
using testing::ContextWithDeadline;
using namespace std::chrono_literals;

// The HTTP status Connect gives a gRPC code.
int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
      return 409;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    default:
      return 500;
  }
}

struct Answer {
  int status = 0;
  std::string body;
};

class JsonCalls : public testing::PlannerRpc {
 protected:
  void SetUp() override {
    // Link every service's messages, so that their descriptors are in the
    // generated pool OverGrpc looks methods up in.
    ASSERT_NE(externalscaler::ScaledObjectRef::descriptor(), nullptr);
    ASSERT_NE(grpc::health::v1::HealthCheckRequest::descriptor(), nullptr);
    ASSERT_NE(v1::GetLeaderboardRequest::descriptor(), nullptr);
    PlannerRpc::SetUp();
    const std::optional<int> port = server_->HttpPort(10s);
    ASSERT_TRUE(port.has_value()) << server_->Log();
    http_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    http_->set_read_timeout(30, 0);
  }

  void TearDown() override {
    http_.reset();
    PlannerRpc::TearDown();
  }

  Answer Post(const std::string& path, const std::string& body,
              const std::string& content_type = "application/json",
              const httplib::Headers& headers = {}) {
    httplib::Result result = http_->Post(path.c_str(), headers, body, content_type.c_str());
    if (!result) return {.status = -1, .body = httplib::to_string(result.error())};
    return {.status = result->status, .body = result->body};
  }

  // The same call over gRPC (the JSON parsed here, sent as protobuf), its
  // answer in JSON (or its code's HTTP status and message).
  Answer OverGrpc(const std::string& path, const std::string& json) {
    const size_t slash = path.rfind('/');
    const pb::ServiceDescriptor* service =
        pb::DescriptorPool::generated_pool()->FindServiceByName(path.substr(1, slash - 1));
    EXPECT_NE(service, nullptr) << path;
    if (service == nullptr) return {};
    const pb::MethodDescriptor* method = service->FindMethodByName(path.substr(slash + 1));
    EXPECT_NE(method, nullptr) << path;
    if (method == nullptr) return {};
    std::unique_ptr<pb::Message> request(
        pb::MessageFactory::generated_factory()->GetPrototype(method->input_type())->New());
    EXPECT_TRUE(pb::util::JsonStringToMessage(json, request.get()).ok()) << json;
    grpc::ByteBuffer request_bytes;
    bool own = false;
    EXPECT_TRUE(
        grpc::SerializationTraits<pb::Message>::Serialize(*request, &request_bytes, &own).ok());
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 30s);
    grpc::ByteBuffer response_bytes;
    std::promise<grpc::Status> ended;
    stub.UnaryCall(&context, path, grpc::StubOptions(), &request_bytes, &response_bytes,
                   [&ended](grpc::Status status) { ended.set_value(std::move(status)); });
    const grpc::Status status = ended.get_future().get();
    if (!status.ok()) return {.status = HttpStatusOf(status.error_code()), .body = ""};

    std::unique_ptr<pb::Message> response(
        pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
    EXPECT_TRUE(
        grpc::SerializationTraits<pb::Message>::Deserialize(&response_bytes, response.get()).ok());
    Answer answer{.status = 200, .body = ""};
    EXPECT_TRUE(pb::util::MessageToJsonString(*response, &answer.body).ok());
    return answer;
  }

  // Whether two JSON answers of `path`'s method hold the same message (maps
  // compared as maps: their JSON order is not defined).
  static bool SameMessage(const std::string& path, const std::string& a, const std::string& b) {
    const size_t slash = path.rfind('/');
    const pb::MethodDescriptor* method = pb::DescriptorPool::generated_pool()
                                             ->FindServiceByName(path.substr(1, slash - 1))
                                             ->FindMethodByName(path.substr(slash + 1));
    const pb::Message* prototype =
        pb::MessageFactory::generated_factory()->GetPrototype(method->output_type());
    std::unique_ptr<pb::Message> first(prototype->New()), second(prototype->New());
    return pb::util::JsonStringToMessage(a, first.get()).ok() &&
           pb::util::JsonStringToMessage(b, second.get()).ok() &&
           pb::util::MessageDifferencer::Equals(*first, *second);
  }

  std::unique_ptr<httplib::Client> http_;
};

constexpr char kPlanner[] = "/horizonscale.v1.CapacityPlannerService/";
constexpr char kFleet[] = "/horizonscale.v1.FleetService/";
constexpr char kScaler[] = "/externalscaler.ExternalScaler/";

std::string PlanBody(double arrival_rate) {
  return absl::StrCat(
      R"({"queue":"checkout","currentMetrics":{"arrivalRatePerSecond":)", arrival_rate,
      R"(,"meanServiceTimeSeconds":0.1,"currentWorkers":10},"slo":{"p95LatencySeconds":0.5}})");
}

TEST_F(JsonCalls, EveryUnaryMethodAnswersOverHttpAsOverGrpc) {
  // A plan first, so that the stored-plan and queue methods have something.
  const Answer plan = Post(absl::StrCat(kPlanner, "GeneratePlan"), PlanBody(100));
  ASSERT_EQ(plan.status, 200) << plan.body;
  v1::GeneratePlanResponse planned;
  ASSERT_TRUE(pb::util::JsonStringToMessage(plan.body, &planned).ok()) << plan.body;
  const std::string plan_id = planned.plan().plan_id();
  ASSERT_FALSE(plan_id.empty());
  // Stored in PostgreSQL: read back over gRPC.
  {
    v1::GetPlanRequest request;
    request.set_plan_id(plan_id);
    v1::GetPlanResponse stored;
    auto context = ContextWithDeadline(10s);
    ASSERT_TRUE(stub_->GetPlan(context.get(), request, &stored).ok());
    EXPECT_EQ(stored.plan().target_workers(), planned.plan().target_workers());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 1);

  struct Case {
    std::string path;
    std::string body;
    int status;          // expected over HTTP (and the code's status over gRPC)
    bool deterministic;  // the same body twice
  };
  const std::string forecast_series =
      R"({"series":{"points":[{"time":"2026-11-01T00:00:00Z","value":10},{"time":"2026-11-01T01:00:00Z","value":12},{"time":"2026-11-01T02:00:00Z","value":13},{"time":"2026-11-01T03:00:00Z","value":15},{"time":"2026-11-01T04:00:00Z","value":16},{"time":"2026-11-01T05:00:00Z","value":18},{"time":"2026-11-01T06:00:00Z","value":19},{"time":"2026-11-01T07:00:00Z","value":21},{"time":"2026-11-01T08:00:00Z","value":22},{"time":"2026-11-01T09:00:00Z","value":24},{"time":"2026-11-01T10:00:00Z","value":25},{"time":"2026-11-01T11:00:00Z","value":27}]},"horizonSteps":3})";
  const std::string scaler_ref =
      R"({"name":"checkout-workers","namespace":"shop","scalerMetadata":{"queue":"checkout"}})";
  const std::vector<Case> cases = {
      {absl::StrCat(kPlanner, "GeneratePlan"), PlanBody(120), 200, false},
      {absl::StrCat(kPlanner, "EvaluateQueue"),
       R"({"arrivalRatePerSecond":100,"meanServiceTimeSeconds":0.1,"workerCounts":[12,15],"slo":{"p95LatencySeconds":0.25}})",
       200, true},
      {absl::StrCat(kPlanner, "GetPlan"), absl::StrCat(R"({"planId":")", plan_id, R"("})"), 200,
       true},
      {absl::StrCat(kPlanner, "ListPlans"), R"({"queue":"checkout","pageSize":10})", 200, true},
      {absl::StrCat(kPlanner, "UpdateQueue"),
       R"({"queue":{"name":"checkout","config":{"maxWorkers":40}},"updateMask":"config.maxWorkers"})",
       200, false},
      {absl::StrCat(kPlanner, "GetQueue"), R"({"name":"checkout"})", 200, true},
      {absl::StrCat(kPlanner, "ListQueues"), R"({"pageSize":100})", 200, true},
      {absl::StrCat(kPlanner, "GetForecasts"), forecast_series, 200, true},
      {absl::StrCat(kPlanner, "Simulate"),
       R"({"plan":{"currentWorkers":10},"scenarios":[{"name":"steady","traffic":{"kind":"TRAFFIC_PATTERN_KIND_CONSTANT","baseRatePerSecond":7},"duration":"600s","granularity":"300s"}],"serviceTime":{"meanSeconds":1},"slo":{"p95LatencySeconds":3},"seed":7})",
       200, false},
      {absl::StrCat(kFleet, "GetLeaderboard"), R"({"pageSize":10})", 0, true},
      {absl::StrCat(kFleet, "GetHostForecast"), R"({"hostId":"host-1","resource":"RESOURCE_CPU"})",
       0, true},
      {absl::StrCat(kFleet, "GetRiskReport"), R"({})", 0, true},
      {absl::StrCat(kScaler, "GetMetricSpec"), scaler_ref, 200, true},
      {absl::StrCat(kScaler, "IsActive"), scaler_ref, 200, true},
      {absl::StrCat(kScaler, "GetMetrics"),
       absl::StrCat(R"({"scaledObjectRef":)", scaler_ref,
                    R"(,"metricName":"s0-horizonscale-checkout"})"),
       200, true},
      {"/grpc.health.v1.Health/Check", R"({})", 200, true},
      {absl::StrCat(kPlanner, "ResetQueue"), R"({"name":"checkout"})", 200, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    const Answer over_grpc = OverGrpc(c.path, c.body);
    const Answer over_http = Post(c.path, c.body);
    // Fleet reports without a tournament run: whatever gRPC answers (an
    // error), HTTP answers with its status.
    if (c.status != 0) {
      EXPECT_EQ(over_http.status, c.status) << over_http.body;
    }
    EXPECT_EQ(over_http.status, over_grpc.status) << over_http.body;
    if (c.deterministic && over_http.status == 200) {
      EXPECT_TRUE(SameMessage(c.path, over_http.body, over_grpc.body)) << over_http.body << "\n"
                                                                       << over_grpc.body;
    }
    if (over_http.status != 200) {
      EXPECT_NE(over_http.body.find("\"code\":"), std::string::npos) << over_http.body;
    }
  }
}

TEST_F(JsonCalls, BadRequestsAreRefusedNamingWhatIsWrong) {
  const std::string generate = absl::StrCat(kPlanner, "GeneratePlan");
  // A value the API refuses: 400, Connect error with ErrorInfo and the field.
  Answer answer = Post(generate, PlanBody(-1));
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find(R"("code":"invalid_argument")"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find(R"("type":"google.rpc.ErrorInfo")"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("current_metrics.arrival_rate_per_second"), std::string::npos)
      << answer.body;

  // JSON that does not parse, a field the message does not have, a string
  // where a number goes: 400 naming the body (and the field).
  answer = Post(generate, "{\"queue\": ");
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_NE(answer.body.find(R"("field":"body")"), std::string::npos) << answer.body;
  answer = Post(generate, R"({"queue":"checkout","workers":3})");
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_NE(answer.body.find("workers"), std::string::npos) << answer.body;
  answer =
      Post(generate, R"({"queue":"checkout","currentMetrics":{"arrivalRatePerSecond":"lots"}})");
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_NE(answer.body.find("arrival"), std::string::npos) << answer.body;
  // Invalid UTF-8 and a NUL byte in a string.
  answer = Post(generate, std::string("{\"queue\":\"a\xff\"}"));
  EXPECT_EQ(answer.status, 400) << answer.body;
  answer = Post(
      generate,
      R"({"queue":"a\u0000b","currentMetrics":{"arrivalRatePerSecond":1,"meanServiceTimeSeconds":1}})");
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_NE(answer.body.find("queue"), std::string::npos) << answer.body;

  // Not JSON: 415. A bad deadline header: 400 naming it.
  answer = Post(generate, PlanBody(100), "application/x-www-form-urlencoded");
  EXPECT_EQ(answer.status, 415) << answer.body;
  answer = Post(generate, PlanBody(100), "application/json", {{"Connect-Timeout-Ms", "soon"}});
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_NE(answer.body.find("Connect-Timeout-Ms"), std::string::npos) << answer.body;

  // Unknown methods and services: 404; streaming methods: 404 saying why.
  answer = Post(absl::StrCat(kPlanner, "MakeCoffee"), "{}");
  EXPECT_EQ(answer.status, 404) << answer.body;
  EXPECT_NE(answer.body.find(R"("code":"unimplemented")"), std::string::npos) << answer.body;
  answer = Post("/nope.v1.Nothing/Call", "{}");
  EXPECT_EQ(answer.status, 404) << answer.body;
  answer = Post(absl::StrCat(kFleet, "IngestTelemetry"), "{}");
  EXPECT_EQ(answer.status, 404) << answer.body;
  EXPECT_NE(answer.body.find("streaming"), std::string::npos) << answer.body;
  answer = Post("/", "{}");
  EXPECT_EQ(answer.status, 404) << answer.body;

  // A body above 4 MiB: 413, and the server still answers.
  answer = Post(generate, std::string(5 * 1024 * 1024, ' '));
  EXPECT_EQ(answer.status, 413);
  EXPECT_EQ(Post(generate, PlanBody(100)).status, 200);

  // The JSON calls are logged with the HTTP client as the peer.
  EXPECT_NE(server_->Log().find("peer=http:127.0.0.1:"), std::string::npos);
}

TEST_F(JsonCalls, HealthEndpointsMirrorTheGrpcHealthService) {
  httplib::Result ready = http_->Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  EXPECT_NE(ready->body.find(R"("status":"SERVING")"), std::string::npos) << ready->body;
  EXPECT_NE(ready->body.find(R"("horizonscale.v1.FleetService":"SERVING")"), std::string::npos);
  EXPECT_NE(ready->body.find(R"("kedaScalerTargets")"), std::string::npos) << ready->body;
  httplib::Result live = http_->Get("/healthz");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200) << live->body;
  httplib::Result missing = http_->Get("/no/such/page");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

// The dashboard's files come from the binary, uPlot included.
TEST_F(JsonCalls, TheDashboardIsServedFromTheBinary) {
  httplib::Result page = http_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("<title>HorizonScale</title>"), std::string::npos);
  for (const char* asset : {"/dashboard/dashboard.js", "/dashboard/dashboard.css",
                            "/dashboard/uPlot.iife.min.js", "/dashboard/uPlot.min.css"}) {
    EXPECT_NE(page->body.find(asset), std::string::npos) << asset;
    httplib::Result file = http_->Get(asset);
    ASSERT_TRUE(file) << asset;
    EXPECT_EQ(file->status, 200) << asset;
    EXPECT_GT(file->body.size(), 1000u) << asset;
  }
  httplib::Result uplot = http_->Get("/dashboard/uPlot.iife.min.js");
  EXPECT_NE(uplot->body.find("uPlot"), std::string::npos);
  httplib::Result missing = http_->Get("/dashboard/nothing.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

// Without a database: alive, not ready (as gRPC health says).
TEST(JsonCallsWithoutDatabase, ReadyzIs503WhileHealthzIs200) {
  testing::ServerProcess server(
      HS_SERVER_BINARY,
      {"--listen=127.0.0.1:0", "--database_url=host=127.0.0.1 port=1 connect_timeout=1",
       "--drain_timeout=1s", "--fleet_workers=0"});
  const std::optional<int> port = server.HttpPort(30s);
  ASSERT_TRUE(port.has_value()) << server.Log();
  httplib::Client http("127.0.0.1", *port);
  httplib::Result ready = http.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503) << ready->body;
  EXPECT_NE(ready->body.find(R"("status":"NOT_SERVING")"), std::string::npos) << ready->body;
  httplib::Result live = http.Get("/healthz");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200) << live->body;
  // A JSON call that needs the database: 503, reason DATABASE_UNAVAILABLE.
  httplib::Result plans = http.Post("/horizonscale.v1.CapacityPlannerService/ListPlans",
                                    R"({"queue":"checkout"})", "application/json");
  ASSERT_TRUE(plans);
  EXPECT_EQ(plans->status, 503) << plans->body;
  EXPECT_NE(plans->body.find("DATABASE_UNAVAILABLE"), std::string::npos) << plans->body;
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitForExit(30s), std::optional<int>(0)) << server.Log();
}

// A second server on the same HTTP port must not start (nor share it).
TEST(JsonCallsPort, ATakenHttpPortStopsTheServer) {
  httplib::Server holder;
  const int port = holder.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  testing::ServerProcess server(
      HS_SERVER_BINARY, {"--listen=127.0.0.1:0", absl::StrCat("--http_listen=127.0.0.1:", port),
                         "--database_url=host=127.0.0.1 port=1 connect_timeout=1"});
  EXPECT_EQ(server.WaitForExit(30s), std::optional<int>(1)) << server.Log();
  EXPECT_NE(server.Log().find("http_listen_failed"), std::string::npos) << server.Log();
}

}  // namespace
}  // namespace horizonscale
