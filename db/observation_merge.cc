#include "db/observation_merge.h"

#include <algorithm>

namespace horizonscale::db {

void ObservationLog::Add(int32_t day, double value) {
  if (days_.size() == days_.capacity()) {
    const size_t grown = days_.size() + std::max<size_t>(4, days_.size() / 4);
    days_.reserve(grown);
    values_.reserve(grown);
  }
  days_.push_back(day);
  values_.push_back(value);
}

void ObservationLog::Clear() {
  std::vector<int32_t>().swap(days_);
  std::vector<double>().swap(values_);
}

namespace {

// `incoming` sorted by day with only the last observation of each day kept;
// counts the dropped ones into `replaced`.
void SortLastWins(const ObservationLog& incoming, std::vector<int32_t>& days,
                  std::vector<double>& values, int64_t& replaced) {
  const std::span<const int32_t> in_days = incoming.days();
  const std::span<const double> in_values = incoming.values();
  const bool ascending =
      std::adjacent_find(in_days.begin(), in_days.end(), std::greater_equal<>()) == in_days.end();
  if (ascending) {  // the usual case: one observation per day, in day order
    days.assign(in_days.begin(), in_days.end());
    values.assign(in_values.begin(), in_values.end());
    return;
  }
  std::vector<uint32_t> order(in_days.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // Stable: observations of one day stay in arrival order, the last is kept.
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return in_days[a] < in_days[b]; });
  days.clear();
  values.clear();
  days.reserve(order.size());
  values.reserve(order.size());
  for (uint32_t index : order) {
    if (!days.empty() && days.back() == in_days[index]) {
      values.back() = in_values[index];
      ++replaced;
    } else {
      days.push_back(in_days[index]);
      values.push_back(in_values[index]);
    }
  }
}

}  // namespace

MergedSeries MergeObservations(std::span<const int32_t> stored_days,
                               std::span<const double> stored_values,
                               const ObservationLog& incoming) {
  MergedSeries merged;
  std::vector<int32_t> new_days;
  std::vector<double> new_values;
  SortLastWins(incoming, new_days, new_values, merged.replaced);
  if (stored_days.empty()) {
    merged.days = std::move(new_days);
    merged.values = std::move(new_values);
    return merged;
  }
  merged.days.reserve(stored_days.size() + new_days.size());
  merged.values.reserve(stored_days.size() + new_days.size());
  size_t s = 0;  // next stored observation
  size_t n = 0;  // next new one
  while (s < stored_days.size() || n < new_days.size()) {
    if (n == new_days.size() || (s < stored_days.size() && stored_days[s] < new_days[n])) {
      merged.days.push_back(stored_days[s]);
      merged.values.push_back(stored_values[s]);
      ++s;
      continue;
    }
    if (s < stored_days.size() && stored_days[s] == new_days[n]) {
      ++merged.replaced;  // the stream's observation replaces the stored one
      ++s;
    }
    merged.days.push_back(new_days[n]);
    merged.values.push_back(new_values[n]);
    ++n;
  }
  return merged;
}

}  // namespace horizonscale::db
