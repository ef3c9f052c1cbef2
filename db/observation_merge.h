// Deduplicating and merging the daily observations of one series: the rule
// that "the later observation of a day wins", kept apart from SQL and proto
// so it can be tested on its own.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace horizonscale::db {

// The observations of one series in the order they arrived (any day order,
// days may repeat). Grows by about a quarter at a time instead of doubling,
// so that a stream's buffers waste little memory.
//
// Thread safety: none; one writer.
class ObservationLog {
 public:
  // Appends an observation of `day`.
  void Add(int32_t day, double value);

  // Observations appended so far.
  size_t size() const { return days_.size(); }

  // Bytes held by the log's buffers.
  size_t capacity_bytes() const {
    return days_.capacity() * sizeof(int32_t) + values_.capacity() * sizeof(double);
  }

  std::span<const int32_t> days() const { return days_; }
  std::span<const double> values() const { return values_; }

  // Frees the buffers.
  void Clear();

 private:
  std::vector<int32_t> days_;
  std::vector<double> values_;
};

// The observations of a series after merging.
struct MergedSeries {
  std::vector<int32_t> days;  // strictly ascending
  std::vector<double> values;
  // Observations dropped because a later one of the same day replaced them:
  // earlier ones of `incoming` and stored ones of a day `incoming` holds.
  int64_t replaced = 0;
};

// Merges `incoming` over the stored observations (`stored_days` strictly
// ascending, `stored_values` of the same length): of several observations of
// a day, the last of `incoming` wins, and any of `incoming` wins over the
// stored one. Days with no observation stay absent (gaps are not filled) and
// values are kept as they are.
MergedSeries MergeObservations(std::span<const int32_t> stored_days,
                               std::span<const double> stored_values,
                               const ObservationLog& incoming);

}  // namespace horizonscale::db
