// Automatic order selection for seasonal ARIMA: forecast::auto.arima (8.20)
// with its defaults (stepwise search of Hyndman & Khandakar 2008, ic =
// "aicc", max.p = max.q = 5, max.P = max.Q = 2, max.d = 2, max.D = 1, start
// at (2,d,2)(1,D,1), drift or mean allowed, at most 94 models). Internal to
// forecast/arima/.
//
// As in R: D from nsdiffs (seasonal strength) when n > 2m, d from ndiffs
// (KPSS) on the seasonally differenced series; a constant series gives the
// mean, a series that is constant after differencing gives the matching
// ARIMA(0,d,0)(0,D,0) with its constant fixed; the search fits every model
// by CSS-ML, or, when "approximating" (by default n > 150 or m > 12), by CSS with R's
// AIC offset and refits the candidates by CSS-ML in order of their CSS AICc
// until one is accepted.
//
// Departures from R, all for speed or robustness:
//  - non-finite Hessian standard errors do not reject a fit (no Hessian);
//  - seasonal strength from the decomposition of internal/unit_root_tests.h
//    instead of MSTL;
//  - for m > kMaxSeasonalArmaPeriod the seasonal AR and MA orders are 0
//    (seasonal differencing still applies): the seasonal state would be too
//    large for the time budget;
//  - when approximating, once kMaxSeasonalMaRejections candidates with
//    seasonal MA terms have been rejected by their CSS-ML refit, the other
//    candidates with seasonal MA terms are not refitted: a seasonal pattern
//    that seasonal differencing over-differences drives every seasonal MA
//    coefficient to the unit circle, and each rejected refit of a long
//    seasonal model costs milliseconds (1,000 hourly values: 17 refits, 50 ms);
//  - when approximating, a candidate whose CSS estimate has a
//    non-seasonal MA root of modulus below kNearUnitMaRootModulus, or a
//    seasonal MA root (as a root of the polynomial in B) below
//    kNearUnitSeasonalMaRootModulus, is refitted only after every other
//    candidate was rejected: its CSS-ML refit lands on the unit circle,
//    which R's rule (roots beyond 1.01) rejects, in 218 of 224 (seasonal:
//    26 of 27) cases on the development set (bench/forecast/devset), and
//    a rejected refit costs as much as a good part of the search (1,000
//    hourly values: two seasonal ones, about 3 ms);
//  - when every model is rejected, R stops with "No suitable ARIMA model
//    found"; here the best CSS fit is returned when approximating, else the
//    ARIMA(0,d,0)(0,D,0) without constant.
#pragma once

#include <optional>
#include <span>

#include <absl/status/statusor.h>

#include "forecast/arima/internal/arima_estimation.h"
#include "forecast/cancellation.h"

namespace horizonscale::forecast::internal {

// Rejected CSS-ML refits with seasonal MA terms after which the others are
// skipped (see above).
inline constexpr int kMaxSeasonalMaRejections = 2;

// A CSS estimate with a non-seasonal (seasonal) MA root closer to the unit
// circle than these defers its CSS-ML refit (see above).
inline constexpr double kNearUnitMaRootModulus = 1.05;
inline constexpr double kNearUnitSeasonalMaRootModulus = 1.015;

// Whether `coefficients` (a CSS estimate of `spec`, R's order; empty: no
// estimate, false) have a non-seasonal MA root of modulus below
// kNearUnitMaRootModulus, or a seasonal MA root, as a root of Θ(Bᵐ) in B,
// below kNearUnitSeasonalMaRootModulus.
bool MaRootNearUnitCircle(const ArimaSpec& spec, std::span<const double> coefficients);

// Seasonal periods above this get no seasonal AR/MA terms.
inline constexpr int kMaxSeasonalArmaPeriod = 52;

// The selected model fitted to `values` (at least 2 finite values), with
// period `period` (<= 1: non-seasonal). `approximate`: auto.arima's
// `approximation` (search by CSS, then CSS-ML for the best orders); unset:
// R's default, n > 150 or m > 12. CANCELLED when `cancelled` says so
// (polled before each model fit).
absl::StatusOr<ArimaFit> AutoArima(std::span<const double> values, int period,
                                   const CancelCheck& cancelled,
                                   std::optional<bool> approximate = std::nullopt);

}  // namespace horizonscale::forecast::internal
