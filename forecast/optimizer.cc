#include "forecast/internal/optimizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

namespace horizonscale::forecast::internal {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kHalfPi = std::numbers::pi / 2;

// The working storage of one minimisation: the simplex in search coordinates
// v (x = lower + (upper − lower)·(1 + sin v)/2) and scratch points, allocated
// once.
class BoxedSimplex {
 public:
  BoxedSimplex(absl::FunctionRef<double(std::span<const double>)> objective,
               std::span<const double> lower, std::span<const double> upper, int max_evaluations)
      : objective_(objective),
        lower_(lower),
        upper_(upper),
        dimension_(lower.size()),
        max_evaluations_(max_evaluations),
        vertices_((dimension_ + 1) * dimension_),
        values_(dimension_ + 1),
        order_(dimension_ + 1),
        centroid_(dimension_),
        reflected_(dimension_),
        candidate_(dimension_),
        point_(dimension_) {}

  int evaluations() const { return evaluations_; }
  bool exhausted() const { return evaluations_ >= max_evaluations_; }

  // Places the simplex around `center` (search coordinates) with edge
  // `step`: vertex i moves coordinate i by +step, or by −step when that would
  // pass the upper bound (v = π/2).
  void Initialise(std::span<const double> center, double step) {
    for (size_t v = 0; v <= dimension_; ++v) {
      double* vertex = Vertex(v);
      std::copy(center.begin(), center.end(), vertex);
      if (v > 0) {
        const size_t axis = v - 1;
        vertex[axis] += vertex[axis] + step <= kHalfPi ? step : -step;
      }
      values_[v] = exhausted() ? kInfinity : Evaluate(vertex);
    }
    Sort();
  }

  // Runs Nelder-Mead iterations until convergence (true), the evaluation
  // cap (false) or `cancelled` (polled every kCancelPollIterations
  // iterations; false, and cancelled() turns true).
  bool Run(double value_tolerance, double point_tolerance, const CancelCheck* cancelled) {
    for (int iteration = 0;; ++iteration) {
      if (Converged(value_tolerance, point_tolerance)) return true;
      if (exhausted()) return false;
      if (cancelled != nullptr && iteration % kCancelPollIterations == 0 &&
          IsCancelled(*cancelled)) {
        cancelled_ = true;
        return false;
      }
      Iterate();
      Sort();
    }
  }

  bool cancelled() const { return cancelled_; }

  std::span<const double> best_point() const { return {Vertex(order_[0]), dimension_}; }
  double best_value() const { return values_[order_[0]]; }

  // The best vertex in the caller's coordinates.
  std::vector<double> BestInBoxCoordinates() {
    ToBox(Vertex(order_[0]));
    return point_;
  }

 private:
  double* Vertex(size_t v) { return vertices_.data() + v * dimension_; }
  const double* Vertex(size_t v) const { return vertices_.data() + v * dimension_; }

  void ToBox(const double* v) {
    for (size_t i = 0; i < dimension_; ++i) point_[i] = FromSearchCoordinate(v[i], i);
  }

  double FromSearchCoordinate(double v, size_t i) const {
    return lower_[i] + 0.5 * (1 + std::sin(v)) * (upper_[i] - lower_[i]);
  }

  double Evaluate(const double* u) {
    ToBox(u);
    ++evaluations_;
    const double value = objective_(point_);
    return std::isfinite(value) ? value : kInfinity;
  }

  // Orders the vertices best first (insertion sort: d + 1 is tiny, and
  // std::stable_sort may allocate); ties keep the lower vertex index first.
  void Sort() {
    std::iota(order_.begin(), order_.end(), 0);
    for (size_t i = 1; i < order_.size(); ++i) {
      const size_t vertex = order_[i];
      size_t j = i;
      for (; j > 0 && values_[vertex] < values_[order_[j - 1]]; --j) order_[j] = order_[j - 1];
      order_[j] = vertex;
    }
  }

  bool Converged(double value_tolerance, double point_tolerance) const {
    const double best = values_[order_.front()];
    const double worst = values_[order_.back()];
    if (std::isfinite(worst) && worst - best <= value_tolerance * std::abs(best)) return true;
    const double* best_vertex = Vertex(order_.front());
    for (size_t v = 0; v <= dimension_; ++v) {
      const double* vertex = Vertex(v);
      for (size_t i = 0; i < dimension_; ++i) {
        if (std::abs(vertex[i] - best_vertex[i]) > point_tolerance) return false;
      }
    }
    return true;
  }

  // out = from + factor · (to − from), element-wise.
  void Along(const std::vector<double>& from, const double* to, double factor,
             std::vector<double>& out) const {
    for (size_t i = 0; i < dimension_; ++i) out[i] = from[i] + factor * (to[i] - from[i]);
  }

  void Replace(size_t vertex, const std::vector<double>& point, double value) {
    std::copy(point.begin(), point.end(), Vertex(vertex));
    values_[vertex] = value;
  }

  // One Nelder-Mead step on the sorted simplex.
  void Iterate() {
    const size_t worst = order_.back();
    const double best_value = values_[order_.front()];
    const double second_worst_value = values_[order_[dimension_ - 1]];
    const double worst_value = values_[worst];
    std::fill(centroid_.begin(), centroid_.end(), 0.0);
    const double weight = 1.0 / static_cast<double>(dimension_);
    for (size_t k = 0; k < dimension_; ++k) {
      const double* vertex = Vertex(order_[k]);
      for (size_t i = 0; i < dimension_; ++i) centroid_[i] += weight * vertex[i];
    }
    Along(centroid_, Vertex(worst), -1.0, reflected_);
    const double reflected_value = Evaluate(reflected_.data());
    if (reflected_value < best_value) {
      if (exhausted()) return Replace(worst, reflected_, reflected_value);
      Along(centroid_, Vertex(worst), -2.0, candidate_);
      const double expanded_value = Evaluate(candidate_.data());
      if (expanded_value < reflected_value) return Replace(worst, candidate_, expanded_value);
      return Replace(worst, reflected_, reflected_value);
    }
    if (reflected_value < second_worst_value) return Replace(worst, reflected_, reflected_value);
    if (exhausted()) return;
    if (reflected_value < worst_value) {
      Along(centroid_, reflected_.data(), 0.5, candidate_);  // outside contraction
      const double contracted_value = Evaluate(candidate_.data());
      if (contracted_value <= reflected_value) return Replace(worst, candidate_, contracted_value);
    } else {
      Along(centroid_, Vertex(worst), 0.5, candidate_);  // inside contraction
      const double contracted_value = Evaluate(candidate_.data());
      if (contracted_value < worst_value) return Replace(worst, candidate_, contracted_value);
    }
    Shrink();
  }

  // Moves every vertex half-way towards the best one.
  void Shrink() {
    const size_t best = order_.front();
    const double* best_vertex = Vertex(best);
    for (size_t v = 0; v <= dimension_; ++v) {
      if (v == best || exhausted()) continue;
      double* vertex = Vertex(v);
      for (size_t i = 0; i < dimension_; ++i) {
        vertex[i] = best_vertex[i] + 0.5 * (vertex[i] - best_vertex[i]);
      }
      values_[v] = Evaluate(vertex);
    }
  }

  absl::FunctionRef<double(std::span<const double>)> objective_;
  std::span<const double> lower_;
  std::span<const double> upper_;
  size_t dimension_;
  int max_evaluations_;
  int evaluations_ = 0;
  bool cancelled_ = false;
  std::vector<double> vertices_;  // (d + 1) vertices of d coordinates, row-major
  std::vector<double> values_;
  std::vector<size_t> order_;  // vertex indices, best first
  std::vector<double> centroid_;
  std::vector<double> reflected_;
  std::vector<double> candidate_;
  std::vector<double> point_;  // a vertex in the caller's coordinates
};

}  // namespace

NelderMeadResult MinimizeInBox(absl::FunctionRef<double(std::span<const double>)> objective,
                               std::span<const double> start, std::span<const double> lower,
                               std::span<const double> upper, const NelderMeadOptions& options) {
  std::vector<double> center(start.size());
  for (size_t i = 0; i < start.size(); ++i) {
    const double width = upper[i] - lower[i];
    const double relative = width > 0 ? std::clamp((start[i] - lower[i]) / width, 0.0, 1.0) : 0.5;
    center[i] = std::asin(2 * relative - 1);
  }
  BoxedSimplex simplex(objective, lower, upper, std::max(options.max_evaluations, 1));
  simplex.Initialise(center, options.initial_step);
  bool converged = simplex.Run(options.value_tolerance, options.point_tolerance, options.cancelled);
  for (int restart = 0; restart < options.restarts && converged && !simplex.exhausted();
       ++restart) {
    const std::span<const double> best = simplex.best_point();
    std::copy(best.begin(), best.end(), center.begin());
    simplex.Initialise(center, options.initial_step);
    converged = simplex.Run(options.value_tolerance, options.point_tolerance, options.cancelled);
  }
  NelderMeadResult result;
  result.point = simplex.BestInBoxCoordinates();
  result.value = simplex.best_value();
  result.evaluations = simplex.evaluations();
  result.converged = converged;
  result.cancelled = simplex.cancelled();
  return result;
}

}  // namespace horizonscale::forecast::internal
