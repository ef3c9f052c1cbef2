// Parallel production, in-order consumption: how a fleet is generated on
// several threads yet written host by host in index order.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <absl/status/status.h>

namespace horizonscale::fleetgen {

// Calls produce(i) for every i in [0, n) on up to `threads` threads (at
// least one; produce must be safe to call concurrently) and consume(result)
// on the calling thread in order of i. Results are made in chunks of
// `chunk` indices, the next chunk while the current one is consumed, so at
// most 2·chunk results are held at once. Stops at the first non-OK status
// consume returns and returns it (produce may then have run for up to one
// chunk more).
template <class T>
absl::Status OrderedParallelMap(int n, int threads, int chunk, const std::function<T(int)>& produce,
                                const std::function<absl::Status(T&)>& consume) {
  threads = std::max(1, threads);
  chunk = std::max(1, chunk);
  auto make_chunk = [&produce, threads, chunk, n](int begin) {
    const int end = std::min(n, begin + chunk);
    std::vector<std::optional<T>> results(static_cast<size_t>(end - begin));
    std::atomic<int> next{begin};
    auto work = [&] {
      for (int i = next++; i < end; i = next++)
        results[static_cast<size_t>(i - begin)] = produce(i);
    };
    std::vector<std::jthread> workers;
    for (int w = 1; w < std::min(threads, end - begin); ++w) workers.emplace_back(work);
    work();
    return results;
  };
  if (n <= 0) return absl::OkStatus();
  std::vector<std::optional<T>> current = make_chunk(0);
  for (int begin = 0; begin < n; begin += chunk) {
    std::future<std::vector<std::optional<T>>> upcoming;
    if (begin + chunk < n) upcoming = std::async(std::launch::async, make_chunk, begin + chunk);
    for (std::optional<T>& result : current) {
      if (absl::Status status = consume(*result); !status.ok()) return status;
    }
    if (upcoming.valid()) current = upcoming.get();
  }
  return absl::OkStatus();
}

}  // namespace horizonscale::fleetgen
