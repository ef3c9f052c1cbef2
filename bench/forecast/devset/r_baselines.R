# R's forecast package on the development set: for each series ets(train),
# thetaf(train, h), auto.arima(train) and snaive(train, h) (the reference
# that checks the scoring against our seasonal_naive), each forecasting h
# steps with 80 % intervals, all with the package's defaults. Scored by
# scoring.R; one row per series and model.
#   Rscript bench/forecast/devset/r_baselines.R SERIES.csv OUT.csv [CAP_SECONDS]
#
# A fit that errors, takes more than CAP_SECONDS of CPU time (default 180;
# setTimeLimit) or forecasts missing values (snaive on a frequency below 1)
# is recorded with its message in `error` and no scores. ets on a frequency
# above 24 drops the seasonality itself (with a warning): that is R's
# behaviour, kept as is. Warnings are not recorded.
# Columns: id, source, frequency, n_train, h, model, smape, mase, coverage,
# seconds (CPU time of the fit and forecast), description, error.
suppressMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2 || length(args) > 3) {
  stop("usage: r_baselines.R SERIES.csv OUT.csv [CAP_SECONDS]")
}
script_dir <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)))
source(file.path(script_dir, "scoring.R"))
cap_seconds <- if (length(args) == 3) as.numeric(args[3]) else 180

models <- list(
  r_ets = function(y, h) {
    fit <- ets(y)
    list(fc = forecast(fit, h = h, level = 80), description = fit$method)
  },
  r_theta = function(y, h) list(fc = thetaf(y, h = h, level = 80), description = "thetaf"),
  r_arima = function(y, h) {
    fit <- auto.arima(y)
    list(fc = forecast(fit, h = h, level = 80), description = as.character(fit))
  },
  r_snaive = function(y, h) list(fc = snaive(y, h = h, level = 80), description = "snaive"))

# CPU seconds of this R process (user + system), as devset_bench.cc times.
cpu_seconds <- function() sum(proc.time()[c("user.self", "sys.self")])

parse_values <- function(text) as.numeric(strsplit(text, " ", fixed = TRUE)[[1]])

series <- read.csv(args[1], stringsAsFactors = FALSE,
                   colClasses = c(frequency = "numeric", train = "character", test = "character"))
rows <- list()
started <- proc.time()[["elapsed"]]
cpu_started <- cpu_seconds()
for (i in seq_len(nrow(series))) {
  s <- series[i, ]
  train <- ts(parse_values(s$train), frequency = s$frequency)
  test <- parse_values(s$test)
  scale <- mase_scale(train, s$frequency)
  for (model in names(models)) {
    t0 <- cpu_seconds()
    setTimeLimit(cpu = cap_seconds, transient = TRUE)
    result <- tryCatch(suppressWarnings(models[[model]](train, s$h)),
                       error = function(e) conditionMessage(e))
    setTimeLimit(cpu = Inf)
    seconds <- cpu_seconds() - t0
    row <- data.frame(id = s$id, source = s$source, frequency = s$frequency,
                      n_train = length(train), h = s$h, model = model, smape = NA_real_,
                      mase = NA_real_, coverage = NA_real_, seconds = seconds,
                      description = "", error = "")
    if (!is.character(result) &&
        anyNA(c(result$fc$mean, result$fc$lower[, 1], result$fc$upper[, 1]))) {
      result <- "the forecast has missing values"
    }
    if (is.character(result)) {
      row$error <- gsub("[\n\r]", " ", result)
    } else {
      sc <- score_forecast(test, result$fc$mean, result$fc$lower[, 1], result$fc$upper[, 1],
                           scale)
      row$smape <- sc$smape; row$mase <- sc$mase; row$coverage <- sc$coverage
      row$description <- result$description
    }
    rows[[length(rows) + 1]] <- row
  }
  cat(sprintf("[%d/%d] %s (n=%d, h=%d)\n", i, nrow(series), s$id, length(train), s$h),
      file = stderr())
}
out <- do.call(rbind, rows)
write.csv(out, args[2], row.names = FALSE)
cat(sprintf("r_baselines.R: %d series x %d models in %.0f s wall, %.0f s CPU\n", nrow(series),
            length(models), proc.time()[["elapsed"]] - started, cpu_seconds() - cpu_started))
