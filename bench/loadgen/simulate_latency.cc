// End-to-end time of one Simulate call through gRPC: the reference
// scenario (24 hours at a mean 50 jobs/s with the daily pattern and one bell
// spike, about 4.3 million jobs, one-minute timeline) on a fixed pool, sent
// `--calls` times one after another; prints every wall time and the median.
//
//   simulate_latency --target=127.0.0.1:50051 --calls=7
//
// Exit code 1 when a call fails.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace {

namespace v1 = horizonscale::v1;

v1::SimulateRequest ReferenceRequest() {
  v1::SimulateRequest request;
  v1::CapacityPlan* plan = request.mutable_plan();
  plan->set_current_workers(12);
  plan->mutable_generate_time()->set_seconds(1'790'000'000 - 1'790'000'000 % 86'400);
  v1::Scenario* scenario = request.add_scenarios();
  scenario->set_name("daily with a bell spike");
  v1::TrafficPattern* traffic = scenario->mutable_traffic();
  traffic->set_kind(v1::TRAFFIC_PATTERN_KIND_DAILY);
  traffic->set_base_rate_per_second(50);
  traffic->set_amplitude(0.5);
  v1::Spike* spike = traffic->add_spikes();
  spike->mutable_start_offset()->set_seconds(14 * 3600);
  spike->mutable_duration()->set_seconds(2 * 3600);
  spike->set_magnitude(1.5);
  spike->set_shape(v1::SPIKE_SHAPE_BELL);
  scenario->mutable_duration()->set_seconds(24 * 3600);
  scenario->mutable_granularity()->set_seconds(60);
  request.mutable_service_time()->set_distribution(v1::SERVICE_DISTRIBUTION_EXPONENTIAL);
  request.mutable_service_time()->set_mean_seconds(0.1);
  request.mutable_slo()->set_p95_latency_seconds(0.5);
  request.set_seed(7);
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  std::string target = "127.0.0.1:50051";
  int calls = 7;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--target=", 9) == 0) {
      target = argv[i] + 9;
    } else if (std::strncmp(argv[i], "--calls=", 8) == 0) {
      calls = std::max(1, std::atoi(argv[i] + 8));
    } else {
      std::fprintf(stderr, "usage: simulate_latency [--target=host:port] [--calls=N]\n");
      return 2;
    }
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  auto stub = v1::CapacityPlannerService::NewStub(
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments));
  const v1::SimulateRequest request = ReferenceRequest();
  std::vector<double> seconds;
  for (int i = 0; i < calls; ++i) {
    grpc::ClientContext context;
    context.set_wait_for_ready(true);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::SimulateResponse response;
    const auto start = std::chrono::steady_clock::now();
    const grpc::Status status = stub->Simulate(&context, request, &response);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!status.ok()) {
      std::fprintf(stderr, "Simulate failed: %s\n", status.error_message().c_str());
      return 1;
    }
    const v1::SimulationSummary& summary = response.results(0).summary();
    std::printf("call %d: %.3f s, %lld jobs, SLO achievement %.3f, p95 %.3f s\n", i + 1, elapsed,
                static_cast<long long>(summary.jobs_arrived()), summary.slo_achievement(),
                summary.p95_latency_seconds());
    seconds.push_back(elapsed);
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("median %.3f s over %d calls\n", seconds[seconds.size() / 2], calls);
  return 0;
}
