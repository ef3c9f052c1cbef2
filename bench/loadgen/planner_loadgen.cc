// Load generator for the planner's hot calls over gRPC: keeps
// `--concurrency` calls in flight from `--threads` async clients for
// `--duration` seconds (after `--warmup`), spread over `--queues` queues, and
// prints throughput and latency percentiles.
//
// --method=GeneratePlan (default): CapacityPlannerService.GeneratePlan, every
// call with a fresh request_id, as an operator's would.
// --method=GetMetrics: the KEDA external scaler's GetMetrics, as KEDA asks it
// for one ScaledObject per queue; each queue's metrics are pushed once
// (GeneratePlan) before the run, so the calls are answered from cached plans.
//
// --tls_ca=PEM: TLS, trusting that CA (the server's --tls_cert must name the
// target's host); --tls_cert/--tls_key=PEM: the client certificate (mTLS).
// --token_file=FILE: a bearer token (the file's first line) sent with every
// call, for a server with an --access_file.
//
//   planner_loadgen --target=127.0.0.1:50051 --concurrency=64 --duration=10
//   planner_loadgen --method=GetMetrics --queues=10000 --concurrency=16
//   planner_loadgen --tls_ca=ca.pem --tls_cert=client.pem --tls_key=client.key
//   planner_loadgen --tls_ca=ca.pem --token_file=planner.token
//
// Exit code 1 when any call failed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "clients/connection/connection.h"
#include "externalscaler/externalscaler.grpc.pb.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace {

namespace v1 = horizonscale::v1;
namespace clients = horizonscale::clients;
using Clock = std::chrono::steady_clock;

struct Options {
  clients::ConnectionOptions connection{.target = "127.0.0.1:50051"};
  int concurrency = 64;
  int threads = 2;
  double duration_seconds = 10;
  double warmup_seconds = 2;
  int queues = 100;
  std::string method = "GeneratePlan";
  std::string authorization;  // "Bearer <token>" from --token_file; empty: none
};

// Adds the bearer token of --token_file, if any, to a call.
void Authorize(grpc::ClientContext& context, const Options& options) {
  if (!options.authorization.empty()) context.AddMetadata("authorization", options.authorization);
}

// A connection as the options say (exits 2 when they are wrong).
clients::Connection ConnectOrExit(const Options& options,
                                  const grpc::ChannelArguments& arguments = {}) {
  absl::StatusOr<clients::Connection> connection = clients::Connect(options.connection, arguments);
  if (!connection.ok()) {
    std::fprintf(stderr, "planner_loadgen: %s\n",
                 std::string(connection.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(connection);
}

bool ParseFlag(const char* arg, const char* name, std::string& value) {
  const size_t length = std::strlen(name);
  if (std::strncmp(arg, name, length) != 0 || arg[length] != '=') return false;
  value = arg + length + 1;
  return true;
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    if (ParseFlag(argv[i], "--target", value))
      options.connection.target = value;
    else if (ParseFlag(argv[i], "--concurrency", value))
      options.concurrency = std::stoi(value);
    else if (ParseFlag(argv[i], "--threads", value))
      options.threads = std::stoi(value);
    else if (ParseFlag(argv[i], "--duration", value))
      options.duration_seconds = std::stod(value);
    else if (ParseFlag(argv[i], "--warmup", value))
      options.warmup_seconds = std::stod(value);
    else if (ParseFlag(argv[i], "--queues", value))
      options.queues = std::stoi(value);
    else if (ParseFlag(argv[i], "--tls_ca", value))
      options.connection.tls_ca = value;
    else if (ParseFlag(argv[i], "--tls_cert", value))
      options.connection.tls_cert = value;
    else if (ParseFlag(argv[i], "--tls_key", value))
      options.connection.tls_key = value;
    else if (ParseFlag(argv[i], "--token_file", value))
      options.connection.token_file = value;
    else if (ParseFlag(argv[i], "--method", value) &&
             (value == "GeneratePlan" || value == "GetMetrics"))
      options.method = value;
    else {
      std::fprintf(stderr,
                   "usage: planner_loadgen [--target=host:port] [--concurrency=N] [--threads=N] "
                   "[--duration=S] [--warmup=S] [--queues=N] [--method=GeneratePlan|GetMetrics] "
                   "[--tls_ca=PEM [--tls_cert=PEM --tls_key=PEM]] [--token_file=FILE]\n");
      std::exit(2);
    }
  }
  return options;
}

// A call in flight, whatever its method.
struct Call {
  virtual ~Call() = default;
  grpc::ClientContext context;
  grpc::Status status;
  Clock::time_point start;
};

template <class Request, class Response>
struct TypedCall : Call {
  Request request;
  Response response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
};

std::string QueueName(int index) { return "loadgen-" + std::to_string(index); }

// The request metrics of queue `queue_index`, varied by `n`.
void FillPlanRequest(int queue_index, uint64_t n, v1::GeneratePlanRequest& request) {
  request.set_queue(QueueName(queue_index));
  v1::QueueMetrics* metrics = request.mutable_current_metrics();
  metrics->set_arrival_rate_per_second(100 + 50 * (queue_index % 5) + (n % 7));
  metrics->set_mean_service_time_seconds(0.05);
  metrics->set_current_workers(8 + queue_index % 5);
  metrics->set_utilization(0.7);
  request.mutable_slo()->set_p95_latency_seconds(0.25);
}

// The stubs of one client thread.
struct Stubs {
  std::unique_ptr<v1::CapacityPlannerService::Stub> planner;
  std::unique_ptr<externalscaler::ExternalScaler::Stub> scaler;
};

// Starts call number `n` of `thread_index` on `queue`; returns its tag.
Call* StartCall(Stubs& stubs, const Options& options, uint64_t n, int thread_index,
                grpc::CompletionQueue& queue) {
  const int queue_index = static_cast<int>((n * 7919 + thread_index) % options.queues);
  const auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(10);
  if (options.method == "GetMetrics") {
    auto* call =
        new TypedCall<externalscaler::GetMetricsRequest, externalscaler::GetMetricsResponse>;
    externalscaler::ScaledObjectRef* ref = call->request.mutable_scaledobjectref();
    ref->set_name(QueueName(queue_index) + "-workers");
    ref->set_namespace_("loadgen");
    (*ref->mutable_scalermetadata())["queue"] = QueueName(queue_index);
    (*ref->mutable_scalermetadata())["slo.p95LatencySeconds"] = "0.25";
    (*ref->mutable_scalermetadata())["scalerAddress"] = options.connection.target;
    call->request.set_metricname("s0-horizonscale-" + QueueName(queue_index));
    call->context.set_deadline(deadline);
    Authorize(call->context, options);
    call->start = Clock::now();
    call->reader = stubs.scaler->AsyncGetMetrics(&call->context, call->request, &queue);
    call->reader->Finish(&call->response, &call->status, call);
    return call;
  }
  auto* call = new TypedCall<v1::GeneratePlanRequest, v1::GeneratePlanResponse>;
  FillPlanRequest(queue_index, n, call->request);
  call->request.set_request_id("lg-" + std::to_string(thread_index) + "-" + std::to_string(n) +
                               "-" + std::to_string(Clock::now().time_since_epoch().count()));
  call->context.set_deadline(deadline);
  Authorize(call->context, options);
  call->start = Clock::now();
  call->reader = stubs.planner->AsyncGeneratePlan(&call->context, call->request, &queue);
  call->reader->Finish(&call->response, &call->status, call);
  return call;
}

struct Result {
  std::vector<double> latencies_us;  // measured calls only
  int64_t failures = 0;
  std::string first_error;
};

// One client thread: its own completion queue, `in_flight` calls at a time.
void Drive(Stubs& stubs, const Options& options, int in_flight, int thread_index,
           Clock::time_point measure_from, Clock::time_point stop_at, Result& result) {
  grpc::CompletionQueue queue;
  uint64_t sequence = 0;
  for (int i = 0; i < in_flight; ++i) StartCall(stubs, options, sequence++, thread_index, queue);
  int outstanding = in_flight;
  void* tag = nullptr;
  bool ok = false;
  while (outstanding > 0 && queue.Next(&tag, &ok)) {
    auto* call = static_cast<Call*>(tag);
    const Clock::time_point end = Clock::now();
    if (call->start >= measure_from && end <= stop_at) {
      if (call->status.ok()) {
        result.latencies_us.push_back(
            std::chrono::duration<double, std::micro>(end - call->start).count());
      } else {
        if (result.failures++ == 0) result.first_error = call->status.error_message();
      }
    }
    delete call;
    --outstanding;
    if (end < stop_at) {
      StartCall(stubs, options, sequence++, thread_index, queue);
      ++outstanding;
    }
  }
}

// GetMetrics needs each queue's metrics once: one plan per queue.
bool PushMetricsOnce(v1::CapacityPlannerService::Stub& stub, const Options& options) {
  for (int q = 0; q < options.queues; ++q) {
    v1::GeneratePlanRequest request;
    FillPlanRequest(q, 0, request);
    v1::GeneratePlanResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    Authorize(context, options);
    const grpc::Status status = stub.GeneratePlan(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "planner_loadgen: pushing the metrics of %s: %s\n",
                   request.queue().c_str(), status.error_message().c_str());
      return false;
    }
  }
  return true;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  Options options = Parse(argc, argv);
  options.authorization = ConnectOrExit(options).authorization;
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<Stubs> stubs(options.threads);
  for (int t = 0; t < options.threads; ++t) {
    channels.push_back(ConnectOrExit(options, args).channel);
    stubs[t].planner = v1::CapacityPlannerService::NewStub(channels.back());
    stubs[t].scaler = externalscaler::ExternalScaler::NewStub(channels.back());
  }
  if (options.method == "GetMetrics" && !PushMetricsOnce(*stubs[0].planner, options)) return 1;
  const Clock::time_point begin = Clock::now();
  const auto measure_from = begin + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(options.warmup_seconds));
  const auto stop_at = measure_from + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(options.duration_seconds));
  std::vector<Result> results(options.threads);
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    const int in_flight =
        options.concurrency / options.threads + (t < options.concurrency % options.threads ? 1 : 0);
    threads.emplace_back([&, t, in_flight] {
      Drive(stubs[t], options, in_flight, t, measure_from, stop_at, results[t]);
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::vector<double> latencies;
  int64_t failures = 0;
  std::string first_error;
  for (const Result& result : results) {
    latencies.insert(latencies.end(), result.latencies_us.begin(), result.latencies_us.end());
    failures += result.failures;
    if (first_error.empty()) first_error = result.first_error;
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "planner_loadgen: method=%s target=%s concurrency=%d threads=%d queues=%d duration=%.0fs\n"
      "ok=%zu failed=%lld throughput=%.0f calls/s p50=%.2f ms p90=%.2f ms p99=%.2f ms "
      "max=%.2f ms\n",
      options.method.c_str(), options.connection.target.c_str(), options.concurrency,
      options.threads, options.queues, options.duration_seconds, latencies.size(),
      static_cast<long long>(failures), latencies.size() / options.duration_seconds,
      Percentile(latencies, 0.5) / 1000, Percentile(latencies, 0.9) / 1000,
      Percentile(latencies, 0.99) / 1000, latencies.empty() ? 0 : latencies.back() / 1000);
  if (failures > 0) std::printf("first error: %s\n", first_error.c_str());
  return failures > 0 ? 1 : 0;
}
