#include "server/planner/get_forecasts.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "forecast/engine.h"
#include "forecast/status_reason.h"
#include "server/common/database_lease.h"
#include "server/common/field_checks.h"
#include "server/common/forecast_model.h"
#include "server/common/proto_time.h"
#include "server/common/text_checks.h"
#include "server/planner/forecast_limits.h"
#include "server/planner/queue_checks.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

// Stored history is kept in one-minute cells.
constexpr absl::Duration kStoredStep = absl::Minutes(1);
constexpr absl::Duration kDefaultHistoryWindow = absl::Hours(24);
constexpr absl::Duration kMaxHistoryWindow = absl::Hours(24 * 90);
constexpr double kDefaultLevel = 0.8;
// At most this many bad points are listed in one error.
constexpr int kMaxReportedPoints = 10;

// The request, checked and in domain terms.
struct Parsed {
  std::optional<forecast::ModelKind> model;  // nullopt: automatic
  int horizon = 1;
  double level = kDefaultLevel;
  std::optional<absl::Duration> step;              // the forecast's step
  std::string step_field;                          // where the step was given ("" when not)
  std::optional<absl::Duration> period;            // nullopt: detected
  std::vector<absl::Duration> additional_periods;  // longer seasonal periods
  absl::Duration window = kDefaultHistoryWindow;   // stored queues
};

void ParseModel(v1::ForecastModel model, FieldChecks& checks, Parsed& out) {
  if (model == v1::FORECAST_MODEL_UNSPECIFIED || ToModelKind(model, out.model)) return;
  if (model == v1::FORECAST_MODEL_PROPHET || model == v1::FORECAST_MODEL_XGBOOST) {
    checks.Fail("model",
                absl::StrCat(v1::ForecastModel_Name(model),
                             " is a fleet tournament model (FleetService), not served here"),
                reason::kModelNotSupported);
    return;
  }
  checks.Fail("model", absl::StrCat("unknown forecast model ", static_cast<int>(model)),
              reason::kInvalidRequest);
}

Parsed Parse(const v1::GetForecastsRequest& request, FieldChecks& checks) {
  Parsed out;
  ParseModel(request.model(), checks, out);
  checks.Integer("horizon_steps", request.horizon_steps(), 1, forecast::kMaxHorizon,
                 reason::kInvalidRequest);
  out.horizon = request.horizon_steps();
  if (request.has_interval_level()) {
    checks.Number("interval_level", request.interval_level(), 0, 1, reason::kInvalidRequest,
                  /*min_open=*/true, /*max_open=*/true);
    out.level = request.interval_level();
  }
  if (request.has_step()) {
    checks.Duration("step", request.step(), absl::Seconds(1), absl::Hours(24 * 366),
                    reason::kInvalidRequest);
    out.step = ToAbslDuration(request.step());
    out.step_field = "step";
  } else if (request.has_series() && request.series().has_step()) {
    checks.Duration("series.step", request.series().step(), absl::Seconds(1), absl::Hours(24 * 366),
                    reason::kInvalidRequest);
    out.step = ToAbslDuration(request.series().step());
    out.step_field = "series.step";
  }
  if (request.has_seasonal_period()) {
    checks.Duration("seasonal_period", request.seasonal_period(), absl::ZeroDuration(),
                    absl::Hours(24 * 366 * 10), reason::kInvalidRequest);
    out.period = ToAbslDuration(request.seasonal_period());
  }
  if (request.additional_seasonal_periods_size() > kMaxAdditionalSeasonalPeriods) {
    checks.Fail("additional_seasonal_periods",
                absl::StrCat("at most ", kMaxAdditionalSeasonalPeriods, " periods, got ",
                             request.additional_seasonal_periods_size()),
                reason::kInvalidRequest);
  } else if (request.additional_seasonal_periods_size() > 0 && !out.period.has_value()) {
    checks.Fail("additional_seasonal_periods", "needs seasonal_period", reason::kInvalidRequest);
  } else {
    for (int i = 0; i < request.additional_seasonal_periods_size(); ++i) {
      const std::string field = absl::StrCat("additional_seasonal_periods[", i, "]");
      checks.Duration(field, request.additional_seasonal_periods(i), absl::ZeroDuration(),
                      absl::Hours(24 * 366 * 10), reason::kInvalidRequest);
      const absl::Duration period = ToAbslDuration(request.additional_seasonal_periods(i));
      const absl::Duration previous =
          out.additional_periods.empty() ? *out.period : out.additional_periods.back();
      if (period <= previous) {
        checks.Fail(field,
                    absl::StrCat("must be longer than ", absl::FormatDuration(previous), ", got ",
                                 absl::FormatDuration(period)),
                    reason::kInvalidRequest);
      }
      out.additional_periods.push_back(period);
    }
  }
  if (request.has_history_window()) {
    checks.Duration("history_window", request.history_window(), kStoredStep, kMaxHistoryWindow,
                    reason::kInvalidRequest);
    out.window = ToAbslDuration(request.history_window());
  }
  switch (request.source_case()) {
    case v1::GetForecastsRequest::kSeries:
      if (request.series().points_size() > kMaxInlineSeriesPoints) {
        checks.Fail("series.points",
                    absl::StrCat("at most ", kMaxInlineSeriesPoints, " points, got ",
                                 request.series().points_size()),
                    reason::kInvalidRequest);
      }
      break;
    case v1::GetForecastsRequest::kQueue:
      CheckQueueName("queue", request.queue(), reason::kInvalidRequest, checks);
      if (out.step.has_value() && *out.step < kStoredStep) {
        checks.Fail("step", "a stored queue's history is kept per minute: must be >= 1m",
                    reason::kInvalidRequest);
      }
      if (!out.step.has_value()) out.step = kStoredStep;
      break;
    default:
      checks.Fail("source", "set either series or queue", reason::kInvalidRequest);
  }
  return out;
}

// The inline series' points as observations, recording bad points.
std::vector<forecast::Observation> InlineObservations(const v1::TimeSeries& series,
                                                      FieldChecks& checks) {
  std::vector<forecast::Observation> observations;
  observations.reserve(series.points_size());
  int bad = 0;
  for (int i = 0; i < series.points_size(); ++i) {
    const v1::SeriesPoint& point = series.points(i);
    const std::string field = absl::StrCat("series.points[", i, "]");
    const bool valid_time = IsValidTimestamp(point.time());
    const bool finite = std::isfinite(point.value());
    if ((!valid_time || !finite) && bad++ < kMaxReportedPoints) {
      if (!valid_time)
        checks.Fail(field + ".time", "is not a valid Timestamp", reason::kInvalidMetrics);
      if (!finite) {
        checks.Fail(field + ".value", absl::StrCat("must be finite, got ", point.value()),
                    reason::kInvalidMetrics);
      }
    }
    if (valid_time && finite) observations.push_back({ToAbslTime(point.time()), point.value()});
  }
  return observations;
}

// The seasonal period in steps: nullopt to detect, 0 for none.
absl::StatusOr<std::optional<int>> PeriodSteps(const std::optional<absl::Duration>& period,
                                               absl::Duration step) {
  if (!period.has_value()) return std::nullopt;
  const double steps = absl::FDivDuration(*period, step);
  const double whole = std::round(steps);
  if (std::abs(steps - whole) > 1e-6 * std::max(1.0, whole)) {
    return absl::InvalidArgumentError(absl::StrCat("must be a whole number of steps (",
                                                   absl::FormatDuration(step), "), got ",
                                                   absl::FormatDuration(*period)));
  }
  return static_cast<int>(whole);
}

std::string CacheKey(const std::string& queue, const std::string& version, const Parsed& parsed,
                     absl::Duration step) {
  std::string key =
      absl::StrFormat("%s|%s|%d|%d|%.17g|%d|%d|%d", queue, version,
                      parsed.model.has_value() ? static_cast<int>(*parsed.model) : -1,
                      parsed.horizon, parsed.level, absl::ToInt64Microseconds(step),
                      parsed.period.has_value() ? absl::ToInt64Microseconds(*parsed.period) : -1,
                      absl::ToInt64Microseconds(parsed.window));
  for (const absl::Duration period : parsed.additional_periods) {
    absl::StrAppend(&key, "|", absl::ToInt64Microseconds(period));
  }
  return key;
}

void ToProto(const forecast::ModelReport& in, int seasonal_period, v1::FittedModel& out) {
  out.set_model(ToProtoModel(in.kind));
  for (const auto& [name, value] : in.parameters) (*out.mutable_parameters())[name] = value;
  if (seasonal_period >= 2) {
    (*out.mutable_parameters())["seasonal_period_steps"] = seasonal_period;
  }
  server::ToProto(in.accuracy, *out.mutable_accuracy());
}

// The prepared series, as the response's history.
void AddHistory(const forecast::RegularSeries& series, v1::GetForecastsResponse* response) {
  v1::TimeSeries& history = *response->mutable_history();
  *history.mutable_step() = ToProtoDuration(series.step);
  history.mutable_points()->Reserve(static_cast<int>(series.values.size()));
  for (size_t i = 0; i < series.values.size(); ++i) {
    v1::SeriesPoint* point = history.add_points();
    *point->mutable_time() = ToProtoTimestamp(series.start + static_cast<int64_t>(i) * series.step);
    point->set_value(series.values[i]);
  }
}

void ToResponse(const forecast::ForecastResult& result, const forecast::RegularSeries& series,
                double level, v1::GetForecastsResponse* response) {
  const absl::Time last =
      series.start + static_cast<int64_t>(series.values.size() - 1) * series.step;
  for (size_t k = 0; k < result.points.size(); ++k) {
    const forecast::ForecastValue& value = result.points[k];
    v1::ForecastPoint* point = response->add_points();
    *point->mutable_time() = ToProtoTimestamp(last + static_cast<int64_t>(k + 1) * series.step);
    point->set_value(value.value);
    point->set_lower(value.lower);
    point->set_upper(value.upper);
    point->set_confidence_level(level);
  }
  v1::FittedModel& model = *response->mutable_model();
  ToProto(result.model, result.seasonal_period, model);
  std::string reason = result.selection_reason;
  absl::StrAppend(&reason, "; ", result.model.description);
  if (result.seasonal_periods.size() >= 2) {
    absl::StrAppend(
        &reason, "; seasonal periods ", absl::StrJoin(result.seasonal_periods, ", "), " steps (",
        result.seasonal_period_detected ? "detected from the autocorrelation" : "given", ")");
  } else if (result.seasonal_period >= 2) {
    absl::StrAppend(&reason, "; seasonal period ", result.seasonal_period, " steps (",
                    result.seasonal_period_detected ? "detected from the autocorrelation" : "given",
                    ")");
  } else if (result.seasonal_period_detected) {
    absl::StrAppend(&reason, "; no seasonal period detected");
  }
  if (series.gaps_filled > 0 || series.duplicates_merged > 0) {
    absl::StrAppend(&reason, "; series preparation: ", series.gaps_filled,
                    " missing steps interpolated, ", series.duplicates_merged,
                    " observations merged into occupied steps");
  }
  model.set_selection_reason(reason);
  for (const forecast::ModelReport& candidate : result.candidates) {
    v1::FittedModel& out = *response->add_candidates();
    ToProto(candidate, result.seasonal_period, out);
    out.set_selection_reason(candidate.description);
  }
}

grpc::Status FromForecastError(const absl::Status& status, const std::string& source_field) {
  const std::string message(status.message());
  if (status.code() == absl::StatusCode::kCancelled) {
    return MakeError(grpc::StatusCode::CANCELLED, reason::kForecastFailed,
                     absl::StrCat(message, " (client cancel, deadline or server shutdown)"));
  }
  if (IsInsufficientHistory(status)) {
    return MakeError(grpc::StatusCode::FAILED_PRECONDITION, reason::kInsufficientHistory, message,
                     {{source_field, message}});
  }
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest, message,
                     {{source_field, message}});
  }
  return MakeError(grpc::StatusCode::INTERNAL, reason::kForecastFailed, message);
}

}  // namespace

grpc::Status GetForecasts(const v1::GetForecastsRequest& request,
                          const StoredRatesLoader& load_rates, ForecastCache& cache,
                          const forecast::CancelCheck& cancelled,
                          v1::GetForecastsResponse* response) {
  FieldChecks checks;
  const Parsed parsed = Parse(request, checks);
  std::vector<forecast::Observation> observations;
  if (request.has_series()) observations = InlineObservations(request.series(), checks);
  if (!checks.ok()) return checks.ToStatus();

  const bool stored = request.source_case() == v1::GetForecastsRequest::kQueue;
  const std::string source_field = stored ? "queue" : "series";
  // The grid's step and length, known before any series is loaded or
  // prepared: a stored queue's from its window, an inline series' from its
  // first and last times.
  absl::Duration step;
  int64_t grid_length = 0;
  if (stored) {
    step = *parsed.step;
    grid_length = parsed.window / step + 1;
  } else {
    absl::StatusOr<forecast::GridPlan> grid = forecast::PlanGrid(observations, parsed.step);
    if (!grid.ok()) return FromForecastError(grid.status(), source_field);
    step = grid->step;
    grid_length = grid->length;
  }
  absl::StatusOr<std::optional<int>> period = PeriodSteps(parsed.period, step);
  if (!period.ok()) {
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                     absl::StrCat("seasonal_period ", period.status().message()),
                     {{"seasonal_period", std::string(period.status().message())}});
  }
  std::vector<int> seasonal_periods;  // all of them when additional ones are given
  if (!parsed.additional_periods.empty()) {
    seasonal_periods.push_back(period->value_or(0));
    for (size_t i = 0; i < parsed.additional_periods.size(); ++i) {
      absl::StatusOr<std::optional<int>> steps = PeriodSteps(parsed.additional_periods[i], step);
      const std::string field = absl::StrCat("additional_seasonal_periods[", i, "]");
      if (!steps.ok()) {
        return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                         absl::StrCat(field, " ", steps.status().message()),
                         {{field, std::string(steps.status().message())}});
      }
      seasonal_periods.push_back(**steps);
    }
    if (seasonal_periods.front() < 2) {
      const std::string message = "needs a seasonal_period of at least 2 steps";
      return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                       absl::StrCat("additional_seasonal_periods ", message),
                       {{"additional_seasonal_periods", message}});
    }
  }
  const ForecastSizeFields size_fields{stored ? "history_window" : "series.points",
                                       parsed.step_field, !parsed.model.has_value()};
  if (grpc::Status size = CheckForecastGrid(grid_length, size_fields); !size.ok()) return size;

  std::string cache_key;
  if (stored) {
    absl::StatusOr<StoredRates> rates = load_rates(request.queue(), parsed.window);
    if (!rates.ok()) {
      return DatabaseFailure(rates.status());
    }
    if (rates->observations.empty()) {
      const std::string message = absl::StrCat("queue ", Quoted(request.queue()),
                                               " has no arrival-rate history in the last ",
                                               absl::FormatDuration(parsed.window));
      return MakeError(grpc::StatusCode::FAILED_PRECONDITION, reason::kInsufficientHistory, message,
                       {{"queue", message}});
    }
    cache_key = CacheKey(request.queue(), rates->version, parsed, *parsed.step);
    if (std::shared_ptr<const v1::GetForecastsResponse> hit =
            request.include_history() ? nullptr : cache.Find(cache_key)) {
      *response = *hit;
      response->set_cached(true);
      return grpc::Status::OK;
    }
    observations = std::move(rates->observations);
  }

  absl::StatusOr<forecast::RegularSeries> series =
      forecast::PrepareSeries(std::move(observations), step);
  if (!series.ok()) return FromForecastError(series.status(), source_field);
  forecast::ForecastRequest engine_request;
  engine_request.values = series->values;
  engine_request.model = parsed.model;
  engine_request.horizon = parsed.horizon;
  engine_request.level = parsed.level;
  engine_request.seasonal_period = *period;
  engine_request.options.seasonal_periods = seasonal_periods;
  engine_request.cancelled = cancelled;
  engine_request.max_work_units = kMaxForecastWorkUnits;
  absl::StatusOr<forecast::ForecastResult> result = forecast::Forecast(engine_request);
  if (!result.ok()) {
    if (result.status().code() == absl::StatusCode::kResourceExhausted) {
      return ForecastWorkTooLarge(result.status(), size_fields);
    }
    return FromForecastError(result.status(), source_field);
  }
  ToResponse(*result, *series, parsed.level, response);
  // Cached without the history (which can be long); a request for it is
  // answered from the series.
  if (stored) cache.Insert(cache_key, std::make_shared<v1::GetForecastsResponse>(*response));
  if (request.include_history()) AddHistory(*series, response);
  return grpc::Status::OK;
}

}  // namespace horizonscale::server
