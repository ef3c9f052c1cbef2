# The development set's side-by-side tables: R's models (r_baselines.R) and
# ours (forecast_devset_bench), one markdown table per frequency class, rows
# = models, columns = mean sMAPE, mean MASE and mean 80 % interval coverage
# over the series the model scored, and how many it scored (n; a model with
# no forecast on a series, e.g. Holt-Winters on a yearly one, is n/a there,
# so means over different n are over different series: the "common" table
# keeps the series every model scored). Then a check that both scoring codes
# agree, the median CPU time per call and the failed calls.
#   Rscript bench/forecast/devset/report.R R.csv OURS.csv
suppressMessages(library(stats))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: report.R R.csv OURS.csv")
script_dir <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)))
source(file.path(script_dir, "scoring.R"))

read_results <- function(path) {
  read.csv(path, stringsAsFactors = FALSE, na.strings = "NA",
           colClasses = c(description = "character", error = "character"))
}
r <- read_results(args[1])
ours <- read_results(args[2])
all <- rbind(r, ours)
all$class <- frequency_class(all$frequency)
models <- c(unique(r$model), unique(ours$model))

# Series on which every model gave a forecast: the one set on which all
# rows of a table compare directly.
scored <- tapply(!is.na(all$smape), all$id, sum)
common <- names(scored)[scored == length(models)]

classes <- list(
  overall = rep(TRUE, nrow(all)),
  `common: the series every model scored` = all$id %in% common,
  yearly = all$class == "yearly",
  quarterly = all$class == "quarterly",
  monthly = all$class == "monthly",
  other = all$class == "other",
  `other: fleet (daily cpu, frequency 7)` = all$source == "fleet",
  `other: not fleet` = all$class == "other" & all$source != "fleet")

series_count <- function(rows) length(unique(rows$id))
cell <- function(x, digits) if (length(x) == 0) "n/a" else formatC(mean(x), format = "f", digits = digits)

for (name in names(classes)) {
  rows <- all[classes[[name]], ]
  cat(sprintf("\n### %s (%d series)\n\n", name, series_count(rows)))
  cat("| model | sMAPE | MASE | 80 % coverage | n |\n|---|---:|---:|---:|---:|\n")
  for (model in models) {
    m <- rows[rows$model == model & !is.na(rows$smape), ]
    cat(sprintf("| %s | %s | %s | %s | %d |\n", model, cell(m$smape, 2),
                cell(m$mase[!is.na(m$mase)], 3), cell(m$coverage, 3), nrow(m)))
  }
}

# Our seasonal_naive and R's snaive make the same point forecasts, so
# their sMAPE and MASE must agree: a check of the two scoring codes.
pair <- merge(all[all$model == "r_snaive", c("id", "smape", "mase")],
              all[all$model == "seasonal_naive", c("id", "smape", "mase")], by = "id")
pair <- pair[complete.cases(pair), ]
differ <- abs(pair$smape.x - pair$smape.y) > 1e-9 * pmax(1, abs(pair$smape.x)) |
  abs(pair$mase.x - pair$mase.y) > 1e-9 * pmax(1, abs(pair$mase.x))
cat(sprintf(paste0("\nScoring check: R's snaive and our seasonal_naive differ in sMAPE or MASE",
                   " on %d of the %d series both scored%s.\n"),
            sum(differ), nrow(pair),
            if (any(differ)) paste0(": ", paste(pair$id[differ], collapse = " ")) else ""))

# Median CPU milliseconds per call by training length.
length_class <- cut(all$n_train, c(0, 100, 500, 2000, Inf), right = FALSE,
                    labels = c("n<100", "100-499", "500-1999", "n>=2000"))
cat("\n### Median CPU ms per call (calls) by training length\n\n",
    paste(c("| model", levels(length_class), "total CPU s |"), collapse = " | "), "\n|---|",
    strrep("---:|", nlevels(length_class) + 1), "\n", sep = "")
for (model in models) {
  cells <- vapply(levels(length_class), function(level) {
    x <- all$seconds[all$model == model & length_class == level]
    if (length(x) == 0) "-" else sprintf("%.2f (%d)", 1000 * median(x), length(x))
  }, character(1))
  cat(sprintf("| %s | %s | %.1f |\n", model, paste(cells, collapse = " | "),
              sum(all$seconds[all$model == model])))
}

failed <- all[is.na(all$smape), ]
if (nrow(failed) > 0) {
  cat("\n### n/a: calls without a forecast, by model and error\n\n")
  reasons <- aggregate(id ~ model + error, data = failed, FUN = function(ids) {
    shown <- head(ids, 4)
    paste0(length(ids), " (", paste(shown, collapse = " "), if (length(ids) > 4) " ..." else "", ")")
  })
  for (i in seq_len(nrow(reasons))) {
    cat(sprintf("- %s: %s — %s\n", reasons$model[i], substr(reasons$error[i], 1, 120),
                reasons$id[i]))
  }
}
