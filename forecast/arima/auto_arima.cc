// The stepwise search of forecast::auto.arima (internal/auto_arima.h).
#include "forecast/arima/internal/auto_arima.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "forecast/arima/internal/arima_estimation.h"
#include "forecast/arima/internal/arima_polynomials.h"
#include "forecast/arima/internal/unit_root_tests.h"
#include "forecast/cancellation.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr int kMaxModels = 94;  // auto.arima's nmodels
constexpr double kInfinity = std::numeric_limits<double>::infinity();

double Mean(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// The model R fits when the differenced series is constant (no search).
std::optional<ArimaFit> ConstantAfterDifferencing(std::span<const double> values, int d,
                                                  int seasonal_d, int period,
                                                  std::span<const double> differenced) {
  ArimaSpec spec{.p = 0,
                 .d = d,
                 .q = 0,
                 .seasonal_p = 0,
                 .seasonal_d = seasonal_d,
                 .seasonal_q = 0,
                 .period = period,
                 .constant = false};
  std::vector<double> coefficients;
  if (seasonal_d > 0 && d == 0) {
    spec.constant = true;  // drift per step: the seasonal difference over m
    coefficients.push_back(Mean(differenced) / period);
  } else if (seasonal_d == 0 && d == 1) {
    spec.constant = true;
    coefficients.push_back(Mean(differenced));
  }
  return EvaluateArima(Difference(values, d, seasonal_d, period), spec, coefficients);
}

struct Candidate {
  ArimaSpec spec;
  double ic = kInfinity;
  std::vector<double> css_coefficients;  // a CSS fit's estimate, for the ML refit
};

bool SameOrders(const ArimaSpec& a, const ArimaSpec& b) {
  return a.p == b.p && a.q == b.q && a.seasonal_p == b.seasonal_p && a.seasonal_q == b.seasonal_q &&
         a.constant == b.constant;
}

}  // namespace

bool MaRootNearUnitCircle(const ArimaSpec& spec, std::span<const double> coefficients) {
  if (coefficients.empty()) return false;
  const ArmaPolynomials polys = SplitCoefficients(spec, coefficients);
  // RootsOutside takes 1 − Σ a_k z^k: a_k = −θ_k. A root z of Θ gives
  // roots of modulus |z|^(1/m) in B.
  auto near = [](std::vector<double> ma, double radius) {
    for (double& value : ma) value = -value;
    return !ma.empty() && !RootsOutside(ma, radius);
  };
  return near(polys.ma, kNearUnitMaRootModulus) ||
         near(polys.sma, std::pow(kNearUnitSeasonalMaRootModulus, spec.period));
}

absl::StatusOr<ArimaFit> AutoArima(std::span<const double> values, int period,
                                   const CancelCheck& cancelled, std::optional<bool> approximate) {
  const int n = static_cast<int>(values.size());
  if (IsConstant(values)) {
    const ArimaSpec spec{.p = 0,
                         .d = 0,
                         .q = 0,
                         .seasonal_p = 0,
                         .seasonal_d = 0,
                         .seasonal_q = 0,
                         .period = 1,
                         .constant = true};
    const double mean = Mean(values);
    std::optional<ArimaFit> fit = EvaluateArima(Difference(values, 0, 0, 1), spec, {&mean, 1});
    if (fit.has_value()) return *fit;
    return absl::InternalError("the constant ARIMA model could not be evaluated");
  }
  int m = std::max(period, 1);
  int max_p = std::min(5, n / 3);
  int max_q = std::min(5, n / 3);
  int max_sp = m > 1 && m <= kMaxSeasonalArmaPeriod ? std::min(2, n / 3 / m) : 0;
  int max_sq = max_sp;

  // Seasonal differencing (nsdiffs when n > 2m), then ndiffs on the result.
  int seasonal_d = 0;
  if (m > 1 && n > 2 * m) seasonal_d = NumberOfSeasonalDifferences(values, m);
  std::vector<double> dx = Difference(values, 0, seasonal_d, m).w;
  int d = NumberOfDifferences(dx, 2);
  while (d > 0 && static_cast<int>(dx.size()) <= d) --d;
  dx = Difference(dx, d, 0, 1).w;
  if (IsConstant(dx)) {
    std::optional<ArimaFit> fit = ConstantAfterDifferencing(values, d, seasonal_d, m, dx);
    if (fit.has_value()) return *fit;
  }
  if (m > 1) {
    if (max_sp > 0) max_p = std::min(max_p, m - 1);
    if (max_sq > 0) max_q = std::min(max_q, m - 1);
  }

  const DifferencedSeries differenced = Difference(values, d, seasonal_d, m);
  const bool approximation = approximate.value_or(n > 150 || m > 12);
  const ArimaMethod method = approximation ? ArimaMethod::kCss : ArimaMethod::kCssMl;
  double offset = 0;
  if (approximation) {
    // −2 loglik − n·log σ² of the ML ARIMA(0,d,0)(0,D,0) (mean when d + D = 0),
    // σ² = SSQ / n* as stats::arima reports it.
    const ArimaSpec null_spec{.p = 0,
                              .d = d,
                              .q = 0,
                              .seasonal_p = 0,
                              .seasonal_d = seasonal_d,
                              .seasonal_q = 0,
                              .period = m,
                              .constant = d + seasonal_d == 0};
    const std::optional<ArimaFit> null_fit =
        FitArima(differenced, null_spec, ArimaMethod::kCssMl, 0);
    if (null_fit.has_value()) {
      const double nstar = static_cast<double>(differenced.w.size());
      const double k = null_spec.constant ? 1 : 0;
      offset = -2 * null_fit->loglik - n * std::log(null_fit->sigma2 * (nstar - k) / nstar);
    }
  }
  const bool allow_constant = d + seasonal_d <= 1;
  bool constant = allow_constant;

  std::vector<Candidate> results;
  std::optional<ArimaFit> best;
  bool was_cancelled = false;
  // The spec with these orders (d, D and m as chosen above).
  auto spec_of = [&](int p, int q, int sp, int sq, bool with_constant) {
    return ArimaSpec{.p = p,
                     .d = d,
                     .q = q,
                     .seasonal_p = sp,
                     .seasonal_d = seasonal_d,
                     .seasonal_q = sq,
                     .period = m,
                     .constant = with_constant};
  };
  // Fits one model (unless cancelled), records it, and returns its IC.
  auto try_model = [&](int p, int q, int sp, int sq, bool with_constant) {
    if (IsCancelled(cancelled)) {
      was_cancelled = true;
      return kInfinity;
    }
    const ArimaSpec spec = spec_of(p, q, sp, sq, with_constant);
    std::optional<ArimaFit> fit = FitArima(differenced, spec, method, offset);
    const double ic = fit.has_value() ? fit->aicc : kInfinity;
    results.push_back({spec, ic, {}});
    if (fit.has_value() && !fit->exact) results.back().css_coefficients = fit->coefficients;
    if (ic < (best.has_value() ? best->aicc : kInfinity)) best = std::move(fit);
    return ic;
  };
  auto is_new = [&](int p, int q, int sp, int sq, bool with_constant) {
    const ArimaSpec spec = spec_of(p, q, sp, sq, with_constant);
    return std::none_of(results.begin(), results.end(),
                        [&](const Candidate& c) { return SameOrders(c.spec, spec); });
  };

  int start_p = 2, start_q = 2, start_sp = 1, start_sq = 1;
  if (n < 10) {
    start_p = start_q = 1;
    start_sp = start_sq = 0;
  }
  int p = std::min(start_p, max_p);
  int q = std::min(start_q, max_q);
  int sp = std::min(start_sp, max_sp);
  int sq = std::min(start_sq, max_sq);

  // The initial four (five) models.
  double best_ic = try_model(p, q, sp, sq, constant);
  if (try_model(0, 0, 0, 0, constant) < best_ic) {
    best_ic = results.back().ic;
    p = q = sp = sq = 0;
  }
  if (max_p > 0 || max_sp > 0) {
    const int ap = max_p > 0 ? 1 : 0;
    const int asp = m > 1 && max_sp > 0 ? 1 : 0;
    if (try_model(ap, 0, asp, 0, constant) < best_ic) {
      best_ic = results.back().ic;
      p = ap;
      sp = asp;
      q = sq = 0;
    }
  }
  if (max_q > 0 || max_sq > 0) {
    const int aq = max_q > 0 ? 1 : 0;
    const int asq = m > 1 && max_sq > 0 ? 1 : 0;
    if (try_model(0, aq, 0, asq, constant) < best_ic) {
      best_ic = results.back().ic;
      p = sp = 0;
      q = aq;
      sq = asq;
    }
  }
  if (constant) {
    if (try_model(0, 0, 0, 0, false) < best_ic) {
      best_ic = results.back().ic;
      p = q = sp = sq = 0;
      constant = false;
    }
  }
  if (was_cancelled) return CancelledStatus("ARIMA order search");

  // Stepwise moves in R's order: seasonal (ΔP, ΔQ), then non-seasonal
  // (Δp, Δq); the first improvement restarts the pass.
  struct Move {
    int dp, dq, dsp, dsq;
  };
  static constexpr Move kMoves[] = {{0, 0, -1, 0},  {0, 0, 0, -1}, {0, 0, 1, 0},  {0, 0, 0, 1},
                                    {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
                                    {-1, 0, 0, 0},  {0, -1, 0, 0}, {1, 0, 0, 0},  {0, 1, 0, 0},
                                    {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}};
  int k = static_cast<int>(results.size());
  int start_k = 0;
  while (start_k < k && k < kMaxModels) {
    start_k = k;
    bool improved = false;
    for (const Move& move : kMoves) {
      const int np = p + move.dp, nq = q + move.dq, nsp = sp + move.dsp, nsq = sq + move.dsq;
      if (np < 0 || nq < 0 || nsp < 0 || nsq < 0 || np > max_p || nq > max_q || nsp > max_sp ||
          nsq > max_sq || !is_new(np, nq, nsp, nsq, constant)) {
        continue;
      }
      if (++k > kMaxModels) break;
      if (try_model(np, nq, nsp, nsq, constant) < best_ic) {
        best_ic = results.back().ic;
        p = np, q = nq, sp = nsp, sq = nsq;
        improved = true;
        break;
      }
    }
    if (was_cancelled) return CancelledStatus("ARIMA order search");
    if (improved || k > kMaxModels) continue;
    if (allow_constant && is_new(p, q, sp, sq, !constant)) {
      if (++k > kMaxModels) continue;
      if (try_model(p, q, sp, sq, !constant) < best_ic) {
        best_ic = results.back().ic;
        constant = !constant;
      }
    }
    if (was_cancelled) return CancelledStatus("ARIMA order search");
  }

  if (approximation && best.has_value()) {
    // Refit by CSS-ML in order of the CSS criterion; the first accepted wins.
    std::vector<size_t> order(results.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return results[a].ic < results[b].ic; });
    int seasonal_ma_rejections = 0;
    // Refits `index`; true when accepted (then in `best`).
    auto refit = [&](size_t index) {
      const bool seasonal_ma = results[index].spec.seasonal_q > 0;
      if (seasonal_ma && seasonal_ma_rejections >= kMaxSeasonalMaRejections) return false;
      std::optional<ArimaFit> fit = FitArima(differenced, results[index].spec, ArimaMethod::kCssMl,
                                             0, results[index].css_coefficients);
      if (fit.has_value()) {
        best = std::move(fit);
        return true;
      }
      if (seasonal_ma) ++seasonal_ma_rejections;
      return false;
    };
    std::vector<size_t> deferred;  // near-unit MA roots: tried last
    bool accepted = false;
    for (const size_t index : order) {
      if (IsCancelled(cancelled)) return CancelledStatus("ARIMA order search");
      if (MaRootNearUnitCircle(results[index].spec, results[index].css_coefficients)) {
        deferred.push_back(index);
      } else if (refit(index)) {
        accepted = true;
        break;
      }
    }
    for (const size_t index : deferred) {
      if (accepted) break;
      if (IsCancelled(cancelled)) return CancelledStatus("ARIMA order search");
      accepted = refit(index);
    }
  }
  if (best.has_value()) return *best;

  const ArimaSpec fallback{.p = 0,
                           .d = d,
                           .q = 0,
                           .seasonal_p = 0,
                           .seasonal_d = seasonal_d,
                           .seasonal_q = 0,
                           .period = m,
                           .constant = false};
  std::optional<ArimaFit> fit = EvaluateArima(differenced, fallback, {});
  if (fit.has_value()) return *fit;
  return absl::InternalError("no ARIMA model could be fitted");
}

}  // namespace horizonscale::forecast::internal
