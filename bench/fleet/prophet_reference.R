# R's prophet as the reference for our Prophet-style model
# (bench/fleet/prophet_vs_r.sh runs it between the two prophet_comparison
# steps).
#
#   Rscript bench/fleet/prophet_reference.R history.csv r_yhat.csv
#
# Reads the histories written by `prophet_comparison --csv` (series_id, ds,
# y, holdout, ...; one row per series and day), fits prophet::prophet() with
# its default settings on each series' non-holdout days (daily data: yearly
# and weekly seasonality on by the auto rule, daily off; linear growth,
# additive seasonality, MAP fit), and predicts the holdout days' point
# forecasts (uncertainty.samples = 0: no intervals, only yhat is compared).
# Writes series_id, ds, yhat, fit_seconds, predict_seconds, one row per
# holdout day in date order; the two times (wall clock of prophet() and of
# predict()) repeat on every row of a series.
Sys.setenv(TZ = "UTC")  # else R asks timedatectl, which fails without systemd
suppressPackageStartupMessages(library(prophet))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: prophet_reference.R history.csv r_yhat.csv")

history <- read.csv(args[1], colClasses = c(series_id = "character", ds = "Date"))

# Elapsed wall-clock seconds of evaluating `expr`, with its value.
timed <- function(expr) {
  start <- proc.time()[["elapsed"]]
  value <- expr
  list(value = value, seconds = proc.time()[["elapsed"]] - start)
}

# Fits prophet to one series' rows (in date order) and returns its holdout
# rows' forecasts as a data frame in the output format.
forecast_series <- function(rows) {
  train <- rows[rows$holdout == 0, c("ds", "y")]
  future <- rows[rows$holdout == 1, "ds", drop = FALSE]
  fit <- timed(suppressMessages(prophet(train, uncertainty.samples = 0)))
  predicted <- timed(predict(fit$value, future))
  data.frame(series_id = rows$series_id[1], ds = format(future$ds),
             yhat = sprintf("%.10g", predicted$value$yhat),
             fit_seconds = sprintf("%.4f", fit$seconds),
             predict_seconds = sprintf("%.4f", predicted$seconds))
}

# Series in their order of appearance (split() would sort them by name).
ids <- unique(history$series_id)
by_series <- split(history, factor(history$series_id, levels = ids))
out <- do.call(rbind, lapply(by_series, function(rows) forecast_series(rows[order(rows$ds), ])))
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
