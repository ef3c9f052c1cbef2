// The transport's promises end to end, against the real server binary on
// loopback and a real PostgreSQL: idle streams cannot starve Health/Check or
// unary calls of threads, a silent client stream is ended after
// --stream_idle_timeout, --max_streams_per_peer refuses one stream too many,
// and a body that does not parse is INVALID_ARGUMENT naming its type on
// every method of every service (sent as raw bytes with grpc::GenericStub).
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_rpc_fixture.h"

namespace horizonscale::testing {
namespace {

namespace v1 = horizonscale::v1;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using namespace std::chrono_literals;

// One valid IngestTelemetry message.
v1::IngestTelemetryRequest OneSample(int day_of_january) {
  v1::IngestTelemetryRequest request;
  v1::UtilizationSample* sample = request.add_samples();
  sample->set_host_id("host-1");
  sample->set_resource(v1::RESOURCE_CPU);
  sample->set_date((day_of_january < 10 ? "2026-01-0" : "2026-01-") +
                   std::to_string(day_of_january));
  sample->set_p95_utilization_percent(40);
  return request;
}

// An IngestTelemetry stream left open after its first message. The
// response lives on the heap: the writer keeps its address while the stream
// is moved around.
struct OpenStream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<v1::IngestTelemetryResponse> response =
      std::make_unique<v1::IngestTelemetryResponse>();
  std::unique_ptr<grpc::ClientWriter<v1::IngestTelemetryRequest>> writer;
};

class TransportE2e : public ServerRpcFixture<v1::FleetService> {
 protected:
  // Opens a stream and sends one message, then leaves it silent.
  OpenStream Open(std::chrono::milliseconds deadline = 120s) {
    OpenStream stream;
    stream.context = ContextWithDeadline(deadline);
    stream.writer = stub_->IngestTelemetry(stream.context.get(), stream.response.get());
    stream.writer->Write(OneSample(1));
    return stream;
  }

  // Cancels and reaps `streams`.
  static void Close(std::vector<OpenStream>& streams) {
    for (OpenStream& stream : streams) stream.context->TryCancel();
    for (OpenStream& stream : streams) stream.writer->Finish();
    streams.clear();
  }

  grpc::Status Check(HealthCheckResponse* response) {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    auto context = ContextWithDeadline(5s);
    return health->Check(context.get(), HealthCheckRequest(), response);
  }
};

TEST_F(TransportE2e, IdleStreamsDoNotStarveHealthOrUnaryCalls) {
  // Far more silent streams than worker threads: with the synchronous server
  // each held a thread and Health/Check answered "Server Threadpool
  // Exhausted".
  StartServer({"--worker_threads=8", "--max_streams_per_peer=100", "--stream_idle_timeout=120s"});
  std::vector<OpenStream> streams;
  for (int i = 0; i < 70; ++i) streams.push_back(Open());
  auto planner = v1::CapacityPlannerService::NewStub(channel_);
  for (int probe = 0; probe < 30; ++probe) {
    HealthCheckResponse health;
    const grpc::Status checked = Check(&health);
    ASSERT_TRUE(checked.ok()) << probe << ": " << checked.error_message();
    EXPECT_EQ(health.status(), HealthCheckResponse::SERVING);

    v1::EvaluateQueueRequest evaluate;
    evaluate.set_arrival_rate_per_second(1);
    evaluate.set_mean_service_time_seconds(1);
    evaluate.add_worker_counts(2);
    v1::EvaluateQueueResponse evaluation;
    auto context = ContextWithDeadline(10s);
    const grpc::Status evaluated = planner->EvaluateQueue(context.get(), evaluate, &evaluation);
    ASSERT_TRUE(evaluated.ok()) << probe << ": " << evaluated.error_message();
    // M/M/2 with λ = μ = 1: ρ = 1/2, Erlang C = 1/3.
    EXPECT_NEAR(evaluation.evaluations(0).probability_of_wait(), 1.0 / 3, 1e-12);

    v1::ListPlansRequest list;
    list.set_queue("probe-queue");
    v1::ListPlansResponse plans;
    auto context2 = ContextWithDeadline(10s);
    const grpc::Status listed = planner->ListPlans(context2.get(), list, &plans);
    ASSERT_TRUE(listed.ok()) << probe << ": " << listed.error_message();
    EXPECT_EQ(plans.plans_size(), 0);
  }
  Close(streams);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);  // cancelled: nothing written
}

TEST_F(TransportE2e, SilentStreamIsEndedAfterTheIdleTimeout) {
  StartServer({"--stream_idle_timeout=1s"});
  // A stream that keeps talking more often than the timeout is served.
  {
    auto context = ContextWithDeadline(60s);
    v1::IngestTelemetryResponse response;
    auto writer = stub_->IngestTelemetry(context.get(), &response);
    for (int day = 1; day <= 25; ++day) {
      ASSERT_TRUE(writer->Write(OneSample(day)));
      std::this_thread::sleep_for(100ms);  // 2.5 s in all, 10x under the timeout per gap
    }
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.rows_accepted(), 25);
  }
  // A silent one is ended, and what it sent is not written.
  OpenStream silent = Open(60s);
  const auto started = std::chrono::steady_clock::now();
  const grpc::Status status = silent.writer->Finish();  // waits for the server's status
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/STREAM_IDLE");
  EXPECT_NE(status.error_message().find("--stream_idle_timeout"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 1);  // the first stream's only
}

TEST_F(TransportE2e, PerPeerStreamCapIsResourceExhausted) {
  StartServer({"--max_streams_per_peer=3"});
  // Four silent streams from one address: the server admits three and
  // refuses whichever it sees last (not necessarily the last one opened: the
  // callback server may take up calls out of their arrival order).
  std::vector<OpenStream> streams;
  for (int i = 0; i < 4; ++i) streams.push_back(Open());
  std::vector<std::future<grpc::Status>> ends;
  for (OpenStream& stream : streams) {
    ends.push_back(std::async(std::launch::async, [&stream] { return stream.writer->Finish(); }));
  }
  int refused_index = -1;
  for (int waited_ms = 0; refused_index < 0 && waited_ms < 60'000; waited_ms += 10) {
    for (size_t i = 0; i < ends.size(); ++i) {
      if (ends[i].wait_for(0s) == std::future_status::ready) refused_index = static_cast<int>(i);
    }
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_GE(refused_index, 0) << "none of four streams was refused\n" << server_->Log();
  const grpc::Status refused = ends[refused_index].get();
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_EQ(ErrorInfoReason(refused), "horizonscale/TOO_MANY_STREAMS");
  EXPECT_NE(refused.error_message().find("3 streams open"), std::string::npos)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("--max_streams_per_peer"), std::string::npos);
  // The other three are held: still open a moment later.
  std::this_thread::sleep_for(200ms);
  for (size_t i = 0; i < ends.size(); ++i) {
    if (static_cast<int>(i) == refused_index) continue;
    EXPECT_EQ(ends[i].wait_for(0s), std::future_status::timeout) << "stream " << i << " ended";
  }
  // Health is not a stream: it still answers.
  HealthCheckResponse health;
  ASSERT_TRUE(Check(&health).ok());
  // Ending the streams frees their places.
  for (OpenStream& stream : streams) stream.context->TryCancel();
  for (size_t i = 0; i < ends.size(); ++i) {
    if (static_cast<int>(i) != refused_index) ends[i].get();
  }
  grpc::Status admitted;
  for (int attempt = 0; attempt < 100; ++attempt) {
    OpenStream again = Open(10s);
    again.writer->WritesDone();
    admitted = again.writer->Finish();
    if (admitted.ok()) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(admitted.ok()) << admitted.error_message();
}

TEST_F(TransportE2e, DrainingEndsOpenStreams) {
  StartServer({"--stream_idle_timeout=10m"});
  std::vector<OpenStream> streams;
  for (int i = 0; i < 5; ++i) streams.push_back(Open());
  // Make sure the server has them: a round trip after they were opened.
  HealthCheckResponse health;
  ASSERT_TRUE(Check(&health).ok());
  server_->Signal(SIGTERM);
  // The drain timeout is 2 s: the silent streams are cancelled then, so the
  // server exits well before the idle timeout.
  EXPECT_EQ(server_->WaitForExit(30s), std::optional<int>(0)) << server_->Log();
  for (OpenStream& stream : streams) {
    const grpc::Status status = stream.writer->Finish();
    EXPECT_FALSE(status.ok());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);
}

// The path of field numbers to a string field inside `type` (depth first,
// at most `depth` messages deep); empty when there is none.
std::vector<int> PathToStringField(const google::protobuf::Descriptor* type, int depth = 3) {
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) return {field->number()};
  }
  if (depth == 0) return {};
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) continue;
    std::vector<int> inner = PathToStringField(field->message_type(), depth - 1);
    if (inner.empty()) continue;
    inner.insert(inner.begin(), field->number());
    return inner;
  }
  return {};
}

// A length-delimited field (wire type 2) holding `payload`; payloads here
// are under 128 bytes, so the tag and length are one byte each.
std::string LengthDelimited(int field_number, const std::string& payload) {
  return std::string(1, static_cast<char>(field_number << 3 | 2)) +
         std::string(1, static_cast<char>(payload.size())) + payload;
}

// The encoding of `type` with invalid UTF-8 in a string field.
std::string InvalidUtf8(const google::protobuf::Descriptor* type) {
  const std::vector<int> path = PathToStringField(type);
  std::string bytes = "\xc3\x28";  // a lead byte without its continuation
  for (auto it = path.rbegin(); it != path.rend(); ++it) bytes = LengthDelimited(*it, bytes);
  return bytes;
}

// Sends `body` to `method` as one message, half-closes and returns the
// status, reading nothing (the call is expected to fail before any answer).
grpc::Status CallRaw(grpc::GenericStub& stub, const std::string& method, const std::string& body) {
  grpc::CompletionQueue queue;
  auto context = ContextWithDeadline(10s);
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(context.get(), method, &queue);
  void* tag = nullptr;
  bool ok = false;
  call->StartCall(reinterpret_cast<void*>(1));
  queue.Next(&tag, &ok);
  grpc::Slice slice(body);
  grpc::ByteBuffer bytes(&slice, 1);
  call->WriteLast(bytes, grpc::WriteOptions(), reinterpret_cast<void*>(2));
  queue.Next(&tag, &ok);  // not ok when the server has ended the call already
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(3));
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

TEST_F(TransportE2e, UnparsableBodiesAreInvalidArgumentOnEveryMethod) {
  StartServer();
  grpc::GenericStub stub(channel_);
  const std::vector<const google::protobuf::ServiceDescriptor*> services = {
      v1::GeneratePlanRequest::descriptor()->file()->FindServiceByName("CapacityPlannerService"),
      v1::IngestTelemetryRequest::descriptor()->file()->FindServiceByName("FleetService"),
      HealthCheckRequest::descriptor()->file()->FindServiceByName("Health")};
  int methods = 0;
  int with_strings = 0;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      const std::string path = "/" + service->full_name() + "/" + method->name();
      const std::string type = method->input_type()->full_name();
      ++methods;
      std::vector<std::pair<std::string, std::string>> bodies = {
          // Field 1, length-delimited, 5 bytes announced and 2 present.
          {"truncated", std::string("\x0a\x05"
                                    "ab",
                                    4)},
      };
      // (EvaluateQueueRequest holds numbers only.)
      if (!PathToStringField(method->input_type()).empty()) {
        bodies.emplace_back("invalid UTF-8", InvalidUtf8(method->input_type()));
        ++with_strings;
      }
      for (const auto& [what, body] : bodies) {
        const grpc::Status status = CallRaw(stub, path, body);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << path << " " << what << ": " << status.error_message();
        EXPECT_EQ(ErrorInfoReason(status), "horizonscale/INVALID_REQUEST") << path << " " << what;
        EXPECT_NE(status.error_message().find("not a valid " + type), std::string::npos)
            << path << " " << what << ": " << status.error_message();
      }
    }
  }
  EXPECT_EQ(methods, 17);  // 10 planner + 5 fleet + 2 health
  EXPECT_EQ(with_strings, 16);
  // The server is unharmed, and protobuf's line per bad string field does
  // not reach the log at the default level (a client could flood it).
  HealthCheckResponse health;
  ASSERT_TRUE(Check(&health).ok());
  EXPECT_EQ(server_->Log().find("invalid UTF-8"), std::string::npos) << server_->Log();
}

}  // namespace
}  // namespace horizonscale::testing
