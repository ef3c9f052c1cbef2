# Writes tests/forecast/support/r_datasets.h: classic series from R's
# `datasets` and the `forecast` package as C++ arrays, the data the tests'
# R reference figures were computed on. Needs r-base-core and r-cran-forecast:
#   Rscript bench/forecast/r/export_datasets.R > tests/forecast/support/r_datasets.h
#   clang-format -i tests/forecast/support/r_datasets.h
suppressMessages(library(forecast))
sets <- list(
  AirPassengers=AirPassengers, USAccDeaths=USAccDeaths, WWWusage=WWWusage, lynx=lynx,
  Nile=Nile, LakeHuron=LakeHuron, ldeaths=ldeaths, nottem=nottem, UKgas=UKgas,
  austres=austres, JohnsonJohnson=JohnsonJohnson, co2=co2, woolyrnq=woolyrnq,
  wineind=wineind, gas=gas, taylor=taylor)
cat("// Classic series shipped with R (package `datasets`) and R's `forecast`\n")
cat("// package (8.20), exported by bench/forecast/r/export_datasets.R. Test data:\n")
cat("// the values R's published figures were computed on.\n")
cat("#pragma once\n\n#include <array>\n\nnamespace horizonscale::forecast::testing {\n\n")
for (nm in names(sets)) {
  y <- as.numeric(sets[[nm]]); f <- frequency(sets[[nm]]); s <- start(sets[[nm]])
  cat(sprintf("// %s: %d values, frequency %s, starting %s.\n", nm, length(y), format(f), paste(s, collapse=" ")))
  cat(sprintf("inline constexpr std::array<double, %d> k%s = {\n", length(y), nm))
  cat(paste0("    ", paste(sprintf("%.10g", y), collapse=", ")), "};\n\n")
}
cat("}  // namespace horizonscale::forecast::testing\n")
