// Erlang B, advanced one server at a time, for the models and the capacity
// search. Internal to hs_queueing.
#pragma once

namespace horizonscale::queueing::internal {

// B(a, k) for k = 0, 1, 2, ... by the recursion of the contract,
// B(k) = a B(k−1) / (k + a B(k−1)), carried in its reciprocal form
// 1/B(k) = 1 + (k/a) · 1/B(k−1) (the same recursion, divided out): every term
// is positive, so it is stable, it needs no division per step, and when 1/B
// overflows to +inf B is below the smallest double anyway (B = 0 is then the
// correctly rounded answer). Also keeps 1 − B without cancellation, for
// heavily overloaded pools where B → 1. Cheap to copy.
class ErlangBStepper {
 public:
  // offered_load a = λ/μ, finite and >= 0. Starts at k = 0 (B = 1).
  explicit ErlangBStepper(double offered_load);

  // Advances to `servers` (>= servers()); O(servers − servers()).
  void AdvanceTo(int servers);

  int servers() const { return k_; }
  double offered_load() const { return a_; }
  // B(a, k).
  double blocking() const;
  // 1 − B(a, k), accurate also when B is close to 1.
  double complement() const;

 private:
  double a_;
  double inv_a_;
  int k_ = 0;
  double reciprocal_ = 1;  // 1/B(k)
  double excess_ = 0;      // 1/B(k) − 1 = (k/a) / B(k−1)
};

// Erlang C from Erlang B: C = B / (1 − ρ(1 − B)) = c B / ((c − a) + a B), with
// ρ = a/c; 1 when a >= c (every arrival waits).
double ErlangCFromB(double offered_load, int servers, double erlang_b);

}  // namespace horizonscale::queueing::internal
