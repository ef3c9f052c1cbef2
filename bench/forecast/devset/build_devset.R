# Builds the forecasting development set: one line per series with its
# training part and its held-out test part (the last h values).
#   Rscript bench/forecast/devset/build_devset.R OUT.csv [FLEET_SAMPLES.csv]
#
# Series:
#  - every `ts` object of R's `datasets` package (data(package = "datasets")),
#    multivariate ones (EuStockMarkets, Seatbelts) split into their columns,
#    except Seatbelts' `law` (a 0/1 intervention dummy) and columns equal to
#    a series already taken (Seatbelts' DriversKilled is UKDriverDeaths);
#  - the `forecast` package's gas, gold, taylor, wineind and woolyrnq;
#  - with FLEET_SAMPLES.csv (horizonscale-fleet-generator --csv output): the
#    cpu series of every host, daily, frequency 7.
# Missing values (presidents: 6, gold: 34) are filled by forecast::na.interp
# (linear interpolation; STL-based for seasonal series). Series shorter than
# 16 values are left out.
#
# Horizon by frequency, as the M competitions: <= 1 (yearly and lower) 6,
# 4 (quarterly) 8, 12 (monthly) 18, 52 (weekly) 13, 7 or 365 (daily) 14,
# 24 (hourly) 48, 48 or 336 (half-hourly) 336; any other frequency
# 2 x frequency; always at most a third of the series.
#
# Output columns: id, source, frequency, h, train, test, the values
# space-separated with 10 significant digits.
suppressMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1 || length(args) > 2) {
  stop("usage: build_devset.R OUT.csv [FLEET_SAMPLES.csv]")
}
out_path <- args[1]
fleet_path <- if (length(args) == 2) args[2] else ""
min_length <- 16

horizon <- function(f, n) {
  h <- if (f <= 1) 6 else if (f == 4) 8 else if (f == 12) 18 else if (f == 52) 13
    else if (f %in% c(7, 365)) 14 else if (f == 24) 48 else if (f %in% c(48, 336)) 336
    else round(2 * f)
  max(1, min(h, floor(n / 3)))
}

series <- list()
add <- function(id, source, y) {
  if (length(y) < min_length) return(invisible())
  if (anyNA(y)) y <- na.interp(y)
  series[[length(series) + 1]] <<- list(id = id, source = source, y = y)
}
same_as_taken <- function(y) {
  any(vapply(series, function(s) length(s$y) == length(y) &&
               isTRUE(all(as.numeric(s$y) == as.numeric(y))), logical(1)))
}

# Univariate series first, so that a column equal to one of them is skipped.
items <- data(package = "datasets")$results[, "Item"]
objects <- lapply(sort(sub(" .*", "", items), method = "radix"), function(name) {
  list(name = name, obj = get(name, envir = asNamespace("datasets")))
})
objects <- Filter(function(o) is.ts(o$obj), objects)
for (o in Filter(function(o) NCOL(o$obj) == 1, objects)) add(o$name, "datasets", o$obj)
for (o in Filter(function(o) NCOL(o$obj) > 1, objects)) {
  for (col in colnames(o$obj)) {
    y <- o$obj[, col]
    if (col != "law" && !same_as_taken(y)) add(paste0(o$name, ".", col), "datasets", y)
  }
}
for (name in c("gas", "gold", "taylor", "wineind", "woolyrnq")) {
  add(name, "forecast", get(name, envir = asNamespace("forecast")))
}
if (nzchar(fleet_path)) {
  samples <- read.csv(fleet_path, stringsAsFactors = FALSE)
  samples <- samples[samples$resource == "cpu", ]
  samples <- samples[order(samples$host_id, samples$date), ]
  for (host in unique(samples$host_id)) {
    rows <- samples[samples$host_id == host, ]
    # Days missing from the CSV (only with --dirty) would shift the series.
    stopifnot(all(diff(as.Date(rows$date)) == 1))
    add(paste0(host, ".cpu"), "fleet", ts(rows$p95_utilization_percent, frequency = 7))
  }
}

fmt <- function(v) paste(sprintf("%.10g", as.numeric(v)), collapse = " ")
out <- do.call(rbind, lapply(series, function(s) {
  f <- frequency(s$y)
  n <- length(s$y)
  h <- horizon(f, n)
  data.frame(id = s$id, source = s$source, frequency = format(f), h = h,
             train = fmt(s$y[1:(n - h)]), test = fmt(s$y[(n - h + 1):n]))
}))
write.csv(out, out_path, row.names = FALSE, quote = FALSE)
cat(sprintf("build_devset.R: %d series written to %s\n", nrow(out), out_path))
