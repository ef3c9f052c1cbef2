#include "db/fleet_ingest.h"

#include <algorithm>
#include <tuple>

namespace horizonscale::db {

void FleetIngest::AddObservation(const std::string& host_id, int resource, int32_t day,
                                 double value) {
  if (resource < kMinResource || resource > kMaxResource) return;
  // Streams usually send a host's rows together: skip the hash lookup then.
  if (last_host_ == nullptr || *last_host_ != host_id) {
    auto it = series_.try_emplace(host_id).first;
    last_host_ = &it->first;
    last_logs_ = &it->second;
  }
  (*last_logs_)[resource - 1].Add(day, value);
  ++observations_;
}

void FleetIngest::AddHost(FleetHost host) {
  std::string key = host.host_id;
  hosts_.insert_or_assign(std::move(key), std::move(host));
}

size_t FleetIngest::buffer_bytes() const {
  size_t bytes = 0;
  for (const auto& [host, logs] : series_) {
    for (const ObservationLog& log : logs) bytes += log.capacity_bytes();
  }
  return bytes;
}

std::vector<FleetIngest::Series> FleetIngest::SortedSeries() {
  std::vector<Series> series;
  for (auto& [host, logs] : series_) {
    for (int r = kMinResource; r <= kMaxResource; ++r) {
      if (logs[r - 1].size() > 0) series.push_back({&host, r, &logs[r - 1]});
    }
  }
  std::sort(series.begin(), series.end(), [](const Series& a, const Series& b) {
    return std::tie(*a.host_id, a.resource) < std::tie(*b.host_id, b.resource);
  });
  return series;
}

std::vector<const FleetHost*> FleetIngest::SortedHosts() const {
  std::vector<const FleetHost*> hosts;
  hosts.reserve(hosts_.size());
  for (const auto& [id, host] : hosts_) hosts.push_back(&host);
  std::sort(hosts.begin(), hosts.end(),
            [](const FleetHost* a, const FleetHost* b) { return a->host_id < b->host_id; });
  return hosts;
}

}  // namespace horizonscale::db
