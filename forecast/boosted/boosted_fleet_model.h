// The XGBoost challenger of the fleet forecasting tournament: ONE global
// gradient-boosted model trained across many daily series at once (as
// mlforecast does), forecasting recursively and in batch, one XGBoost
// prediction call per step over every series. Fitting one model per series is
// out of the fleet's time budget; a global model also learns shapes (trend,
// weekly cycle, mean reversion) from the whole fleet.
//
// What the model learns (forecast/boosted/internal/boosted_features.h has the exact
// definitions). Trees cannot extrapolate a level they never saw, so every
// quantity is taken relative to an anchor and divided by a per-series scale,
// which makes the model invariant to each series' level and scale:
//   anchor A_t  the mean of the 7 values before t (the last week's level;
//               steadier than y_{t−1} and free of the weekly cycle)
//   scale s     the series' mean absolute daily change over its last 365
//               values (floored for constant series)
//   target      (y_t − A_t) / s, fitted with pseudo-Huber loss (robust to
//               the spikes of bursty series)
//   features    (y_{t−k} − A_t)/s for k = 1..7, 14, 21, 28; the 28- and
//               91-day means relative to A_t; the mean daily change over 4
//               and 13 weeks (trend); optionally four year-ago features
//               (364 days back, which keeps the weekday: last year's value
//               and week relative to the week before, last year's mean
//               daily change over the coming 4 weeks, growth over the
//               year); day of week; sin/cos of the day of year; the series'
//               group.
// Forecast ŷ_t = A_t + s · model(features_t). Recursive multi-step: each
// step's forecast is appended to the series and becomes a lag (and part of
// the anchor and means) of the next step; the scale stays the one of the
// observed history. Forecasts are not clamped to any range.
//
// One model per group by default (per_group_models): on four synthetic
// fleets of the bench's kind it was more accurate than one model for all
// groups with the group as a feature in three (180-day MAE 2.61 vs 2.77,
// 2.77 vs 2.82, 2.77 vs 2.83, but 2.86 vs 2.74 in the fourth; 30-day about
// even) for ~5 % more CPU. Either way the group stays a feature.
//
// Training rows: the targets in the last `training_window_days` of every
// series that is long enough; when there are more than `max_training_rows`,
// that many are drawn uniformly without replacement (seeded). On the fleet
// bench (8,000 series) accuracy stopped improving at ~200,000 rows while
// training time grows linearly with them.
//
// Thread safety: a BoostedFleetModel is immutable once trained or loaded;
// its const methods may be called from several threads at once. Copies share
// the same underlying boosters. Train and Forecast use `threads` OpenMP
// threads inside XGBoost (and none of their own). On cores shared with other
// work, run the process with OMP_WAIT_POLICY=passive (libgomp reads it at
// start-up): libgomp's default spin-waiting made 2-thread training 3–6×
// slower in wall time on a loaded 2-core machine.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

namespace horizonscale::forecast {

namespace internal {
class XgbBooster;
}  // namespace internal

// How to train. Every field has a default that suits the fleet (~8,000
// series × 1,095 days on 2 cores, bench/forecast/boosted_fleet_bench.cc).
struct BoostedOptions {
  // Boosting rounds (trees), in [1, 10000].
  int trees = 100;
  // Depth of each tree, in [1, 16].
  int max_depth = 4;
  // Shrinkage (XGBoost's eta), in (0, 1].
  double learning_rate = 0.1;
  // XGBoost's OpenMP threads for training and prediction; 0: all cores.
  // Results are deterministic for a given seed and thread count.
  int threads = 0;
  // Seed of the row subsampling and of XGBoost.
  uint64_t seed = 0;
  // Only targets in the last this many days of each series become training
  // rows (recent behaviour matters most), >= 1.
  int training_window_days = 365;
  // Cap on the training rows drawn from all series together, >= 1. Training
  // time grows about linearly with it (on the bench, 100 trees of depth 4:
  // ~0.5 s + 1 s per 100,000 rows of CPU).
  int64_t max_training_rows = 200'000;
  // Whether to use the year-ago features. They need 392 days of history
  // before a target instead of 98 (see MinimumHistory).
  bool yearly_features = true;
  // One model per group (each series forecast by its group's model; the
  // rows cap split between groups in proportion to their eligible rows,
  // group g sampling with seed + g) instead of one model for all groups.
  bool per_group_models = true;
};

// One series as the model sees it.
struct BoostedSeries {
  // Daily values, oldest first; finite (gaps already filled).
  std::span<const double> values;
  // The day of values[0], in days since 1970-01-01 (for the calendar
  // features).
  int64_t first_day = 0;
  // The series' group, >= 0 (e.g. the resource: 0 cpu, 1 memory, 2 disk,
  // 3 network): selects the model when per_group_models, and is a feature.
  // With one model for all groups, a group unseen in training is treated
  // like its nearest seen ones.
  int group = 0;
};

// Fewest values a series needs to be forecast with these options (392 with
// yearly features, 98 without); training needs one more (a target).
int MinimumHistory(const BoostedOptions& options);

// The largest horizon Forecast accepts (days).
inline constexpr int kMaxBoostedHorizon = 3660;

class BoostedFleetModel {
 public:
  BoostedFleetModel(const BoostedFleetModel&) = default;
  BoostedFleetModel& operator=(const BoostedFleetModel&) = default;
  BoostedFleetModel(BoostedFleetModel&&) = default;
  BoostedFleetModel& operator=(BoostedFleetModel&&) = default;
  ~BoostedFleetModel();

  // Trains on every series given, each used up to its end (one model per
  // group present, or one for all, per options.per_group_models); series
  // shorter than MinimumHistory(options) + 1 contribute no rows, and a group
  // whose series all are gets no model. Errors:
  // INVALID_ARGUMENT for options out of range, no series, a negative group or
  // a non-finite value (naming the series and index); FAILED_PRECONDITION
  // with reason INSUFFICIENT_HISTORY (forecast/status_reason.h) when no
  // series is long enough; INTERNAL when XGBoost fails (its message).
  static absl::StatusOr<BoostedFleetModel> Train(std::span<const BoostedSeries> series,
                                                 const BoostedOptions& options);

  // Recursive forecasts of the `horizon` days after the end of each series:
  // result[i][h] is series i's forecast for day h + 1 after its last value.
  // One XGBoost prediction per step over all series of a model. Errors:
  // INVALID_ARGUMENT for no series, a horizon outside [1,
  // kMaxBoostedHorizon], a negative group, a group without a model or a
  // non-finite value (naming the series and index); FAILED_PRECONDITION with
  // reason INSUFFICIENT_HISTORY naming the first series shorter than
  // min_history(); INTERNAL when XGBoost fails.
  absl::StatusOr<std::vector<std::vector<double>>> Forecast(std::span<const BoostedSeries> series,
                                                            int horizon) const;

  // The model as bytes for storage (e.g. a bytea column) that Load in any
  // process turns back into an identical model: a small versioned header
  // (format and feature versions, options, row count), each group's
  // XGBoost model (UBJSON) and a checksum of everything. Empty only if
  // XGBoost fails to write a model (it does not for a trained one).
  std::string Serialize() const;

  // The model Serialize wrote, predicting with the `threads` it was trained
  // with. INVALID_ARGUMENT naming what is wrong when `bytes` are truncated,
  // corrupted (checksum), of another format or feature version, or refused
  // by XGBoost.
  static absl::StatusOr<BoostedFleetModel> Load(std::string_view bytes);

  // E.g. "XGBoost global model per group (groups 0, 1, 2, 3): 100 trees
  // depth 4 eta 0.1, pseudo-Huber loss, 200000 training rows (last 365 days
  // of each series), recursive, target (y - mean of last 7) / scale,
  // features: lag_1, ..., group".
  std::string description() const;

  // The options it was trained with.
  const BoostedOptions& options() const { return options_; }
  // Fewest values Forecast needs per series.
  int min_history() const { return MinimumHistory(options_); }
  // Rows it was trained on (all groups).
  int64_t training_rows() const { return training_rows_; }
  // The groups with a model of their own, ascending; empty for one model of
  // all groups.
  std::vector<int> groups() const;

 private:
  // The group of the one model of all groups.
  static constexpr int kAllGroups = -1;
  struct GroupModel {
    int group = kAllGroups;
    std::shared_ptr<const internal::XgbBooster> booster;
  };

  BoostedFleetModel(std::vector<GroupModel> models, const BoostedOptions& options,
                    int64_t training_rows);
  // Index in models_ of the model forecasting `group`, -1 when none.
  int ModelIndex(int group) const;

  std::vector<GroupModel> models_;  // ascending group
  BoostedOptions options_;
  int64_t training_rows_ = 0;
};

}  // namespace horizonscale::forecast
