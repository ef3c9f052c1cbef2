// Tests of FitSes (forecast/theta/internal/theta.h) against R 4.2 with
// forecast 8.20.
#include <span>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <gtest/gtest.h>

#include "forecast/theta/internal/theta.h"
#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast::internal {
namespace {

struct ROptimum {
  std::string name;
  std::span<const double> values;
  // The exact optimum, from R's optimize() on the SSE profiled over l0:
  //   prof <- function(x, a) {  # SSE minimised over l0, and that l0
  //     n <- length(x); c0 <- x[1]; l <- c0; sa2 <- 0; sab <- 0; sbb <- 0; b <- 1
  //     for (t in 1:n) { e <- x[t] - l; sa2 <- sa2 + e^2; sab <- sab + e*b
  //                      sbb <- sbb + b^2; l <- l + a*e; b <- b*(1-a) }
  //     list(sse = sa2 - sab^2/sbb, l0 = c0 + sab/sbb) }
  //   o <- optimize(function(a) prof(x, a)$sse, c(1e-4, 0.9999), tol = 1e-12)
  //   a <- if (prof(x, 0.9999)$sse < o$objective) 0.9999 else o$minimum
  //   p <- prof(x, a); a; p$l0; p$sse
  // (optimize() never evaluates the bound itself, where three of these sit).
  double alpha = 0;
  double initial_level = 0;
  double sse = 0;
  // R's own fit: fit <- ets(x, "ANN", opt.crit = "mse"); fit$par["alpha"];
  // fit$mse * length(x); fit$sigma2.
  double ets_alpha = 0;
  double ets_sse = 0;
  double ets_sigma2 = 0;
};

TEST(FitSes, FindsTheExactOptimumRsNelderMeadApproaches) {
  const std::vector<ROptimum> cases = {
      {"Nile", testing::kNile, 0.245728113708, 1110.7481103, 2038674.43205, 0.245668153653,
       2038674.43827, 20802.8003905},
      {"WWWusage", testing::kWWWusage, 0.9999, 87.99960001, 3330.53666973, 0.999899931757,
       3330.62379887, 33.9859571313},
      {"lynx", testing::klynx, 0.9999, 269.00520264, 159310859.959, 0.999899990708, 159311316.243,
       1422422.46646},
      {"LakeHuron", testing::kLakeHuron, 0.9999, 580.380147991, 53.8664231953, 0.999899905197,
       53.8664250292, 0.561108594054},
  };
  for (const ROptimum& c : cases) {
    const absl::StatusOr<SesFit> fit = FitSes(c.values, {});
    ASSERT_TRUE(fit.ok()) << c.name;
    // optimize() stops within ~1e-8 of the optimum; the search here within
    // 1e-9 (of the bound too).
    EXPECT_NEAR(fit->alpha, c.alpha, 1e-7) << c.name;
    EXPECT_NEAR(fit->initial_level, c.initial_level, 1e-6 * c.initial_level) << c.name;
    EXPECT_NEAR(fit->sse, c.sse, 1e-9 * c.sse) << c.name;
    // No worse than R's Nelder-Mead, whose α is within 3e-4 of the optimum.
    EXPECT_LE(fit->sse, c.ets_sse) << c.name;
    EXPECT_NEAR(fit->alpha, c.ets_alpha, 3e-4 * c.ets_alpha) << c.name;
    // σ² = SSE / (n − 2), as ets() computes it (its SSE is up to 3e-5 higher).
    EXPECT_NEAR(fit->sigma2, c.ets_sigma2, 1e-4 * c.ets_sigma2) << c.name;
    EXPECT_DOUBLE_EQ(fit->sigma2, fit->sse / static_cast<double>(c.values.size() - 2)) << c.name;
  }
}

TEST(FitSes, ShortSeriesStartAtTheFirstValue) {
  // R: ses(ts(c(5, 7, 6, 9)))$model: alpha 0.6856216184 (L-BFGS-B, ~1e-6),
  // initial level 5, sigma2 = mean(residuals^2).
  const std::vector<double> four = {5, 7, 6, 9};
  const absl::StatusOr<SesFit> fit = FitSes(four, {});
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(fit->alpha, 0.6856216184, 1e-5);
  EXPECT_EQ(fit->initial_level, 5);
  EXPECT_DOUBLE_EQ(fit->sigma2, fit->sse / 4);
  // Two values: the SSE does not depend on α; R keeps its start, 0.2.
  const std::vector<double> two = {5, 7};
  EXPECT_EQ(FitSes(two, {})->alpha, 0.2);
  EXPECT_EQ(FitSes(two, {})->sse, 4);
  EXPECT_EQ(FitSes(std::vector<double>{3}, {})->sse, 0);
  EXPECT_EQ(FitSes({}, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FitSes, ConstantSeriesHasNoError) {
  const absl::StatusOr<SesFit> fit = FitSes(std::vector<double>(50, 3.5), {});
  ASSERT_TRUE(fit.ok());
  EXPECT_EQ(fit->sse, 0);
  EXPECT_EQ(fit->initial_level, 3.5);
}

}  // namespace
}  // namespace horizonscale::forecast::internal
