# Accuracy of one forecast on the held-out part of a development-set series:
# the same definitions as ScoreForecast in devset_bench.cc.
#   sMAPE    mean over points of 200 |a - f| / (|a| + |f|), a point with
#            a = f = 0 counting 0;
#   MASE     mean |a - f| over the test divided by the in-sample MAE of the
#            seasonal-naive forecast y_t ~ y_{t-m} on the training part (M4):
#            m = the frequency when it is a whole number >= 2 and the
#            training part is longer than m, else 1 (naive); NA when that
#            scale is 0;
#   coverage share of test points with lower <= a <= upper.

# The MASE denominator of `train` with frequency `frequency`.
mase_scale <- function(train, frequency) {
  m <- if (frequency >= 2 && frequency == round(frequency) && length(train) > frequency) {
    frequency
  } else {
    1
  }
  mean(abs(diff(as.numeric(train), lag = m)))
}

# list(smape, mase, coverage) of forecasts `f` with bounds `lower`/`upper`
# for actuals `a`; `scale` from mase_scale.
score_forecast <- function(a, f, lower, upper, scale) {
  a <- as.numeric(a); f <- as.numeric(f)
  denominator <- abs(a) + abs(f)
  smape <- mean(ifelse(denominator == 0, 0, 200 * abs(a - f) / denominator))
  mase <- if (scale > 0) mean(abs(a - f)) / scale else NA_real_
  coverage <- mean(a >= as.numeric(lower) & a <= as.numeric(upper))
  list(smape = smape, mase = mase, coverage = coverage)
}

# "yearly" (frequency <= 1), "quarterly", "monthly" or "other".
frequency_class <- function(frequency) {
  ifelse(frequency <= 1, "yearly",
         ifelse(frequency == 4, "quarterly", ifelse(frequency == 12, "monthly", "other")))
}
