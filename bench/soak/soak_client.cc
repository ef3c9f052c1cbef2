// Soak of a running server (issue 12): well-behaved GeneratePlan traffic at
// a fixed rate, with the abuse patterns a hostile-input probe found mixed in
// (--abuse), for --duration seconds. Prints the well-behaved calls' latency
// percentiles and failures (overall and per minute), what the abusers got,
// and the server's resident memory over the run (from /proc/PID/status of
// --server_pid).
//
//   soak_client --target=127.0.0.1:50051 --rate=3000 --duration=600 --abuse
//               --server_pid=1234
//
// Exit code 1 when a well-behaved call failed or the server died.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/escaping.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace {

namespace v1 = horizonscale::v1;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Options {
  std::string target = "127.0.0.1:50051";
  double rate = 1000;  // well-behaved GeneratePlan calls per second
  int threads = 32;    // well-behaved client threads
  double duration_seconds = 600;
  double warmup_seconds = 10;
  bool abuse = false;
  int server_pid = 0;
};

bool Flag(const char* arg, const char* name, std::string& value) {
  const size_t length = std::strlen(name);
  if (std::strncmp(arg, name, length) != 0 || arg[length] != '=') return false;
  value = arg + length + 1;
  return true;
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    if (Flag(argv[i], "--target", value)) {
      options.target = value;
    } else if (Flag(argv[i], "--rate", value)) {
      options.rate = std::stod(value);
    } else if (Flag(argv[i], "--threads", value)) {
      options.threads = std::stoi(value);
    } else if (Flag(argv[i], "--duration", value)) {
      options.duration_seconds = std::stod(value);
    } else if (Flag(argv[i], "--warmup", value)) {
      options.warmup_seconds = std::stod(value);
    } else if (Flag(argv[i], "--server_pid", value)) {
      options.server_pid = std::stoi(value);
    } else if (std::strcmp(argv[i], "--abuse") == 0) {
      options.abuse = true;
    } else {
      std::fprintf(stderr,
                   "usage: soak_client [--target=host:port] [--rate=N] [--threads=N] "
                   "[--duration=S] [--warmup=S] [--abuse] [--server_pid=PID]\n");
      std::exit(2);
    }
  }
  return options;
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> Context(std::chrono::milliseconds timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

// Counts of status codes per caller, for the report.
class Tally {
 public:
  void Add(const std::string& who, grpc::StatusCode code) {
    std::lock_guard lock(mutex_);
    ++counts_[who][code];
  }
  void Print() const {
    std::lock_guard lock(mutex_);
    for (const auto& [who, codes] : counts_) {
      std::printf("  %-22s", who.c_str());
      for (const auto& [code, count] : codes) std::printf(" code%d=%lld", code, (long long)count);
      std::printf("\n");
    }
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<int, int64_t>> counts_;
};

v1::GeneratePlanRequest PlanRequest(int queue, uint64_t n) {
  v1::GeneratePlanRequest request;
  request.set_queue("soak-" + std::to_string(queue));
  request.set_request_id("soak-" + std::to_string(queue) + "-" + std::to_string(n));
  v1::QueueMetrics* metrics = request.mutable_current_metrics();
  metrics->set_arrival_rate_per_second(100 + 50 * (queue % 5) + (n % 7));
  metrics->set_mean_service_time_seconds(0.05);
  metrics->set_current_workers(8 + queue % 5);
  metrics->set_utilization(0.7);
  request.mutable_slo()->set_p95_latency_seconds(0.25);
  return request;
}

// Well-behaved latencies, per minute of the measured run.
struct Measured {
  std::mutex mutex;
  std::vector<std::vector<double>> per_minute_ms;
  int64_t failures = 0;
  std::string first_error;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

int64_t ResidentKib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

// Runs `body` every `period` until `stop`, on its own thread.
std::thread Every(std::chrono::milliseconds period, const std::atomic<bool>& stop,
                  std::function<void()> body) {
  return std::thread([period, &stop, body = std::move(body)] {
    while (!stop) {
      const auto next = Clock::now() + period;
      body();
      std::this_thread::sleep_until(next);
    }
  });
}

// The abuse patterns, each on threads of its own with a connection of its own.
std::vector<std::thread> StartAbuse(const std::string& target, const std::atomic<bool>& stop,
                                    Tally& tally) {
  std::vector<std::thread> threads;
  // A NUL in request_id, every 5 ms (once broke other clients' batches).
  threads.push_back(
      Every(5ms, stop,
            [stub = std::shared_ptr(v1::CapacityPlannerService::NewStub(NewChannel(target))),
             &tally, n = uint64_t{0}]() mutable {
              v1::GeneratePlanRequest request = PlanRequest(7, n++);
              request.set_request_id(std::string("nul\0id", 6) + std::to_string(n));
              v1::GeneratePlanResponse response;
              tally.Add("nul_request_id",
                        stub->GeneratePlan(Context(5s).get(), request, &response).error_code());
            }));
  // 100,000 copies of one model (once grew the server past 13 GB), every second.
  threads.push_back(Every(
      1s, stop, [stub = std::shared_ptr(v1::FleetService::NewStub(NewChannel(target))), &tally] {
        v1::RunCompetitionRequest request;
        for (int i = 0; i < 100'000; ++i)
          request.mutable_config()->add_models(v1::FORECAST_MODEL_HOLT);
        auto context = Context(10s);
        auto reader = stub->RunCompetition(context.get(), request);
        v1::RunCompetitionResponse event;
        while (reader->Read(&event)) {
        }
        tally.Add("model_bomb", reader->Finish().error_code());
      }));
  // Idle IngestTelemetry streams: open, send one message, go silent; reopen
  // when the server ends one.
  for (int s = 0; s < 64; ++s) {
    threads.emplace_back([&target, &stop, &tally] {
      auto stub = v1::FleetService::NewStub(NewChannel(target));
      while (!stop) {
        grpc::ClientContext context;
        v1::IngestTelemetryResponse response;
        auto writer = stub->IngestTelemetry(&context, &response);
        v1::IngestTelemetryRequest message;
        v1::UtilizationSample* sample = message.add_samples();
        sample->set_host_id("idle-host");
        sample->set_resource(v1::RESOURCE_CPU);
        sample->set_date("2026-11-30");
        sample->set_p95_utilization_percent(50);
        writer->Write(message);
        // Silent until the server ends the stream or the soak ends.
        std::thread canceller([&] {
          while (!stop) std::this_thread::sleep_for(100ms);
          context.TryCancel();
        });
        tally.Add("idle_stream", writer->Finish().error_code());
        context.TryCancel();
        canceller.join();
        if (!stop) std::this_thread::sleep_for(1s);
      }
    });
  }
  // Forecast bombs: three points spanning a 1,000,000-minute grid, and a
  // long AUTO series with a 10,000-step horizon under a 1 s deadline.
  threads.push_back(
      Every(1s, stop,
            [stub = std::shared_ptr(v1::CapacityPlannerService::NewStub(NewChannel(target))),
             &tally, n = 0]() mutable {
              v1::GetForecastsRequest request;
              if (n++ % 2 == 0) {
                for (int64_t minute : {int64_t{0}, int64_t{500'000}, int64_t{1'000'000}}) {
                  v1::SeriesPoint* point = request.mutable_series()->add_points();
                  point->mutable_time()->set_seconds(1'700'000'000 + 60 * minute);
                  point->set_value(10);
                }
                request.mutable_step()->set_seconds(60);
                request.set_horizon_steps(10);
              } else {
                for (int i = 0; i < 100'000; ++i) {
                  v1::SeriesPoint* point = request.mutable_series()->add_points();
                  point->mutable_time()->set_seconds(1'700'000'000 + 60 * i);
                  point->set_value(50 + (i % 1440) / 100.0);
                }
                request.set_horizon_steps(10'000);
              }
              v1::GetForecastsResponse response;
              tally.Add("forecast_bomb",
                        stub->GetForecasts(Context(1s).get(), request, &response).error_code());
            }));
  // Unparsable bodies, forged page tokens and a 1 MiB plan_id, every 10 ms.
  threads.push_back(Every(10ms, stop, [channel = NewChannel(target), &tally, n = 0]() mutable {
    auto stub = v1::CapacityPlannerService::NewStub(channel);
    switch (n++ % 3) {
      case 0: {
        grpc::GenericStub generic(channel);
        const char truncated[] = "\x0a\x10only-six";
        grpc::Slice slice(truncated, sizeof(truncated) - 1);
        grpc::ByteBuffer body(&slice, 1);
        grpc::ByteBuffer reply;
        grpc::Status status;
        std::mutex mutex;
        std::condition_variable done;
        bool finished = false;
        auto context = Context(5s);
        generic.UnaryCall(context.get(), "/horizonscale.v1.CapacityPlannerService/ListPlans",
                          grpc::StubOptions(), &body, &reply, [&](grpc::Status s) {
                            std::lock_guard lock(mutex);
                            status = s;
                            finished = true;
                            done.notify_one();
                          });
        std::unique_lock lock(mutex);
        done.wait(lock, [&] { return finished; });
        tally.Add("unparsable_body", status.error_code());
        break;
      }
      case 1: {
        v1::ListPlansRequest request;
        request.set_queue("soak-1");
        request.set_page_token(absl::WebSafeBase64Escape(
            "p1\nsoak-1\n9223372036854775807\n0b7c4a1e-7a51-4a4e-9a53-8f1f4c0b8a11"));
        v1::ListPlansResponse response;
        tally.Add("forged_page_token",
                  stub->ListPlans(Context(5s).get(), request, &response).error_code());
        break;
      }
      default: {
        v1::GetPlanRequest request;
        request.set_plan_id(std::string(1 << 20, 'x'));
        v1::GetPlanResponse response;
        tally.Add("huge_plan_id",
                  stub->GetPlan(Context(5s).get(), request, &response).error_code());
      }
    }
  }));
  return threads;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = Parse(argc, argv);
  const Clock::time_point begin = Clock::now();
  const auto seconds = [](double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };
  const Clock::time_point measure_from = begin + seconds(options.warmup_seconds);
  const Clock::time_point stop_at = measure_from + seconds(options.duration_seconds);
  const int minutes = std::max(1, static_cast<int>(std::ceil(options.duration_seconds / 60)));

  std::atomic<bool> stop{false};
  Tally tally;
  Measured measured;
  measured.per_minute_ms.resize(minutes);
  std::vector<std::thread> abusers;
  if (options.abuse) abusers = StartAbuse(options.target, stop, tally);

  // Well-behaved clients: each thread paces its share of --rate.
  std::vector<std::thread> clients;
  const auto interval = seconds(options.threads / options.rate);
  for (int t = 0; t < options.threads; ++t) {
    clients.emplace_back([&, t] {
      auto stub = v1::CapacityPlannerService::NewStub(NewChannel(options.target));
      auto next = begin + interval * t / options.threads;
      for (uint64_t n = 0; Clock::now() < stop_at; ++n) {
        std::this_thread::sleep_until(next);
        next += interval;
        const Clock::time_point start = Clock::now();
        v1::GeneratePlanResponse response;
        const grpc::Status status =
            stub->GeneratePlan(Context(10s).get(), PlanRequest(t * 31 + n % 31, n), &response);
        const Clock::time_point end = Clock::now();
        if (start < measure_from || end > stop_at) continue;
        std::lock_guard lock(measured.mutex);
        if (!status.ok()) {
          if (measured.failures++ == 0) measured.first_error = status.error_message();
          continue;
        }
        const int minute = std::min(
            minutes - 1,
            static_cast<int>(std::chrono::duration<double>(start - measure_from).count() / 60));
        measured.per_minute_ms[minute].push_back(
            std::chrono::duration<double, std::milli>(end - start).count());
      }
    });
  }

  // Health every second (a Kubernetes probe's view) and the server's memory.
  auto health = grpc::health::v1::Health::NewStub(NewChannel(options.target));
  std::vector<std::pair<double, int64_t>> resident;  // (seconds into the run, KiB)
  int64_t health_failures = 0;
  bool server_died = false;
  while (Clock::now() < stop_at) {
    std::this_thread::sleep_for(1s);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(Context(1s).get(), request, &response);
    if (!status.ok() || response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      ++health_failures;
    }
    if (options.server_pid > 0) {
      if (kill(options.server_pid, 0) != 0) {
        server_died = true;
        break;
      }
      const double at = std::chrono::duration<double>(Clock::now() - measure_from).count();
      if (at >= 0) resident.emplace_back(at, ResidentKib(options.server_pid));
    }
  }
  stop = true;
  for (std::thread& thread : clients) thread.join();
  for (std::thread& thread : abusers) thread.join();

  std::vector<double> all;
  std::printf("soak_client: target=%s rate=%.0f/s threads=%d duration=%.0fs abuse=%s\n",
              options.target.c_str(), options.rate, options.threads, options.duration_seconds,
              options.abuse ? "yes" : "no");
  for (int m = 0; m < minutes; ++m) {
    const std::vector<double>& ms = measured.per_minute_ms[m];
    all.insert(all.end(), ms.begin(), ms.end());
    std::printf("  minute %2d: ok=%zu p50=%.2f ms p99=%.2f ms\n", m + 1, ms.size(),
                Percentile(ms, 0.5), Percentile(ms, 0.99));
  }
  std::printf(
      "well-behaved: ok=%zu failed=%lld throughput=%.0f/s p50=%.2f ms p99=%.2f ms "
      "p99.9=%.2f ms max=%.2f ms\n",
      all.size(), static_cast<long long>(measured.failures), all.size() / options.duration_seconds,
      Percentile(all, 0.5), Percentile(all, 0.99), Percentile(all, 0.999),
      all.empty() ? 0 : *std::max_element(all.begin(), all.end()));
  if (measured.failures > 0) std::printf("first error: %s\n", measured.first_error.c_str());
  std::printf("health: %lld of the once-a-second checks not SERVING\n",
              static_cast<long long>(health_failures));
  if (!resident.empty()) {
    int64_t peak = 0;
    for (const auto& [at, kib] : resident) peak = std::max(peak, kib);
    // Flatness: the last minute's mean against the second minute's (after
    // caches and pools have grown to their working size).
    auto mean_between = [&](double from, double to) {
      double sum = 0;
      int count = 0;
      for (const auto& [at, kib] : resident) {
        if (at >= from && at < to) sum += kib, ++count;
      }
      return count == 0 ? 0.0 : sum / count;
    };
    const double early = mean_between(60, 120);
    const double late = mean_between(options.duration_seconds - 60, options.duration_seconds);
    std::printf("server RSS: minute 2 %.0f MiB, last minute %.0f MiB (%+.1f %%), peak %.0f MiB\n",
                early / 1024, late / 1024, early > 0 ? 100 * (late - early) / early : 0.0,
                peak / 1024.0);
  }
  if (options.abuse) {
    std::printf("abusers' answers (gRPC codes):\n");
    tally.Print();
  }
  if (server_died) std::printf("THE SERVER DIED\n");
  return measured.failures > 0 || server_died ? 1 : 0;
}
