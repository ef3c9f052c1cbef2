# R's forecast package on the development set: for each series ets(train),
# thetaf(train, h), auto.arima(train) and snaive(train, h) (the reference
# that checks the scoring against our seasonal_naive), each forecasting h
# steps with 80 % intervals, all with the package's defaults. Scored by
# scoring.R; one row per series and model.
#   Rscript bench/forecast/devset/r_baselines.R SERIES.csv OUT.csv [CAP_SECONDS]
#
# Each fit runs in a forked child (parallel::mcparallel) that is killed
# after CAP_SECONDS of wall time (default 180): setTimeLimit cannot stop R's
# C code: auto.arima on `taylor` (n = 4032) once ran on past the cap and grew
# to 15 GB.
# The child's address space is capped at DEVSET_R_MEMORY_GB (default 4; via
# `prlimit` when it is on PATH). A fit that errors, is killed or forecasts
# missing values (snaive on a frequency below 1) is recorded with its
# message in `error` and no scores. ets on a frequency
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

memory_gb <- as.numeric(Sys.getenv("DEVSET_R_MEMORY_GB", "4"))
has_prlimit <- nzchar(Sys.which("prlimit"))

# fit() in a forked child, given up after cap_seconds of wall time. Returns
# list(result = fit()'s value or an error message, seconds = the child's
# CPU seconds, or the cap when it was killed).
run_capped <- function(fit, cap_seconds) {
  job <- parallel::mcparallel({
    if (has_prlimit) {
      system2("prlimit", c(sprintf("--pid=%d", Sys.getpid()),
                           sprintf("--as=%.0f", memory_gb * 2^30)))
    }
    t0 <- cpu_seconds()
    result <- tryCatch(suppressWarnings(fit()), error = function(e) conditionMessage(e))
    list(result = result, seconds = cpu_seconds() - t0)
  }, silent = TRUE)
  collected <- parallel::mccollect(job, wait = FALSE, timeout = cap_seconds)
  if (is.null(collected)) {
    tools::pskill(job$pid, tools::SIGKILL)
    suppressWarnings(parallel::mccollect(job, wait = TRUE))  # reaps the child
    return(list(result = sprintf("stopped after %g s", cap_seconds), seconds = cap_seconds))
  }
  out <- collected[[1]]
  if (is.null(out) || inherits(out, "try-error") || !is.list(out)) {
    return(list(result = "the fit's process died (out of memory?)", seconds = NA_real_))
  }
  out
}

parse_values <- function(text) as.numeric(strsplit(text, " ", fixed = TRUE)[[1]])

series <- read.csv(args[1], stringsAsFactors = FALSE,
                   colClasses = c(frequency = "numeric", train = "character", test = "character"))
rows <- list()
started <- proc.time()[["elapsed"]]
for (i in seq_len(nrow(series))) {
  s <- series[i, ]
  train <- ts(parse_values(s$train), frequency = s$frequency)
  test <- parse_values(s$test)
  scale <- mase_scale(train, s$frequency)
  for (model in names(models)) {
    capped <- run_capped(function() models[[model]](train, s$h), cap_seconds)
    result <- capped$result
    seconds <- capped$seconds
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
cat(sprintf("r_baselines.R: %d series x %d models in %.0f s wall, %.0f s CPU of the fits\n",
            nrow(series), length(models), proc.time()[["elapsed"]] - started,
            sum(out$seconds, na.rm = TRUE)))
