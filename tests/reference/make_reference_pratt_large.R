# Reference values for the signed-rank test with Pratt's zeros above the exact limit:
# coin's asymptotic (normal) test of the same conditional linear statistic.
# Writes tests/reference/data/pratt_large.csv (the differences) and
# tests/reference/values/pratt_asymptotic.csv. Deterministic: set.seed, no timestamps.
# Run from the repository root: Rscript tests/reference/make_reference_pratt_large.R
suppressPackageStartupMessages(library(coin))
set.seed(20261202)
n <- c(250, 400, 1600)
rows <- list()
data <- list()
for (size in n) {
  # rounded changes (ties) with zeros, as a pilot's measurements give them, shifted a little
  d <- round(rnorm(size, mean = 0.15, sd = 1), 1)
  data[[length(data) + 1]] <- data.frame(dataset = paste0("pratt_n", size), d = sprintf("%.1f", d))
  x <- round(d / max(abs(d)), 10)
  wt <- wilcoxsign_test(x ~ numeric(length(x)), distribution = "asymptotic", zero.method = "Pratt")
  rows[[length(rows) + 1]] <- data.frame(
    dataset = paste0("pratt_n", size), n = size, zeros = sum(d == 0),
    statistic = sprintf("%.17g", as.numeric(statistic(wt, type = "linear"))),
    p_value = sprintf("%.17g", as.numeric(pvalue(wt))),
    call = "coin::wilcoxsign_test(round(d / max(abs(d)), 10) ~ numeric(n), distribution = \"asymptotic\", zero.method = \"Pratt\"): statistic(type = \"linear\"), pvalue")
}
write.csv(do.call(rbind, data), "tests/reference/data/pratt_large.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, rows), "tests/reference/values/pratt_asymptotic.csv", row.names = FALSE)
cat(sprintf("coin %s, R %s\n", packageVersion("coin"), getRversion()))
