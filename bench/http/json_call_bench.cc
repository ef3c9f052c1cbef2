// What the JSON path adds to a GeneratePlan: the same memory-only plan
// (100 jobs/s at 0.1 s on 10 workers, P95 <= 1 s) asked
//   - as a gRPC call over the server's in-process channel (protobuf in and
//     out: the gRPC handling the JSON path reuses),
//   - through the JSON bridge (server/http/connect_unary.h: JSON parsed,
//     the same in-process call, JSON printed),
//   - over HTTP on loopback through cpp-httplib (a client with keep-alive).
// Target: the bridge adds under 100 us to the in-process call. Both
// interceptors (RPC log at warn, metrics) are installed and the allocator
// set as in the server.
#include <benchmark/benchmark.h>

#include <future>
#include <memory>
#include <string>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "bench/support/in_process_planner.h"
#include "server/http/connect_unary.h"
#include "server/http/http_server.h"
#include "server/http/json_printer.h"
#include "server/transport/raw_message.h"

namespace horizonscale::server {
namespace {

namespace v1 = horizonscale::v1;

constexpr char kMethod[] = "/horizonscale.v1.CapacityPlannerService/GeneratePlan";

InProcessPlanner& Server() {
  static auto* server = new InProcessPlanner();  // lives until exit
  return *server;
}

std::string JsonPlanRequest() {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(BenchPlanRequest(), &json);
  return json;
}

void BM_GeneratePlanGrpcInProcess(benchmark::State& state) {
  grpc::GenericStub stub(Server().channel);
  const v1::GeneratePlanRequest request = BenchPlanRequest();
  for (auto _ : state) {
    grpc::ByteBuffer request_bytes, response_bytes;
    (void)SerializeMessage(request, request_bytes);
    grpc::ClientContext context;
    std::promise<grpc::Status> ended;
    stub.UnaryCall(&context, kMethod, grpc::StubOptions(), &request_bytes, &response_bytes,
                   [&ended](grpc::Status status) { ended.set_value(std::move(status)); });
    if (!ended.get_future().get().ok()) state.SkipWithError("call failed");
    v1::GeneratePlanResponse response;
    (void)ParseMessage(response_bytes, response);
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_GeneratePlanGrpcInProcess)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_GeneratePlanJsonBridge(benchmark::State& state) {
  ConnectUnaryBridge bridge(Server().channel, {v1::CapacityPlannerService::service_full_name()});
  const std::string body = JsonPlanRequest();
  for (auto _ : state) {
    HttpAnswer answer = bridge.Call({.path = kMethod,
                                     .content_type = "application/json",
                                     .body = body,
                                     .timeout_ms = "",
                                     .authorization = "",
                                     .peer = "bench"});
    if (answer.status != 200) state.SkipWithError(answer.body.c_str());
    benchmark::DoNotOptimize(answer);
  }
}
BENCHMARK(BM_GeneratePlanJsonBridge)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_GeneratePlanHttpLoopback(benchmark::State& state) {
  static ConnectUnaryBridge bridge(Server().channel,
                                   {v1::CapacityPlannerService::service_full_name()});
  static std::unique_ptr<HttpServer> http = *HttpServer::Start(
      {.listen = "127.0.0.1:0", .threads = 4},
      {.metrics = nullptr, .health = nullptr, .health_details = nullptr, .rpc = &bridge});
  httplib::Client client("127.0.0.1", http->port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  const std::string body = JsonPlanRequest();
  for (auto _ : state) {
    httplib::Result result = client.Post(kMethod, body, "application/json");
    if (!result || result->status != 200) state.SkipWithError("HTTP call failed");
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_GeneratePlanHttpLoopback)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The conversions of the JSON path alone, on the plan above.
void BM_JsonParseRequest(benchmark::State& state) {
  const std::string body = JsonPlanRequest();
  for (auto _ : state) {
    v1::GeneratePlanRequest request;
    (void)google::protobuf::util::JsonStringToMessage(body, &request);
    benchmark::DoNotOptimize(request);
  }
}
BENCHMARK(BM_JsonParseRequest)->Unit(benchmark::kMicrosecond);

v1::GeneratePlanResponse PlanResponse() {
  grpc::GenericStub stub(Server().channel);
  grpc::ByteBuffer request_bytes, response_bytes;
  (void)SerializeMessage(BenchPlanRequest(), request_bytes);
  grpc::ClientContext context;
  std::promise<grpc::Status> ended;
  stub.UnaryCall(&context, kMethod, grpc::StubOptions(), &request_bytes, &response_bytes,
                 [&ended](grpc::Status status) { ended.set_value(std::move(status)); });
  (void)ended.get_future().get();
  v1::GeneratePlanResponse response;
  (void)ParseMessage(response_bytes, response);
  return response;
}

// The answer printed by protobuf's converter (what the bridge did first)...
void BM_JsonPrintResponseProtobuf(benchmark::State& state) {
  const v1::GeneratePlanResponse response = PlanResponse();
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(response, &json);
  state.counters["bytes"] = json.size();
  for (auto _ : state) {
    json.clear();
    (void)google::protobuf::util::MessageToJsonString(response, &json);
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_JsonPrintResponseProtobuf)->Unit(benchmark::kMicrosecond);

// ... and by the bridge's reflection printer (the same bytes).
void BM_JsonPrintResponseReflection(benchmark::State& state) {
  const v1::GeneratePlanResponse response = PlanResponse();
  std::string json;
  for (auto _ : state) {
    json.clear();
    if (!AppendCanonicalJson(response, json)) state.SkipWithError("not printed");
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_JsonPrintResponseReflection)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace horizonscale::server
