// STL as R's stats::stl (the netlib Fortran of Cleveland et al., in R's
// double-precision version), written from the published algorithm. Positions
// inside the loess smoother are 1-based, as in the original. Each local fit is
// taken from weighted sums centred on its evaluation point (one pass), so the
// results agree with R's to rounding (about 1e-14 relative), not bit for bit.
#include "forecast/mstl/internal/stl.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

namespace horizonscale::forecast::internal {
namespace {

// The Fortran's cut-offs .999 and .001 are single-precision literals; their
// float values keep every weight on the same side of a cut-off as in R.
constexpr double kNearOne = static_cast<double>(0.999f);
constexpr double kNearZero = static_cast<double>(0.001f);

// The resolved parameters handed to the inner loop: every window odd and
// >= 3, every jump >= 1.
struct StlPlan {
  int period = 0;
  int seasonal_window = 0;
  int seasonal_degree = 0;
  int seasonal_jump = 0;
  int trend_window = 0;
  int trend_degree = 0;
  int trend_jump = 0;
  int lowpass_window = 0;
  int lowpass_degree = 0;
  int lowpass_jump = 0;
  int inner = 0;
  int outer = 0;
};

// R's nextodd() on an already integral value.
int NextOdd(long long x) { return static_cast<int>(x % 2 == 0 ? x + 1 : x); }

// What the Fortran does to a window: at least 3, and odd.
int OddWindow(int window) {
  const int at_least_three = std::max(3, window);
  return at_least_three % 2 == 0 ? at_least_three + 1 : at_least_three;
}

int CeilTenth(long long window) { return static_cast<int>((window + 9) / 10); }

// Tricube weights (1 - (r/h)^3)^3 of the integer distances r = 0, 1, ...
// for one bandwidth h, with the Fortran's cut-offs (1 within 0.001 h, 0
// beyond 0.999 h). Every abscissa STL evaluates at is an integer, so the
// weights of a window depend on h and r only: they are computed once per h.
class TricubeTable {
 public:
  // The weights of distances 0..max_distance for bandwidth h.
  std::span<const double> For(double h, int max_distance) {
    if (h != h_ || static_cast<int>(weights_.size()) <= max_distance) {
      h_ = h;
      const double h9 = kNearOne * h;
      const double h1 = kNearZero * h;
      weights_.resize(static_cast<size_t>(max_distance) + 1);
      for (int r = 0; r <= max_distance; ++r) {
        double weight = 0;
        if (r <= h1) {
          weight = 1;
        } else if (r <= h9) {
          const double u = r / h;
          const double v = 1.0 - u * u * u;
          weight = v * v * v;
        }
        weights_[r] = weight;
      }
    }
    return weights_;
  }

 private:
  double h_ = -1;
  std::vector<double> weights_;
};

// One local regression (tricube weights, degree 0 or 1) of y[nleft..nright]
// (1-based) evaluated at the integer abscissa xs, with `len` the nominal
// window; `robustness` is empty or per-value weights. The weighted sums are
// taken in one pass, in coordinates centred on xs. Returns false when every
// weight is zero (the caller then keeps the raw value).
bool LoessAt(std::span<const double> y, int len, int degree, int xs, int nleft, int nright,
             std::span<const double> robustness, TricubeTable& table, double& fitted) {
  const int n = static_cast<int>(y.size());
  const double range = static_cast<double>(n) - 1.0;
  double h = std::max(xs - nleft, nright - xs);
  if (len > n) h += static_cast<double>((len - n) / 2);
  const std::span<const double> kernel = table.For(h, std::max(xs - nleft, nright - xs));
  if (robustness.empty() && xs - nleft == nright - xs) {
    // A symmetric window with symmetric weights: the local line's value at
    // the centre is the weighted mean, whatever the degree.
    const int half = xs - nleft;
    const double* const center = y.data() + (xs - 1);
    double total = kernel[0];
    double level = kernel[0] * center[0];
    for (int r = 1; r <= half; ++r) {
      total += 2 * kernel[r];
      level += kernel[r] * (center[-r] + center[r]);
    }
    if (total <= 0) return false;
    fitted = level / total;
    return true;
  }
  double total = 0;   // Σ w
  double first = 0;   // Σ w d, d = j - xs
  double second = 0;  // Σ w d²
  double level = 0;   // Σ w y
  double cross = 0;   // Σ w d y
  for (int j = nleft; j <= nright; ++j) {
    const int d = j - xs;
    double weight = kernel[d < 0 ? -d : d];
    if (!robustness.empty()) weight *= robustness[j - 1];
    const double value = weight * y[j - 1];
    total += weight;
    first += weight * d;
    second += weight * d * d;
    level += value;
    cross += value * d;
  }
  if (total <= 0) return false;
  fitted = level / total;
  if (h > 0 && degree > 0) {
    // Weighted least-squares line through the window, evaluated at d = 0.
    const double center = first / total;
    const double spread = second / total - center * center;
    if (std::sqrt(std::max(spread, 0.0)) > kNearZero * range) {
      fitted += -center / spread * (cross / total - center * fitted);
    }
  }
  return true;
}

// Loess smoothing of all of y (window `len`, evaluated every `jump` points
// and linearly interpolated between them) into ys.
void LoessSmooth(std::span<const double> y, int len, int degree, int jump,
                 std::span<const double> robustness, std::span<double> ys, TricubeTable& table) {
  const int n = static_cast<int>(y.size());
  if (n < 2) {
    ys[0] = y[0];
    return;
  }
  const int step = std::min(jump, n - 1);
  int nleft = 1;
  int nright = n;
  auto fit_at = [&](int i) {
    if (!LoessAt(y, len, degree, i, nleft, nright, robustness, table, ys[i - 1])) {
      ys[i - 1] = y[i - 1];
    }
  };
  if (len >= n) {
    for (int i = 1; i <= n; i += step) fit_at(i);
  } else if (step == 1) {
    const int half = (len + 1) / 2;
    nright = len;
    for (int i = 1; i <= n; ++i) {
      if (i > half && nright != n) {
        ++nleft;
        ++nright;
      }
      fit_at(i);
    }
  } else {
    const int half = (len + 1) / 2;
    for (int i = 1; i <= n; i += step) {
      if (i < half) {
        nleft = 1;
        nright = len;
      } else if (i >= n - half + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - half + 1;
        nright = len + i - half;
      }
      fit_at(i);
    }
  }
  if (step == 1) return;
  for (int i = 1; i <= n - step; i += step) {
    const double delta = (ys[i + step - 1] - ys[i - 1]) / step;
    for (int j = i + 1; j <= i + step - 1; ++j) ys[j - 1] = ys[i - 1] + delta * (j - i);
  }
  const int last = ((n - 1) / step) * step + 1;
  if (last != n) {
    fit_at(n);
    if (last != n - 1) {
      const double delta = (ys[n - 1] - ys[last - 1]) / (n - last);
      for (int j = last + 1; j <= n - 1; ++j) ys[j - 1] = ys[last - 1] + delta * (j - last);
    }
  }
}

// Running mean of width `len`: out[i] = mean(x[i .. i + len - 1]) for the
// x.size() - len + 1 full windows.
void MovingAverage(std::span<const double> x, int len, std::span<double> out) {
  const size_t count = x.size() - static_cast<size_t>(len) + 1;
  double sum = 0;
  for (int i = 0; i < len; ++i) sum += x[i];
  out[0] = sum / len;
  for (size_t j = 1; j < count; ++j) {
    sum = sum - x[j - 1] + x[j + len - 1];
    out[j] = sum / len;
  }
}

}  // namespace

// Scratch buffers of the decompositions, grown to the largest seen.
struct StlWorkspace::Buffers {
  void Prepare(size_t n, int period) {
    const size_t extended = n + 2 * static_cast<size_t>(period);
    const size_t subseries = (n - 1) / static_cast<size_t>(period) + 1;
    detrended.resize(n);
    cycle.resize(extended);
    filtered.resize(extended);
    filtered_twice.resize(n + 2);
    lowpass.resize(n);
    deseasonalized.resize(n);
    scratch.resize(n);
    sub_values.resize(subseries);
    sub_robustness.resize(subseries);
    sub_smooth.resize(subseries + 2);
  }
  std::vector<double> detrended;
  std::vector<double> cycle;           // smoothed cycle-subseries, one period either side
  std::vector<double> filtered;        // moving averages of `cycle`
  std::vector<double> filtered_twice;  // ... and of those
  std::vector<double> lowpass;
  std::vector<double> deseasonalized;
  std::vector<double> scratch;
  std::vector<double> sub_values;
  std::vector<double> sub_robustness;
  std::vector<double> sub_smooth;
  TricubeTable seasonal_kernel;
  TricubeTable lowpass_kernel;
  TricubeTable trend_kernel;
};

StlWorkspace::StlWorkspace() : buffers_(std::make_unique<Buffers>()) {}
StlWorkspace::~StlWorkspace() = default;

namespace {

using StlWork = StlWorkspace::Buffers;

// Smooths each cycle-subseries of `detrended` (loess, extrapolated one cycle
// either side) into work.cycle, of length n + 2 * period.
void SmoothCycleSubseries(const StlPlan& plan, std::span<const double> robustness, StlWork& work) {
  const int n = static_cast<int>(work.detrended.size());
  const int period = plan.period;
  const int len = plan.seasonal_window;
  for (int j = 0; j < period; ++j) {
    const int k = (n - 1 - j) / period + 1;
    const std::span<double> values(work.sub_values.data(), k);
    std::span<double> sub_rw;
    for (int i = 0; i < k; ++i) values[i] = work.detrended[static_cast<size_t>(i) * period + j];
    if (!robustness.empty()) {
      sub_rw = std::span<double>(work.sub_robustness.data(), k);
      for (int i = 0; i < k; ++i) sub_rw[i] = robustness[static_cast<size_t>(i) * period + j];
    }
    const std::span<double> smooth(work.sub_smooth.data(), k + 2);
    LoessSmooth(values, len, plan.seasonal_degree, plan.seasonal_jump, sub_rw, smooth.subspan(1, k),
                work.seasonal_kernel);
    if (!LoessAt(values, len, plan.seasonal_degree, 0, 1, std::min(len, k), sub_rw,
                 work.seasonal_kernel, smooth[0])) {
      smooth[0] = smooth[1];
    }
    if (!LoessAt(values, len, plan.seasonal_degree, k + 1, std::max(1, k - len + 1), k, sub_rw,
                 work.seasonal_kernel, smooth[k + 1])) {
      smooth[k + 1] = smooth[k];
    }
    for (int m = 0; m < k + 2; ++m) work.cycle[static_cast<size_t>(m) * period + j] = smooth[m];
  }
}

// The inner loop (`plan.inner` passes) updating seasonal and trend in place.
void InnerLoop(std::span<const double> y, const StlPlan& plan, std::span<const double> robustness,
               StlResult& result, StlWork& work) {
  const size_t n = y.size();
  const size_t period = static_cast<size_t>(plan.period);
  for (int pass = 0; pass < plan.inner; ++pass) {
    for (size_t i = 0; i < n; ++i) work.detrended[i] = y[i] - result.trend[i];
    SmoothCycleSubseries(plan, robustness, work);
    // Low-pass filter: moving averages of period, period and 3, then loess.
    const std::span<const double> cycle(work.cycle);
    MovingAverage(cycle, plan.period, work.filtered);
    MovingAverage(std::span<const double>(work.filtered.data(), n + period + 1), plan.period,
                  work.filtered_twice);
    MovingAverage(work.filtered_twice, 3, work.filtered);
    LoessSmooth(std::span<const double>(work.filtered.data(), n), plan.lowpass_window,
                plan.lowpass_degree, plan.lowpass_jump, {}, work.lowpass, work.lowpass_kernel);
    for (size_t i = 0; i < n; ++i) result.seasonal[i] = work.cycle[period + i] - work.lowpass[i];
    for (size_t i = 0; i < n; ++i) work.deseasonalized[i] = y[i] - result.seasonal[i];
    LoessSmooth(std::span<const double>(work.deseasonalized.data(), n), plan.trend_window,
                plan.trend_degree, plan.trend_jump, robustness, result.trend, work.trend_kernel);
  }
}

// Bisquare robustness weights of the residuals y - (trend + seasonal), scaled
// by six times their median absolute value.
void RobustnessWeights(std::span<const double> y, const StlResult& fit,
                       std::vector<double>& robustness, std::vector<double>& scratch) {
  const size_t n = y.size();
  for (size_t i = 0; i < n; ++i) {
    scratch[i] = std::abs(y[i] - fit.trend[i] - fit.seasonal[i]);
  }
  robustness.assign(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(n));
  const size_t upper = n / 2;  // 0-based index of R's mid(1) = n/2 + 1
  const size_t lower = n - upper - 1;
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(upper),
                   scratch.begin() + static_cast<std::ptrdiff_t>(n));
  const double upper_value = scratch[upper];
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(lower),
                   scratch.begin() + static_cast<std::ptrdiff_t>(upper));
  const double lower_value = lower == upper ? upper_value : scratch[lower];
  const double scale = 3.0 * (upper_value + lower_value);
  const double c9 = kNearOne * scale;
  const double c1 = kNearZero * scale;
  for (size_t i = 0; i < n; ++i) {
    const double r = robustness[i];
    if (r <= c1) {
      robustness[i] = 1;
    } else if (r <= c9) {
      const double u = r / scale;
      robustness[i] = (1 - u * u) * (1 - u * u);
    } else {
      robustness[i] = 0;
    }
  }
}

absl::StatusOr<StlPlan> Resolve(size_t n, int period, const StlOptions& options) {
  if (period < 2) {
    return absl::InvalidArgumentError(absl::StrCat("STL needs a period >= 2, got ", period));
  }
  if (n <= 2 * static_cast<size_t>(period)) {
    return absl::InvalidArgumentError(absl::StrCat("STL needs more than two full periods (",
                                                   2 * static_cast<size_t>(period),
                                                   " values) with period ", period, ", got ", n));
  }
  for (const int degree : {options.seasonal_degree, options.trend_degree}) {
    if (degree != 0 && degree != 1) {
      return absl::InvalidArgumentError(absl::StrCat("STL degrees are 0 or 1, got ", degree));
    }
  }
  if (options.seasonal_window < 0 || options.trend_window < 0 || options.lowpass_window < 0 ||
      options.seasonal_jump < 0 || options.trend_jump < 0 || options.lowpass_jump < 0 ||
      options.inner < 0 || (!options.periodic && options.seasonal_window == 0)) {
    return absl::InvalidArgumentError("STL windows and jumps must be positive");
  }
  // As R: the defaults derive from the windows as given (before the
  // Fortran makes them odd); "periodic" is a window of 10 n + 1 cycles.
  const long long seasonal_window =
      options.periodic ? 10 * static_cast<long long>(n) + 1 : options.seasonal_window;
  long long trend_window = options.trend_window;
  if (trend_window == 0) {
    trend_window = NextOdd(static_cast<long long>(
        std::ceil(1.5 * period / (1 - 1.5 / static_cast<double>(seasonal_window)))));
  }
  const long long lowpass_window =
      options.lowpass_window == 0 ? NextOdd(period) : options.lowpass_window;
  StlPlan plan;
  plan.period = period;
  plan.seasonal_window = OddWindow(static_cast<int>(seasonal_window));
  plan.seasonal_degree = options.periodic ? 0 : options.seasonal_degree;
  plan.seasonal_jump =
      options.seasonal_jump > 0 ? options.seasonal_jump : CeilTenth(seasonal_window);
  plan.trend_window = OddWindow(static_cast<int>(trend_window));
  plan.trend_degree = options.trend_degree;
  plan.trend_jump = options.trend_jump > 0 ? options.trend_jump : CeilTenth(trend_window);
  plan.lowpass_window = OddWindow(static_cast<int>(lowpass_window));
  plan.lowpass_degree = options.trend_degree;
  plan.lowpass_jump = options.lowpass_jump > 0 ? options.lowpass_jump : CeilTenth(lowpass_window);
  plan.inner = options.inner > 0 ? options.inner : (options.robust ? 1 : 2);
  plan.outer = options.outer >= 0 ? options.outer : (options.robust ? 15 : 0);
  return plan;
}

}  // namespace

absl::StatusOr<StlResult> Stl(std::span<const double> y, int period, const StlOptions& options) {
  StlWorkspace workspace;
  return Stl(y, period, options, workspace);
}

absl::StatusOr<StlResult> Stl(std::span<const double> y, int period, const StlOptions& options,
                              StlWorkspace& workspace) {
  absl::StatusOr<StlPlan> plan = Resolve(y.size(), period, options);
  if (!plan.ok()) return plan.status();
  const size_t n = y.size();
  StlResult result;
  result.trend.assign(n, 0.0);
  result.seasonal.assign(n, 0.0);
  StlWork& work = *workspace.buffers_;
  work.Prepare(n, period);
  std::vector<double> robustness;
  for (int outer = 0;; ++outer) {
    InnerLoop(y, *plan, robustness, result, work);
    if (outer >= plan->outer) break;
    RobustnessWeights(y, result, robustness, work.scratch);
  }
  if (options.periodic) {
    // As R: make the seasonal component exactly periodic (cycle means).
    for (int j = 0; j < period; ++j) {
      double sum = 0;
      int count = 0;
      for (size_t i = j; i < n; i += period, ++count) sum += result.seasonal[i];
      const double mean = sum / count;
      for (size_t i = j; i < n; i += period) result.seasonal[i] = mean;
    }
  }
  result.remainder.resize(n);
  for (size_t i = 0; i < n; ++i) result.remainder[i] = y[i] - result.seasonal[i] - result.trend[i];
  if (robustness.empty()) robustness.assign(n, 1.0);
  result.weights = std::move(robustness);
  return result;
}

double SeasonalStrength(std::span<const double> seasonal, std::span<const double> remainder) {
  const size_t n = std::min(seasonal.size(), remainder.size());
  if (n < 2) return 0;
  auto variance = [n](auto value) {
    double mean = 0;
    for (size_t i = 0; i < n; ++i) mean += value(i);
    mean /= static_cast<double>(n);
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += (value(i) - mean) * (value(i) - mean);
    return sum / static_cast<double>(n - 1);
  };
  const double total = variance([&](size_t i) { return seasonal[i] + remainder[i]; });
  if (!(total > 0)) return 0;
  const double rest = variance([&](size_t i) { return remainder[i]; });
  return std::clamp(1 - rest / total, 0.0, 1.0);
}

}  // namespace horizonscale::forecast::internal
