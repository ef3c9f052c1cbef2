// What the call gate adds to a unary call: the same memory-only GeneratePlan
// (100 jobs/s at 0.1 s on 10 workers, P95 <= 1 s) over an in-process channel
//   - with no gate (no --access_file: the development setup),
//   - through a gate with an access file, the call carrying a planner's
//     bearer token (hashed and looked up, role checked, rate bucket taken,
//     and its audit line written: the log is at info, to stderr, as a
//     server's; run with 2>/dev/null).
// TLS is measured end to end by bench/loadgen/tls.sh. Target for both
// together: under 50 us at p50 per call.
//   build/bench/security/security_call_gate_bench --benchmark_repetitions=5
//     --benchmark_report_aggregates_only 2>/dev/null   (one command line)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <string>

#include <absl/strings/escaping.h>
#include <grpcpp/generic/generic_stub.h>

#include "bench/support/in_process_planner.h"
#include "server/security/access_control.h"
#include "server/security/call_gate.h"
#include "server/transport/raw_message.h"

namespace horizonscale::server {
namespace {

constexpr char kMethod[] = "/horizonscale.v1.CapacityPlannerService/GeneratePlan";
constexpr char kToken[] = "bench-planner-token-31f7";

// An access file with the planner's token and limits no benchmark reaches.
std::unique_ptr<AccessControl> Access() {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("hs-gate-bench-" + std::to_string(getpid()));
  const std::array<uint8_t, 32> digest = Sha256(kToken);
  std::ofstream(path) << "tokens:\n  - {identity: bench, roles: [planner], sha256: "
                      << absl::BytesToHexString(absl::string_view(
                             reinterpret_cast<const char*>(digest.data()), digest.size()))
                      << "}\nlimits:\n  rate: {planner: {plan: 100000000}}\n";
  auto access = AccessControl::Open(path.string());
  std::filesystem::remove(path);
  return access.ok() ? *std::move(access) : nullptr;
}

void CallLoop(benchmark::State& state, InProcessPlanner& planner, bool with_token) {
  grpc::GenericStub stub(planner.channel);
  const v1::GeneratePlanRequest request = BenchPlanRequest();
  for (auto _ : state) {
    grpc::ByteBuffer request_bytes, response_bytes;
    (void)SerializeMessage(request, request_bytes);
    grpc::ClientContext context;
    if (with_token) context.AddMetadata("authorization", std::string("Bearer ") + kToken);
    std::promise<grpc::Status> ended;
    stub.UnaryCall(&context, kMethod, grpc::StubOptions(), &request_bytes, &response_bytes,
                   [&ended](grpc::Status status) { ended.set_value(std::move(status)); });
    if (grpc::Status status = ended.get_future().get(); !status.ok()) {
      state.SkipWithError(status.error_message().c_str());
    }
  }
}

void BM_GeneratePlanWithoutGate(benchmark::State& state) {
  static auto* planner = new InProcessPlanner(nullptr, "info");
  CallLoop(state, *planner, false);
}
BENCHMARK(BM_GeneratePlanWithoutGate)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_GeneratePlanThroughGateWithToken(benchmark::State& state) {
  static AccessControl* access = Access().release();
  static auto* gate = new CallGate(access);
  static auto* planner = new InProcessPlanner(gate, "info");
  if (access == nullptr) state.SkipWithError("no access file");
  CallLoop(state, *planner, true);
}
BENCHMARK(BM_GeneratePlanThroughGateWithToken)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace horizonscale::server
