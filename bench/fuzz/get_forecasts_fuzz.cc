// GetForecasts: request -> validation -> series preparation -> the
// forecasting engine -> the answer. A stored queue's history is a fixed
// daily-cycle series, so the stored path is exercised without a database.
// Each call has a 2 s deadline, as a client would give it: the heaviest
// request the limits accept takes longer than libFuzzer's 10 s per input
// under ASan, and the deadline (honoured inside the engine) is the bound.
#include <cmath>

#include <absl/time/clock.h>

#include "bench/fuzz/fuzz_support.h"
#include "server/planner/get_forecasts.h"

namespace v1 = horizonscale::v1;
namespace server = horizonscale::server;

namespace {

server::StoredRates StoredHistory() {
  server::StoredRates rates;
  const absl::Time start = absl::FromUnixSeconds(1'790'000'000);
  for (int minute = 0; minute < 3 * 1440; minute += 5) {
    rates.observations.push_back(
        {start + absl::Minutes(minute), 50 + 20 * std::sin(2 * M_PI * minute / 1440.0)});
  }
  rates.version = "fuzz";
  return rates;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::GetForecastsRequest request;
  if (!horizonscale::fuzz::ParseRequest(data, size, request)) return -1;
  static const server::StoredRates stored = StoredHistory();
  server::ForecastCache cache;
  v1::GetForecastsResponse response;
  const absl::Time deadline = absl::Now() + absl::Seconds(2);
  (void)server::GetForecasts(
      request,
      [](const std::string&, absl::Duration) -> absl::StatusOr<server::StoredRates> {
        return stored;
      },
      cache, [deadline] { return absl::Now() > deadline; }, &response);
  return 0;
}
