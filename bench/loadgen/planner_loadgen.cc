// Load generator for CapacityPlannerService.GeneratePlan over gRPC: keeps
// `--concurrency` calls in flight from `--threads` async clients for
// `--duration` seconds (after `--warmup`), spread over `--queues` queues, and
// prints throughput and latency percentiles. Every call carries a fresh
// request_id, as an operator's would.
//
//   planner_loadgen --target=127.0.0.1:50051 --concurrency=64 --duration=10
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

#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace {

namespace v1 = horizonscale::v1;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string target = "127.0.0.1:50051";
  int concurrency = 64;
  int threads = 2;
  double duration_seconds = 10;
  double warmup_seconds = 2;
  int queues = 100;
};

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
      options.target = value;
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
    else {
      std::fprintf(stderr,
                   "usage: planner_loadgen [--target=host:port] [--concurrency=N] [--threads=N] "
                   "[--duration=S] [--warmup=S] [--queues=N]\n");
      std::exit(2);
    }
  }
  return options;
}

struct Call {
  v1::GeneratePlanRequest request;
  v1::GeneratePlanResponse response;
  grpc::ClientContext context;
  grpc::Status status;
  Clock::time_point start;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::GeneratePlanResponse>> reader;
};

struct Result {
  std::vector<double> latencies_us;  // measured calls only
  int64_t failures = 0;
  std::string first_error;
};

// One client thread: its own completion queue, `in_flight` calls at a time.
void Drive(v1::CapacityPlannerService::Stub& stub, const Options& options, int in_flight,
           int thread_index, Clock::time_point measure_from, Clock::time_point stop_at,
           Result& result) {
  grpc::CompletionQueue queue;
  uint64_t sequence = 0;
  auto start_call = [&] {
    auto* call = new Call;
    const uint64_t n = sequence++;
    const int queue_index = static_cast<int>((n * 7919 + thread_index) % options.queues);
    call->request.set_queue("loadgen-" + std::to_string(queue_index));
    call->request.set_request_id("lg-" + std::to_string(thread_index) + "-" + std::to_string(n) +
                                 "-" + std::to_string(Clock::now().time_since_epoch().count()));
    v1::QueueMetrics* metrics = call->request.mutable_current_metrics();
    metrics->set_arrival_rate_per_second(100 + 50 * (queue_index % 5) + (n % 7));
    metrics->set_mean_service_time_seconds(0.05);
    metrics->set_current_workers(8 + queue_index % 5);
    metrics->set_utilization(0.7);
    call->request.mutable_slo()->set_p95_latency_seconds(0.25);
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    call->start = Clock::now();
    call->reader = stub.AsyncGeneratePlan(&call->context, call->request, &queue);
    call->reader->Finish(&call->response, &call->status, call);
  };
  for (int i = 0; i < in_flight; ++i) start_call();
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
      start_call();
      ++outstanding;
    }
  }
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = Parse(argc, argv);
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<v1::CapacityPlannerService::Stub>> stubs;
  for (int t = 0; t < options.threads; ++t) {
    channels.push_back(
        grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), args));
    stubs.push_back(v1::CapacityPlannerService::NewStub(channels.back()));
  }
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
      Drive(*stubs[t], options, in_flight, t, measure_from, stop_at, results[t]);
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
      "planner_loadgen: target=%s concurrency=%d threads=%d queues=%d duration=%.0fs\n"
      "ok=%zu failed=%lld throughput=%.0f plans/s p50=%.2f ms p90=%.2f ms p99=%.2f ms "
      "max=%.2f ms\n",
      options.target.c_str(), options.concurrency, options.threads, options.queues,
      options.duration_seconds, latencies.size(), static_cast<long long>(failures),
      latencies.size() / options.duration_seconds, Percentile(latencies, 0.5) / 1000,
      Percentile(latencies, 0.9) / 1000, Percentile(latencies, 0.99) / 1000,
      latencies.empty() ? 0 : latencies.back() / 1000);
  if (failures > 0) std::printf("first error: %s\n", first_error.c_str());
  return failures > 0 ? 1 : 0;
}
