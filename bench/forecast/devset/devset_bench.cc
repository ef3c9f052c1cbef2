// Our models on the forecasting development set (bench/forecast/devset/):
// for every series of the series file written by build_devset.R, one
// forecast::Forecast call per model kind on the training part, h steps
// ahead with an 80 % interval, scored on the held-out part exactly as
// scoring.R scores R's forecasts. Not a Google Benchmark (one long run):
//   forecast_devset_bench --series=SERIES.csv --out=OURS.csv [--models=ets,auto]
//
// Each call: seasonal_period = the series' frequency when it is a whole number >= 2, else 0 (none);
// level 0.8; the request's other fields at their defaults, so the backtest the engine runs by
// default (forecast/engine.h: for model choice and interval calibration) is part of the time. Times
// are the process's CPU seconds per call (single-threaded), not wall time, so that other work on a
// shared machine does not inflate them.
//
// A call that fails (UNIMPLEMENTED while a model is being written,
// INSUFFICIENT_HISTORY, ...) or returns a non-finite forecast is recorded
// with its error and no scores: the run never aborts on a model.
//
// Writes one CSV row per series and model with the columns of
// r_baselines.R (id, source, frequency, n_train, h, model, smape, mase,
// coverage, seconds, description, error; "NA" for a missing score) and
// prints the median CPU milliseconds per call of each model by training-length
// class. Exit codes: 0 done, 1 unreadable input or unwritable output,
// 2 bad flags.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_split.h>

#include "forecast/engine.h"
#include "forecast/model.h"

namespace horizonscale::forecast {
namespace {

// One series of the development set.
struct DevSeries {
  std::string id;
  std::string source;
  std::string frequency_text;  // as written by R, e.g. "12", "0.1"
  double frequency = 1;
  int horizon = 1;
  std::vector<double> train;
  std::vector<double> test;  // `horizon` values
};

// A model as the bench names it; nullopt kind: automatic selection.
struct BenchModel {
  std::string name;
  std::optional<ModelKind> kind;
};

// Scores of one forecast, as scoring.R defines them; NaN: not defined.
struct Scores {
  double smape = NAN;
  double mase = NAN;
  double coverage = NAN;
};

// One row of the output.
struct Row {
  const DevSeries* series = nullptr;
  std::string model;
  Scores scores;
  double seconds = 0;
  std::string description;
  std::string error;
};

absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

// Space-separated numbers of `text` into `out`; false on a malformed number.
bool ParseValues(std::string_view text, std::vector<double>& out) {
  for (absl::string_view token : absl::StrSplit(AbslView(text), ' ', absl::SkipEmpty())) {
    double value = 0;
    if (!absl::SimpleAtod(token, &value)) return false;
    out.push_back(value);
  }
  return true;
}

// The series of the file build_devset.R writes: a header line, then
// id,source,frequency,h,train,test per line (no quoting). INVALID_ARGUMENT
// naming the line when one is malformed or its test part is not h values
// long; NOT_FOUND when the file cannot be opened.
absl::StatusOr<std::vector<DevSeries>> ReadSeries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<DevSeries> all;
  std::string line;
  std::getline(in, line);  // header
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    DevSeries series;
    bool ok = fields.size() == 6;
    if (ok) {
      series.id = fields[0];
      series.source = fields[1];
      series.frequency_text = fields[2];
      ok = absl::SimpleAtod(fields[2], &series.frequency) &&
           absl::SimpleAtoi(fields[3], &series.horizon) && series.horizon >= 1 &&
           ParseValues(fields[4], series.train) && ParseValues(fields[5], series.test) &&
           static_cast<int>(series.test.size()) == series.horizon && !series.train.empty();
    }
    if (!ok) return absl::InvalidArgumentError(absl::StrCat(path, ":", number, ": malformed"));
    all.push_back(std::move(series));
  }
  return all;
}

// The seasonal period given to the models: the frequency when it is a
// whole number >= 2, else 0 (none).
int SeasonalPeriod(double frequency) {
  return frequency >= 2 && frequency == std::round(frequency) ? static_cast<int>(frequency) : 0;
}

// The MASE denominator (M4): the mean absolute in-sample error of the
// seasonal-naive forecast y_t ≈ y_{t−m} on `train`, m = `period` when it is
// >= 2 and the series is longer than m, else 1 (naive). 0 for one value.
double MaseScale(const std::vector<double>& train, int period) {
  const size_t lag = period >= 2 && train.size() > static_cast<size_t>(period) ? period : 1;
  if (train.size() <= lag) return 0;
  double sum = 0;
  for (size_t t = lag; t < train.size(); ++t) sum += std::abs(train[t] - train[t - lag]);
  return sum / static_cast<double>(train.size() - lag);
}

// sMAPE (a point with actual = forecast = 0 counting 0), MASE (NaN when
// `scale` is not positive) and the interval coverage of `forecast` against
// `actual` (same length).
Scores ScoreForecast(const std::vector<double>& actual, const std::vector<ForecastValue>& forecast,
                     double scale) {
  double smape = 0;
  double absolute = 0;
  int covered = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i];
    const double f = forecast[i].value;
    const double denominator = std::abs(a) + std::abs(f);
    if (denominator > 0) smape += 200 * std::abs(a - f) / denominator;
    absolute += std::abs(a - f);
    if (forecast[i].lower <= a && a <= forecast[i].upper) ++covered;
  }
  const double n = static_cast<double>(actual.size());
  return {smape / n, scale > 0 ? absolute / n / scale : NAN, covered / n};
}

// CPU time of this process (all threads), in seconds: unlike wall time, not
// inflated by other work on a shared machine.
double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Runs `model` on `series` and scores it.
Row RunModel(const DevSeries& series, const BenchModel& model) {
  Row row;
  row.series = &series;
  row.model = model.name;
  ForecastRequest request;
  request.values = series.train;
  request.model = model.kind;
  request.horizon = series.horizon;
  request.level = 0.8;
  request.seasonal_period = SeasonalPeriod(series.frequency);
  const double started = CpuSeconds();
  absl::StatusOr<ForecastResult> result = Forecast(request);
  row.seconds = CpuSeconds() - started;
  if (!result.ok()) {
    row.error = absl::StrCat(absl::StatusCodeToString(result.status().code()), ": ",
                             result.status().message());
    return row;
  }
  for (const ForecastValue& point : result->points) {
    if (!std::isfinite(point.value) || !std::isfinite(point.lower) || !std::isfinite(point.upper)) {
      row.error = "non-finite forecast";
      return row;
    }
  }
  row.description = model.kind.has_value() ? result->model.description
                                           : absl::StrCat(ModelName(result->model.kind), ": ",
                                                          result->model.description);
  row.scores = ScoreForecast(series.test, result->points,
                             MaseScale(series.train, SeasonalPeriod(series.frequency)));
  return row;
}

// `text` as a CSV field: quoted, inner quotes doubled, line breaks made
// spaces.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  out += '"';
  return out;
}

std::string Number(double value) {
  return std::isnan(value) ? std::string("NA") : absl::StrFormat("%.10g", value);
}

void WriteRows(const std::vector<Row>& rows, std::ostream& out) {
  out << "\"id\",\"source\",\"frequency\",\"n_train\",\"h\",\"model\",\"smape\",\"mase\","
         "\"coverage\",\"seconds\",\"description\",\"error\"\n";
  for (const Row& row : rows) {
    const DevSeries& s = *row.series;
    out << absl::StrCat(Quoted(s.id), ",", Quoted(s.source), ",", s.frequency_text, ",",
                        s.train.size(), ",", s.horizon, ",", Quoted(row.model), ",",
                        Number(row.scores.smape), ",", Number(row.scores.mase), ",",
                        Number(row.scores.coverage), ",", Number(row.seconds), ",",
                        Quoted(row.description), ",", Quoted(row.error))
        << "\n";
  }
}

// Training-length classes of the timing table.
constexpr int kLengthBounds[] = {100, 500, 2000};
constexpr const char* kLengthClasses[] = {"n<100", "100-499", "500-1999", "n>=2000"};

int LengthClass(size_t length) {
  int index = 0;
  while (index < 3 && static_cast<int>(length) >= kLengthBounds[index]) ++index;
  return index;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Prints the median CPU milliseconds per call of each model by training-length
// class (successful calls and failures alike), with the call counts.
void PrintTiming(const std::vector<Row>& rows, const std::vector<BenchModel>& models) {
  std::map<std::string, std::vector<std::vector<double>>> seconds;
  for (const Row& row : rows) {
    auto& classes = seconds[row.model];
    classes.resize(4);
    classes[LengthClass(row.series->train.size())].push_back(row.seconds);
  }
  std::cout << "Median CPU ms per Forecast call (calls) by training length:\n\n| model |";
  for (const char* name : kLengthClasses) std::cout << " " << name << " |";
  std::cout << " total CPU s |\n|---|---:|---:|---:|---:|---:|\n";
  for (const BenchModel& model : models) {
    std::cout << "| " << model.name << " |";
    double total = 0;
    for (const std::vector<double>& calls : seconds[model.name]) {
      for (double s : calls) total += s;
      std::cout << (calls.empty()
                        ? std::string(" - |")
                        : absl::StrFormat(" %.2f (%d) |", 1e3 * Median(calls), calls.size()));
    }
    std::cout << absl::StrFormat(" %.1f |\n", total);
  }
}

std::vector<BenchModel> AllModels() {
  std::vector<BenchModel> models;
  for (ModelKind kind : {ModelKind::kSeasonalNaive, ModelKind::kEwma, ModelKind::kHolt,
                         ModelKind::kHoltWinters, ModelKind::kEts, ModelKind::kTheta,
                         ModelKind::kArima, ModelKind::kMstl, ModelKind::kCombination}) {
    models.push_back({ModelName(kind), kind});
  }
  models.push_back({"auto", std::nullopt});
  return models;
}

// The models named in `list` (comma-separated names of AllModels); an
// unknown name is INVALID_ARGUMENT.
absl::StatusOr<std::vector<BenchModel>> SelectModels(std::string_view list) {
  const std::vector<BenchModel> all = AllModels();
  std::vector<BenchModel> selected;
  for (absl::string_view name : absl::StrSplit(AbslView(list), ',', absl::SkipEmpty())) {
    auto found = std::find_if(all.begin(), all.end(),
                              [name](const BenchModel& m) { return m.name == name; });
    if (found == all.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown model \"", name, "\""));
    }
    selected.push_back(*found);
  }
  return selected;
}

int Main(int argc, char** argv) {
  std::string series_path;
  std::string out_path;
  std::vector<BenchModel> models = AllModels();
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--series=")) {
      series_path = arg.substr(9);
    } else if (arg.starts_with("--out=")) {
      out_path = arg.substr(6);
    } else if (arg.starts_with("--models=")) {
      absl::StatusOr<std::vector<BenchModel>> selected = SelectModels(arg.substr(9));
      if (!selected.ok()) {
        std::cerr << "forecast_devset_bench: " << selected.status().message() << "\n";
        return 2;
      }
      models = *std::move(selected);
    } else {
      std::cerr << "usage: forecast_devset_bench --series=SERIES.csv --out=OURS.csv "
                   "[--models=name,...]\n";
      return 2;
    }
  }
  if (series_path.empty() || out_path.empty()) {
    std::cerr << "forecast_devset_bench: --series and --out are required\n";
    return 2;
  }
  absl::StatusOr<std::vector<DevSeries>> series = ReadSeries(series_path);
  if (!series.ok()) {
    std::cerr << "forecast_devset_bench: " << series.status().message() << "\n";
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  const double cpu_started = CpuSeconds();
  std::vector<Row> rows;
  for (const DevSeries& s : *series) {
    for (const BenchModel& model : models) rows.push_back(RunModel(s, model));
  }
  const double cpu_seconds = CpuSeconds() - cpu_started;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::ofstream out(out_path);
  WriteRows(rows, out);
  out.close();
  if (!out) {
    std::cerr << "forecast_devset_bench: cannot write " << out_path << "\n";
    return 1;
  }
  std::cout << absl::StrFormat(
      "forecast_devset_bench: %d series x %d models in %.1f s wall, %.1f s CPU\n\n", series->size(),
      models.size(), seconds, cpu_seconds);
  PrintTiming(rows, models);
  return 0;
}

}  // namespace
}  // namespace horizonscale::forecast

int main(int argc, char** argv) { return horizonscale::forecast::Main(argc, argv); }
