#include "forecast/ets/internal/ets_admissible.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace horizonscale::forecast::internal {
namespace {

// Whether every root of Σ c[i] z^i, c = coefficients[0 … degree], lies
// strictly inside the unit circle: the Schur–Cohn step-down recursion
// p ← (p(z) − k p*(z)) / z with k = c_0 / c_degree and p* the reversed
// polynomial, which keeps that property iff |k| < 1. `coefficients` and
// `scratch` hold degree + 1 values; both are overwritten.
bool RootsInsideUnitCircle(double* coefficients, double* scratch, int degree) {
  for (; degree > 0; --degree) {
    const double lead = coefficients[degree];
    if (lead == 0) return false;
    const double reflection = coefficients[0] / lead;
    if (!(std::fabs(reflection) < 1)) return false;
    for (int i = 0; i < degree; ++i) {
      scratch[i] = coefficients[i + 1] - reflection * coefficients[degree - 1 - i];
    }
    std::swap(coefficients, scratch);
  }
  return true;
}

}  // namespace

bool EtsAdmissible(const EtsSpec& spec, const EtsParameters& params) {
  const double alpha = params.alpha;
  const double beta = spec.has_trend() ? params.beta : 0.0;
  const double phi = spec.damped ? params.phi : 1.0;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!spec.has_season()) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (spec.has_trend() && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) {
      return false;
    }
    return true;
  }
  const double gamma = params.gamma;
  const int m = spec.period;
  if (gamma < std::max(1 - 1 / phi - alpha, 0.0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  // Stack storage for the usual periods; the heap only for long ones.
  constexpr int kInline = 64;
  std::array<double, 2 * kInline> inline_storage{};
  std::vector<double> heap_storage;
  double* coefficients = inline_storage.data();
  if (m + 2 > kInline) {
    heap_storage.resize(2 * (m + 2));
    coefficients = heap_storage.data();
  }
  double* scratch = coefficients + (m + 2);
  coefficients[0] = phi * (1 - alpha - gamma);
  coefficients[1] = alpha + beta - alpha * phi + gamma - 1;
  for (int i = 2; i < m; ++i) coefficients[i] = alpha + beta - alpha * phi;
  coefficients[m] = alpha + beta - phi;
  coefficients[m + 1] = 1;
  constexpr double kRadius = 1 + 1e-6;
  double scale = 1;
  for (int i = 0; i < m + 2; ++i) {
    coefficients[i] *= scale;
    scale *= kRadius;
  }
  return RootsInsideUnitCircle(coefficients, scratch, m + 1);
}

}  // namespace horizonscale::forecast::internal
