#!/usr/bin/env Rscript
# Independent reference values for the aidheart statistics engine.
#
# Run from the repository root:
#     Rscript tests/reference/make_reference.R
#
# Writes
#   tests/reference/data/*.csv             long data: subject,visit,value
#   tests/reference/values/reference.csv   one row per dataset x visit x method x term
#   tests/reference/values/versions.txt    R and package versions
#
# Every statistic is computed from the data RE-READ from the CSV files, so the
# numbers belong to exactly the doubles a reader of those files gets.
# Definitions and tolerances: tests/reference/README.md.
# The script is deterministic (seeded data, no timestamps): a rerun gives
# byte-identical files.

suppressPackageStartupMessages({
  library(lme4)  # for its sleepstudy data
  library(nlme)
  library(emmeans)
  library(numDeriv)
  library(boot)
  library(coin)
})

if (!file.exists("tests/reference/make_reference.R")) {
  stop("run from the repository root: Rscript tests/reference/make_reference.R")
}
DATA_DIR <- "tests/reference/data"
VALUES_DIR <- "tests/reference/values"
dir.create(DATA_DIR, recursive = TRUE, showWarnings = FALSE)
dir.create(VALUES_DIR, recursive = TRUE, showWarnings = FALSE)

t_start <- proc.time()[["elapsed"]]

# Visit order of each dataset; the first level is the baseline.
VISITS <- list(
  sleep = c("group1", "group2"),
  sleepstudy_d0_3 = c("day0", "day1", "day2", "day3"),
  synth_ties = c("baseline", "week4", "week12", "week16"),
  synth_missing = c("baseline", "week4", "week12", "week16"),
  synth_positive = c("baseline", "week12"),
  synth_boot_ties = c("baseline", "week12")
)
# Datasets with their own analyses only (no paired-analysis rows).
OTHER_VISITS <- list(
  synth_nyha = c("baseline", "week12", "week16"),
  synth_events = c("baseline", "week16")
)
ALL_VISITS <- c(VISITS, OTHER_VISITS)

# ---------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------

# Shortest of %.15g / %.17g that reads back as the same double.
fmt_data <- function(x) {
  s <- sprintf("%.15g", x)
  bad <- as.numeric(s) != x
  s[bad] <- sprintf("%.17g", x[bad])
  s
}

# Result numbers: always %.17g (exact round trip); NA -> empty field.
fmt_num <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "", sprintf("%.17g", x))
}

write_long <- function(df, stem) {
  df <- df[order(match(df$subject, unique(df$subject)),
                 match(df$visit, ALL_VISITS[[stem]])), ]
  out <- data.frame(subject = df$subject, visit = df$visit,
                    value = fmt_data(df$value), stringsAsFactors = FALSE)
  write.table(out, file.path(DATA_DIR, paste0(stem, ".csv")), sep = ",",
              row.names = FALSE, quote = FALSE, eol = "\n")
}

read_long <- function(stem) {
  read.csv(file.path(DATA_DIR, paste0(stem, ".csv")),
           colClasses = c("character", "character", "numeric"))
}

# One result row. Unset numbers are NA (written as empty fields).
row <- function(dataset, visit, method, term, estimate = NA, std_error = NA,
                ci_low = NA, ci_high = NA, statistic = NA, df = NA,
                p_value = NA, n = NA, call = "") {
  data.frame(dataset = dataset, visit = visit, method = method, term = term,
             estimate = as.numeric(estimate), std_error = as.numeric(std_error),
             ci_low = as.numeric(ci_low), ci_high = as.numeric(ci_high),
             statistic = as.numeric(statistic), df = as.numeric(df),
             p_value = as.numeric(p_value), n = as.numeric(n), call = call,
             stringsAsFactors = FALSE)
}

# Evaluate expr, collecting warning messages instead of printing them.
with_warnings <- function(expr) {
  msgs <- character(0)
  value <- withCallingHandlers(expr, warning = function(w) {
    msgs <<- c(msgs, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = unique(msgs))
}

# ---------------------------------------------------------------------------
# 1. Data
# ---------------------------------------------------------------------------

make_sleep <- function() {
  # R's datasets::sleep; group1 is the baseline.
  data.frame(subject = as.character(sleep$ID),
             visit = ifelse(sleep$group == "1", "group1", "group2"),
             value = sleep$extra, stringsAsFactors = FALSE)
}

make_sleepstudy <- function() {
  # lme4::sleepstudy restricted to Days 0-3; value = Reaction (ms).
  s <- lme4::sleepstudy[lme4::sleepstudy$Days <= 3, ]
  data.frame(subject = as.character(s$Subject), visit = paste0("day", s$Days),
             value = s$Reaction, stringsAsFactors = FALSE)
}

# Six-minute-walk-like data: mean ~300 m, between-subject SD ~70, visit
# effects 0/+10/+20/+30, within-subject noise SD ~30.
synth_walk <- function(n_subj, seed) {
  set.seed(seed)
  subj <- sprintf("S%02d", seq_len(n_subj))
  visits <- VISITS$synth_ties
  eff <- c(baseline = 0, week4 = 10, week12 = 20, week16 = 30)
  u <- rnorm(n_subj, 0, 70)
  grid <- expand.grid(visit = visits, subject = subj, stringsAsFactors = FALSE)
  grid$value <- 300 + u[match(grid$subject, subj)] + eff[grid$visit] +
    rnorm(nrow(grid), 0, 30)
  grid[, c("subject", "visit", "value")]
}

make_synth_ties <- function() {
  d <- synth_walk(16, seed = 20240611)
  d$value <- round(d$value)            # integer metres -> ties among differences
  at <- function(s, v) which(d$subject == s & d$visit == v)
  # S05: zero difference at week12 (dropped by wilcox.test).
  d$value[at("S05", "week12")] <- d$value[at("S05", "baseline")]
  # S09: week12 change = -(S02 week12 change) -> tie in |d| with opposite signs.
  d2 <- d$value[at("S02", "week12")] - d$value[at("S02", "baseline")]
  d$value[at("S09", "week12")] <- d$value[at("S09", "baseline")] - d2
  # S12: same week4 change as S03 -> a tie at week4 as well.
  d3 <- d$value[at("S03", "week4")] - d$value[at("S03", "baseline")]
  d$value[at("S12", "week4")] <- d$value[at("S12", "baseline")] + d3
  d
}

make_synth_missing <- function() {
  d <- synth_walk(16, seed = 20240612)
  d$value <- round(d$value, 1)
  drop <- (d$subject %in% c("S04", "S11") & d$visit %in% c("week12", "week16")) |  # monotone dropouts after week4
    (d$subject == "S07" & d$visit == "week12") |                                   # intermittent missing week12
    (d$subject == "S14" & d$visit == "baseline")                                   # missing baseline
  d[!drop, ]
}

make_synth_positive <- function() {
  # CRP-like, mg/L: lognormal, median ~8, week12 ratio ~0.8.
  set.seed(20240613)
  n <- 14
  subj <- sprintf("P%02d", seq_len(n))
  u <- rnorm(n, 0, 0.6)
  base <- exp(log(8) + u + rnorm(n, 0, 0.3))
  wk12 <- exp(log(8) + u - 0.22 + rnorm(n, 0, 0.3))
  d <- data.frame(subject = rep(subj, each = 2),
                  visit = rep(c("baseline", "week12"), n),
                  value = round(as.vector(rbind(base, wk12)), 2),
                  stringsAsFactors = FALSE)
  stopifnot(all(d$value > 0))
  d
}

# Inotrope-sensitivity-like data rounded to 4 decimals whose changes take few
# values (multiples of 0.01 up to floating-point noise, since e.g.
# 0.0392 - 0.0292 is not 0.01 as a double): many bootstrap resample means equal
# the estimate in exact arithmetic but differ from it by rounding noise, the
# case the BCa tie rule is for; and |d| tie as decimals but not all as doubles,
# the case the signed-rank rounding is for.
make_synth_boot_ties <- function() {
  set.seed(20240622)
  n <- 16
  subj <- sprintf("B%02d", seq_len(n))
  base <- round(rnorm(n, 0.03, 0.008), 4)
  change <- sample(c(-0.02, -0.01, 0, 0.01, 0.02, 0.03), n, replace = TRUE,
                   prob = c(0.1, 0.15, 0.15, 0.25, 0.2, 0.15))
  d <- data.frame(subject = rep(subj, each = 2),
                  visit = rep(c("baseline", "week12"), n),
                  value = round(as.vector(rbind(base, base + change)), 4),
                  stringsAsFactors = FALSE)
  d
}

# NYHA-like classes 1-4 (stage D: III or IV at baseline); S07 misses week12,
# S03 and S15 miss week16.
make_synth_nyha <- function() {
  set.seed(20240616)
  n <- 18
  subj <- sprintf("N%02d", seq_len(n))
  base <- sample(3:4, n, replace = TRUE, prob = c(0.55, 0.45))
  step <- function() sample(c(-2, -1, 0, 1), n, replace = TRUE, prob = c(0.1, 0.35, 0.45, 0.1))
  w12 <- pmin(4, pmax(1, base + step()))
  w16 <- pmin(4, pmax(1, base + step()))
  d <- data.frame(subject = rep(subj, each = 3),
                  visit = rep(c("baseline", "week12", "week16"), n),
                  value = as.vector(rbind(base, w12, w16)), stringsAsFactors = FALSE)
  drop <- (d$subject == "N07" & d$visit == "week12") |
    (d$subject %in% c("N03", "N15") & d$visit == "week16")
  d[!drop, ]
}

# 6MWD-like baseline and week16 with intercurrent events: E03 and E08 died,
# E11 had an LVAD, E05 and E14 did not walk for heart-failure symptoms, E16
# withdrew (not ranked); E02 has a zero change and E09 the change of E07 with
# the opposite sign (a tie in |change|).
make_synth_events <- function() {
  d <- synth_walk(18, seed = 20240617)
  d$subject <- sub("^S", "E", d$subject)
  d <- d[d$visit %in% c("baseline", "week16"), ]
  d$value <- round(d$value)
  at <- function(s, v) which(d$subject == s & d$visit == v)
  d$value[at("E02", "week16")] <- d$value[at("E02", "baseline")]
  c7 <- d$value[at("E07", "week16")] - d$value[at("E07", "baseline")]
  d$value[at("E09", "week16")] <- d$value[at("E09", "baseline")] - c7
  event <- setNames(rep("", 18), sprintf("E%02d", 1:18))
  event[c("E03", "E08")] <- "death"
  event["E11"] <- "lvad"
  event[c("E05", "E14")] <- "hf_not_done"
  event["E16"] <- "withdrew"
  long <- d[!(d$visit == "week16" & event[d$subject] != ""), ]
  list(long = long, status = data.frame(subject = names(event), event = unname(event)))
}

write_long(make_sleep(), "sleep")
write_long(make_sleepstudy(), "sleepstudy_d0_3")
write_long(make_synth_ties(), "synth_ties")
write_long(make_synth_missing(), "synth_missing")
write_long(make_synth_positive(), "synth_positive")
write_long(make_synth_boot_ties(), "synth_boot_ties")
write_long(make_synth_nyha(), "synth_nyha")
synth_events <- make_synth_events()
write_long(synth_events$long, "synth_events")
write.table(synth_events$status, file.path(DATA_DIR, "synth_events_status.csv"), sep = ",",
            row.names = FALSE, quote = FALSE, eol = "\n")

DATA <- lapply(setNames(names(ALL_VISITS), names(ALL_VISITS)), read_long)
EVENT_STATUS <- read.csv(file.path(DATA_DIR, "synth_events_status.csv"),
                         colClasses = c("character", "character"), na.strings = character(0))

# Design checks the reference relies on.
local({
  w <- DATA$synth_ties
  b <- w[w$visit == "baseline", ]; v <- w[w$visit == "week12", ]
  dd <- v$value[match(b$subject, v$subject)] - b$value
  stopifnot(any(dd == 0), anyDuplicated(abs(dd[dd != 0])) > 0,
            nrow(w) == 16 * 4)
  m <- DATA$synth_missing
  stopifnot(length(unique(m$subject)) == 16,
            sum(m$visit == "baseline") == 15)
  stopifnot(all(DATA$synth_positive$value > 0),
            length(unique(DATA$synth_positive$subject)) == 14)
})

# ---------------------------------------------------------------------------
# 2. Paired analyses on complete pairs (d = visit - baseline)
# ---------------------------------------------------------------------------

complete_pairs <- function(df, base, visit) {
  b <- df[df$visit == base, ]
  v <- df[df$visit == visit, ]
  s <- intersect(b$subject, v$subject)        # order of the baseline rows
  list(subject = s, x_base = b$value[match(s, b$subject)],
       x_visit = v$value[match(s, v$subject)])
}

# t.test(paired = TRUE): mean of d, its standard error, t CI, t, df, p.
paired_t <- function(ds, vis, xv, xb) {
  tt <- t.test(xv, xb, paired = TRUE)
  row(ds, vis, "paired_t", "mean_change", tt$estimate, tt$stderr,
      tt$conf.int[1], tt$conf.int[2], tt$statistic, tt$parameter, tt$p.value,
      length(xv), "t.test(x_visit, x_base, paired = TRUE)")
}

# Descriptives on the complete pairs (sd with denominator n - 1).
pair_summary <- function(ds, vis, xv, xb) {
  d <- xv - xb
  n <- length(d)
  rbind(row(ds, vis, "summary", "mean_baseline", mean(xb), n = n, call = "mean(x_base)"),
        row(ds, vis, "summary", "sd_baseline", sd(xb), n = n, call = "sd(x_base)"),
        row(ds, vis, "summary", "mean_visit", mean(xv), n = n, call = "mean(x_visit)"),
        row(ds, vis, "summary", "sd_visit", sd(xv), n = n, call = "sd(x_visit)"),
        row(ds, vis, "summary", "mean_change", mean(d), n = n, call = "mean(x_visit - x_base)"),
        row(ds, vis, "summary", "sd_change", sd(d), n = n, call = "sd(x_visit - x_base)"))
}

# wilcox.test(paired = TRUE) with R defaults: V and p; then conf.int = TRUE for
# the Hodges-Lehmann (pseudo)median and its CI. R drops zero differences, is
# exact only if n_nonzero < 50 and there are no ties and no zeros, otherwise
# normal approximation with continuity correction and tie-corrected variance
# (and root-finding, tol 1e-4, for the estimate and CI).
wilcoxon_rows <- function(ds, vis, xv, xb) {
  d <- xv - xb
  n <- length(d)
  nz <- d[d != 0]
  n_zero <- sum(d == 0)
  has_ties <- anyDuplicated(abs(nz)) > 0          # ties judged on the doubles
  w <- with_warnings(wilcox.test(xv, xb, paired = TRUE))
  hl <- with_warnings(wilcox.test(xv, xb, paired = TRUE, conf.int = TRUE,
                                  conf.level = 0.95))
  exact <- grepl("exact", w$value$method)
  how <- sprintf("[%s; %d zero difference(s) dropped; %s; n_nonzero = %d]",
                 if (exact) "exact" else "normal approximation with continuity correction",
                 n_zero, if (has_ties) "ties in |d|" else "no ties in |d|",
                 length(nz))
  warn_txt <- function(x) if (length(x$warnings)) paste0(" warnings: ", paste(x$warnings, collapse = "; ")) else ""
  rbind(
    row(ds, vis, "wilcoxon_signed_rank", "V", statistic = w$value$statistic,
        p_value = w$value$p.value, n = n,
        call = paste0("wilcox.test(x_visit, x_base, paired = TRUE) ", how)),
    row(ds, vis, "hodges_lehmann", "pseudomedian", hl$value$estimate,
        ci_low = hl$value$conf.int[1], ci_high = hl$value$conf.int[2], n = n,
        call = paste0("wilcox.test(x_visit, x_base, paired = TRUE, conf.int = TRUE, conf.level = 0.95) ",
                      how, warn_txt(hl))))
}

# Exact Hodges-Lehmann: drop zero differences, median of all Walsh averages
# (d_i + d_j) / 2 for i <= j.
hl_exact <- function(ds, vis, xv, xb) {
  d <- xv - xb
  nz <- d[d != 0]
  walsh <- outer(nz, nz, "+") / 2
  est <- median(walsh[upper.tri(walsh, diag = TRUE)])
  row(ds, vis, "hodges_lehmann_exact", "median_walsh", est, n = length(d),
      call = "d <- x_visit - x_base; d <- d[d != 0]; w <- outer(d, d, '+') / 2; median(w[upper.tri(w, diag = TRUE)])")
}

# Cohen's dz = mean(d) / sd(d); CI by inverting the noncentral t distribution
# of t_obs = dz * sqrt(n) with df = n - 1; Hedges' gz = dz * J(df).
effect_size_rows <- function(ds, vis, xv, xb) {
  d <- xv - xb
  n <- length(d)
  df <- n - 1
  dz <- mean(d) / sd(d)
  t_obs <- dz * sqrt(n)
  # pt(t_obs, df, ncp) decreases in ncp. Far from the root (pt ~ 1) R's pnt
  # warns "full precision may not have been achieved"; those bracket points
  # only steer the search, and the value at the root is checked warning-free.
  solve_ncp <- function(prob) {
    f <- function(ncp) pt(t_obs, df, ncp) - prob
    root <- with_warnings(uniroot(f, lower = t_obs - 10, upper = t_obs + 10,
                                  extendInt = "downX", tol = 1e-12,
                                  maxiter = 10000)$root)
    stopifnot(all(grepl("pnt", root$warnings)))
    at_root <- with_warnings(f(root$value))
    stopifnot(length(at_root$warnings) == 0, abs(at_root$value) < 1e-10)
    root$value
  }
  ci <- c(solve_ncp(0.975), solve_ncp(0.025)) / sqrt(n)
  J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
  rbind(
    row(ds, vis, "cohen_dz", "dz", dz, ci_low = ci[1], ci_high = ci[2],
        statistic = t_obs, df = df, n = n,
        call = "mean(d)/sd(d); CI: uniroot(pt(t_obs, n-1, ncp) = 0.975 / 0.025, tol = 1e-12) / sqrt(n)"),
    row(ds, vis, "hedges_gz", "gz", dz * J, ci_low = ci[1] * J,
        ci_high = ci[2] * J, statistic = t_obs, df = df, n = n,
        call = "dz * J, J = exp(lgamma(df/2) - log(sqrt(df/2)) - lgamma((df-1)/2)), df = n-1; CI = dz CI * J"))
}

# Exact two-sided sign-flip permutation p over all 2^n sign patterns:
# p = mean(|sum(s * d)| >= |sum(d)| * (1 - 1e-12)). The 2^n sums are built
# by doubling (pattern k flips the signs given by the bits of k).
sign_flip <- function(ds, vis, xv, xb) {
  d <- xv - xb
  n <- length(d)
  stopifnot(n <= 24)
  sums <- 0
  for (di in d) sums <- c(sums + di, sums - di)
  p <- mean(abs(sums) >= abs(sum(d)) * (1 - 1e-12))
  row(ds, vis, "sign_flip_permutation", "mean_change", mean(d), p_value = p,
      n = n, call = "mean over all 2^n sign vectors s of |sum(s*d)| >= |sum(d)|*(1-1e-12)")
}

# Geometric mean ratio: paired t on log values, back-transformed.
gmr <- function(ds, vis, xv, xb) {
  tt <- t.test(log(xv), log(xb), paired = TRUE)
  row(ds, vis, "gmr", "geometric_mean_ratio", exp(tt$estimate),
      ci_low = exp(tt$conf.int[1]), ci_high = exp(tt$conf.int[2]),
      statistic = tt$statistic, df = tt$parameter, p_value = tt$p.value,
      n = length(xv), call = "exp() of t.test(log(x_visit), log(x_base), paired = TRUE) estimate and conf.int")
}

paired_rows <- function(ds) {
  df <- DATA[[ds]]
  visits <- VISITS[[ds]]
  out <- list()
  for (vis in visits[-1]) {
    cp <- complete_pairs(df, visits[1], vis)
    xv <- cp$x_visit; xb <- cp$x_base
    out[[vis]] <- rbind(paired_t(ds, vis, xv, xb), pair_summary(ds, vis, xv, xb),
                        wilcoxon_rows(ds, vis, xv, xb), hl_exact(ds, vis, xv, xb),
                        effect_size_rows(ds, vis, xv, xb), sign_flip(ds, vis, xv, xb),
                        wilcoxon_pratt(ds, vis, xv, xb),
                        if (ds == "synth_positive") gmr(ds, vis, xv, xb))
  }
  do.call(rbind, out)
}

# ---------------------------------------------------------------------------
# 4. Generic REML for y_i ~ N(X_i beta, Sigma(theta)[idx_i, idx_i])
#    (own implementation; used for the MMRM)
# ---------------------------------------------------------------------------

# Split the long data into per-subject blocks.
make_blocks <- function(y, X, subject, idx) {
  lapply(split(seq_along(y), factor(subject, levels = unique(subject))),
         function(r) list(y = y[r], X = X[r, , drop = FALSE], idx = idx[r]))
}

# Sigma from theta: Cholesky factor L with log diagonal first, then the
# strictly lower off-diagonals in column-major order: (2,1), (3,1), ..., (3,2), ...
unstructured_sigma <- function(theta, V) {
  L <- matrix(0, V, V)
  diag(L) <- exp(theta[seq_len(V)])
  L[lower.tri(L)] <- theta[-seq_len(V)]
  L %*% t(L)
}

# GLS pieces at theta: beta-hat, Phi = (sum X' S^-1 X)^-1 and the REML
# log-likelihood -1/2 [sum log|S_i| + log|sum X_i' S_i^-1 X_i| +
#                      sum r_i' S_i^-1 r_i + (N - p) log(2 pi)].
reml_parts <- function(theta, blocks, sigma_fun) {
  Sigma <- sigma_fun(theta)
  p <- ncol(blocks[[1]]$X)
  XtVX <- matrix(0, p, p); XtVy <- numeric(p)
  logdet <- 0; N <- 0
  pre <- lapply(blocks, function(b) {
    C <- chol(Sigma[b$idx, b$idx, drop = FALSE])          # S_i = C'C
    list(C = C, Xs = backsolve(C, b$X, transpose = TRUE),  # C'^-1 X_i
         ys = backsolve(C, b$y, transpose = TRUE))
  })
  for (q in pre) {
    logdet <- logdet + 2 * sum(log(diag(q$C)))
    XtVX <- XtVX + crossprod(q$Xs)
    XtVy <- XtVy + drop(crossprod(q$Xs, q$ys))
    N <- N + length(q$ys)
  }
  R <- chol(XtVX)
  beta <- backsolve(R, backsolve(R, XtVy, transpose = TRUE))
  quad <- 0
  for (q in pre) quad <- quad + sum((q$ys - drop(q$Xs %*% beta))^2)
  ll <- -0.5 * (logdet + 2 * sum(log(diag(R))) + quad + (N - p) * log(2 * pi))
  list(loglik = ll, beta = beta, Phi = chol2inv(R), N = N, p = p)
}

# Maximise the REML log-likelihood: nlminb, then Newton steps with numDeriv
# (Richardson) gradient and Hessian, keeping a step only if it does not
# decrease the log-likelihood.
reml_fit <- function(theta0, blocks, sigma_fun) {
  negll <- function(th) -reml_parts(th, blocks, sigma_fun)$loglik
  opt <- nlminb(theta0, negll,
                control = list(rel.tol = 1e-15, x.tol = 1e-12, eval.max = 1e5, iter.max = 1e5))
  th <- opt$par
  for (k in 1:20) {
    g <- numDeriv::grad(negll, th)
    if (max(abs(g)) < 1e-10) break
    H <- numDeriv::hessian(negll, th)
    cand <- th - solve(H, g)
    if (negll(cand) <= negll(th)) th <- cand else break
  }
  H <- numDeriv::hessian(negll, th)
  list(theta = th, parts = reml_parts(th, blocks, sigma_fun),
       grad = numDeriv::grad(negll, th), hessian = H)
}

# Satterthwaite df for L beta: 2 (L Phi L')^2 / (g' W g), g = d(L Phi L')/d theta,
# W = inverse Hessian of -loglik at theta-hat (numDeriv default, d = 0.1, r = 4).
# The df does not depend on the parametrisation theta (at the maximum).
reml_contrast <- function(fit, L, blocks, sigma_fun) {
  lphil <- function(th) drop(L %*% reml_parts(th, blocks, sigma_fun)$Phi %*% L)
  v <- lphil(fit$theta)
  # Richardson with d = 0.1, r = 4 (numDeriv's hessian default; grad's default
  # d = 1e-4 is ~10x less accurate here): df good to ~1e-8 relative where the
  # exact df is known (complete data: n - 2).
  g <- numDeriv::grad(lphil, fit$theta, method.args = list(d = 0.1, r = 4))
  W <- solve(fit$hessian)
  est <- sum(L * fit$parts$beta)
  se <- sqrt(v)
  df <- 2 * v^2 / drop(t(g) %*% W %*% g)
  tval <- est / se
  list(estimate = est, se = se, df = df, t = tval,
       p = 2 * pt(abs(tval), df, lower.tail = FALSE),
       ci = est + c(-1, 1) * qt(0.975, df) * se)
}

# ---------------------------------------------------------------------------
# 4b. Analytic REML derivatives (small N: full N x N matrices), for the
#     unstructured Sigma (MMRM). With V = block-diag Sigma[idx_i, idx_i], P = V^-1 -
#     V^-1 X Phi X' V^-1, V_k = dV/dtheta_k, V_kl = d2V/dtheta_k dtheta_l:
#       dl/dk     = -1/2 tr(P V_k) + 1/2 y' P V_k P y
#       d2l/dk dl = 1/2 tr(P V_k P V_l) - 1/2 tr(P V_kl)
#                   - y' P V_k P V_l P y + 1/2 y' P V_kl P y   (observed)
#       dPhi/dk   = Phi X' V^-1 V_k V^-1 X Phi
# ---------------------------------------------------------------------------

# dSigma/dtheta for Sigma = L L': E_k = dL/dtheta_k; first derivatives
# E_k L' + L E_k'; second E_k E_l' + E_l E_k' (+ E_k L' + L E_k' when k = l is
# a log-diagonal parameter, since d exp(t)/dt = exp(t)).
unstructured_dsigma <- function(theta, V) {
  L <- matrix(0, V, V)
  diag(L) <- exp(theta[seq_len(V)])
  L[lower.tri(L)] <- theta[-seq_len(V)]
  pos <- rbind(cbind(seq_len(V), seq_len(V)), which(lower.tri(L), arr.ind = TRUE))
  K <- length(theta)
  E <- lapply(seq_len(K), function(k) {
    e <- matrix(0, V, V)
    e[pos[k, 1], pos[k, 2]] <- if (k <= V) exp(theta[k]) else 1
    e
  })
  d1 <- lapply(E, function(e) e %*% t(L) + L %*% t(e))
  d2 <- lapply(seq_len(K), function(k) lapply(seq_len(K), function(l) {
    out <- E[[k]] %*% t(E[[l]]) + E[[l]] %*% t(E[[k]])
    if (k == l && k <= V) out <- out + d1[[k]]
    out
  }))
  list(d1 = d1, d2 = d2)
}

# sigma_fun(theta) -> V x V Sigma; dsigma_fun(theta) -> list(d1, d2).
reml_analytic <- function(theta, y, X, subject, idx, sigma_fun, dsigma_fun) {
  same <- outer(as.integer(subject), as.integer(subject), "==")
  full <- function(S) S[idx, idx] * same
  Vf <- full(sigma_fun(theta))
  Vi <- chol2inv(chol(Vf))
  ViX <- Vi %*% X
  Phi <- chol2inv(chol(crossprod(X, ViX)))
  P <- Vi - ViX %*% Phi %*% t(ViX)
  Py <- drop(P %*% y)
  ds <- dsigma_fun(theta)
  K <- length(theta)
  Vk <- lapply(ds$d1, full)
  PVk <- lapply(Vk, function(M) P %*% M)
  grad <- vapply(seq_len(K), function(k)
    -0.5 * sum(diag(PVk[[k]])) + 0.5 * sum(Py * (Vk[[k]] %*% Py)), 0)
  hess <- matrix(0, K, K)
  for (k in seq_len(K)) for (l in seq_len(K)) {
    Vkl <- full(ds$d2[[k]][[l]])
    hess[k, l] <- 0.5 * sum(t(PVk[[k]]) * PVk[[l]]) - 0.5 * sum(P * Vkl) -
      sum((Vk[[k]] %*% Py) * (P %*% (Vk[[l]] %*% Py))) +
      0.5 * sum(Py * (Vkl %*% Py))
  }
  dPhi <- lapply(Vk, function(M) Phi %*% crossprod(ViX, M %*% ViX) %*% Phi)
  list(grad = grad, hess = hess, Phi = Phi, dPhi = dPhi)
}

# Newton polish with the analytic gradient and Hessian, starting from the
# numerical maximum; a step is kept while it shrinks the gradient (the
# log-likelihood itself no longer changes at double precision there).
reml_polish <- function(fit, y, X, subject, idx, blocks, sigma_fun, dsigma_fun) {
  th <- fit$theta
  a <- reml_analytic(th, y, X, subject, idx, sigma_fun, dsigma_fun)
  for (k in 1:20) {
    if (max(abs(a$grad)) < 1e-12) break
    cand <- th - solve(a$hess, a$grad)
    ac <- reml_analytic(cand, y, X, subject, idx, sigma_fun, dsigma_fun)
    if (max(abs(ac$grad)) < max(abs(a$grad))) { th <- cand; a <- ac } else break
  }
  list(theta = th, parts = reml_parts(th, blocks, sigma_fun), analytic = a)
}

# Satterthwaite df with analytic g and W = (-Hessian)^-1.
reml_contrast_analytic <- function(pfit, L) {
  a <- pfit$analytic
  v <- drop(L %*% a$Phi %*% L)
  g <- vapply(a$dPhi, function(D) drop(L %*% D %*% L), 0)
  W <- solve(-a$hess)
  est <- sum(L * pfit$parts$beta)
  se <- sqrt(v)
  df <- 2 * v^2 / drop(t(g) %*% W %*% g)
  tval <- est / se
  list(estimate = est, se = se, df = df, t = tval,
       p = 2 * pt(abs(tval), df, lower.tail = FALSE),
       ci = est + c(-1, 1) * qt(0.975, df) * se)
}

# ---------------------------------------------------------------------------
# 5. MMRM: CHG ~ visit + BASE + BASE:visit, unstructured Sigma, REML
# ---------------------------------------------------------------------------

mmrm_data <- function(ds) {
  df <- DATA[[ds]]
  visits <- VISITS[[ds]]
  post <- visits[-1]
  b <- df[df$visit == visits[1], ]
  m <- df[df$visit %in% post & df$subject %in% b$subject, ]
  m$BASE <- b$value[match(m$subject, b$subject)]
  m$CHG <- m$value - m$BASE
  m$visit <- factor(m$visit, levels = post)
  m$visit_index <- as.integer(m$visit)
  m$subject <- factor(m$subject, levels = unique(df$subject))
  m <- m[order(as.integer(m$subject), m$visit_index), ]
  m$subject <- droplevels(m$subject)
  rownames(m) <- NULL
  m
}

mmrm_rows <- function(ds) {
  m <- mmrm_data(ds)
  post <- levels(m$visit)
  V <- length(post)
  X <- model.matrix(~ visit + BASE + BASE:visit, data = m)
  blocks <- make_blocks(m$CHG, X, m$subject, m$visit_index)
  sigma_fun <- function(th) unstructured_sigma(th, V)

  # nlme::gls with the same model: starting values and cross-check.
  gfit <- nlme::gls(CHG ~ visit * BASE, data = m,
                    correlation = corSymm(form = ~ visit_index | subject),
                    weights = varIdent(form = ~ 1 | visit), method = "REML",
                    control = glsControl(natural = FALSE, tolerance = 1e-10,
                                         msTol = 1e-12, maxIter = 1000,
                                         msMaxIter = 1000))
  stopifnot(setequal(colnames(X), names(coef(gfit))))
  full <- names(which(table(m$subject) == V))[1]
  S0 <- unclass(getVarCov(gfit, individual = full))
  L0 <- t(chol(S0))
  theta0 <- c(log(diag(L0)), L0[lower.tri(L0)])
  nfit <- reml_fit(theta0, blocks, sigma_fun)                  # numDeriv route
  fit <- reml_polish(nfit, m$CHG, X, m$subject, m$visit_index, blocks,
                     sigma_fun, function(th) unstructured_dsigma(th, V))  # analytic route
  Sigma <- sigma_fun(fit$theta)
  cat(sprintf("[%s] MMRM analytic |grad| %.2g (numDeriv route %.2g); loglik gain from polish %.3g\n",
              ds, max(abs(fit$analytic$grad)), max(abs(nfit$grad)),
              fit$parts$loglik - nfit$parts$loglik))

  # Cross-checks against gls (printed; summarised in README).
  ll_gls <- as.numeric(logLik(gfit))
  beta_gls <- unname(coef(gfit))
  cat(sprintf("[%s] MMRM own REML loglik %.12f, gls %.12f, diff %.3g; max|grad| %.2g; max|beta diff| %.3g; max|Sigma diff|/max|Sigma| %.3g\n",
              ds, fit$parts$loglik, ll_gls, fit$parts$loglik - ll_gls,
              max(abs(fit$analytic$grad)), max(abs(fit$parts$beta - beta_gls[match(colnames(X), names(coef(gfit)))] )),
              max(abs(Sigma - S0)) / max(abs(Sigma))))
  stopifnot(abs(fit$parts$loglik - ll_gls) < 1e-5)

  base_mean <- mean(m$BASE)          # over the rows used in the fit
  call_own <- "own REML, CHG ~ visit + BASE + BASE:visit, unstructured Sigma (Cholesky), Satterthwaite df with analytic derivatives (numDeriv agrees ~1e-8)"
  out <- list()
  # emmeans NOTE "results may be misleading due to involvement in
  # interactions" is expected: the LS means are at mean(BASE) by design.
  emm <- suppressMessages(summary(emmeans(gfit, ~ visit, mode = "satterthwaite", data = m)))
  for (j in seq_len(V)) {
    L <- as.numeric(colnames(X) == "(Intercept)") +
      as.numeric(colnames(X) == paste0("visit", post[j])) +
      base_mean * as.numeric(colnames(X) == "BASE") +
      base_mean * as.numeric(colnames(X) == paste0("visit", post[j], ":BASE"))
    cr <- reml_contrast_analytic(fit, L)
    crn <- reml_contrast(nfit, L, blocks, sigma_fun)
    cat(sprintf("[%s] %s own df analytic %.12f, numDeriv %.12f, rel diff %.3g; SE rel diff %.3g\n",
                ds, post[j], cr$df, crn$df, (crn$df - cr$df) / cr$df,
                (crn$se - cr$se) / cr$se))
    n_j <- sum(m$visit == post[j])
    out[[post[j]]] <- row(ds, post[j], "mmrm", "lsmean_change", cr$estimate,
                          cr$se, cr$ci[1], cr$ci[2], cr$t, cr$df, cr$p, n_j,
                          paste0(call_own, "; LS mean at mean(BASE) over fitted rows = ",
                                 sprintf("%.17g", base_mean)))
    e <- emm[emm$visit == post[j], ]
    te <- e$emmean / e$SE
    out[[paste0("emm", j)]] <- row(
      ds, post[j], "mmrm_emmeans", "lsmean_change", e$emmean, e$SE,
      e$lower.CL, e$upper.CL, te, e$df, 2 * pt(abs(te), e$df, lower.tail = FALSE),
      n_j, "emmeans(gls(CHG ~ visit * BASE, corSymm(~ visit_index | subject), varIdent(~ 1 | visit), REML, glsControl(natural = FALSE)), ~ visit, mode = \"satterthwaite\")")
    cat(sprintf("[%s] %s LS mean: own %.10f (SE %.10f, df %.6f); emmeans %.10f (SE %.10f, df %.6f); rel df diff %.3g\n",
                ds, post[j], cr$estimate, cr$se, cr$df, e$emmean, e$SE, e$df,
                (e$df - cr$df) / cr$df))
  }
  n_obs <- fit$parts$N
  model <- list(
    row(ds, "", "mmrm", "reml_loglik", fit$parts$loglik, n = n_obs,
        call = paste0(call_own, "; max REML log-likelihood (no log|X'X| term, as nlme/lme4)")),
    row(ds, "", "mmrm", "n_obs", n_obs, n = n_obs, call = "rows in the MMRM fit"))
  for (j in seq_len(V)) for (k in j:V) {
    model[[length(model) + 1]] <- row(
      ds, "", "mmrm", sprintf("sigma_%d_%d", j, k), Sigma[j, k], n = n_obs,
      call = paste0("Sigma[", j, ",", k, "] over post-baseline visits ",
                    paste(post, collapse = ",")))
  }
  rbind(do.call(rbind, out), do.call(rbind, model))
}

# ---------------------------------------------------------------------------
# 6. Proportions, rates, sizing
# ---------------------------------------------------------------------------

binom_rows <- function() {
  xs <- list(c(0, 20), c(7, 20), c(13, 20), c(20, 20), c(3, 12))
  do.call(rbind, lapply(xs, function(z) {
    ci <- binom.test(z[1], z[2])$conf.int   # Clopper-Pearson via qbeta
    row("binom", paste0(z[1], "/", z[2]), "clopper_pearson", "proportion",
        z[1] / z[2], ci_low = ci[1], ci_high = ci[2], n = z[2],
        call = sprintf("binom.test(%d, %d)$conf.int", z[1], z[2]))
  }))
}

poisson_rows <- function() {
  xs <- list(c(20, 14.5), c(0, 6), c(3, 2.25))
  do.call(rbind, lapply(xs, function(z) {
    ci <- poisson.test(z[1], z[2])$conf.int  # exact, via qgamma
    row("poisson", paste0(z[1], "/", z[2]), "poisson_rate", "rate",
        z[1] / z[2], ci_low = ci[1], ci_high = ci[2],
        call = sprintf("poisson.test(%g, %g)$conf.int", z[1], z[2]))
  }))
}

sizing_rows <- function() {
  s <- 45; n <- 20
  out <- list()
  for (g in c(0.8, 0.95)) {
    out[[length(out) + 1]] <- row(
      "sizing", "sd=45,n=20", "browne_ucl", sprintf("sd_ucl%d", round(100 * g)),
      s * sqrt((n - 1) / qchisq(1 - g, n - 1)), df = n - 1, n = n,
      call = sprintf("45 * sqrt(19 / qchisq(%g, 19))", 1 - g))
  }
  for (D in c(15, 30, 45)) for (P in c(0.8, 0.9)) {
    nn <- power.t.test(delta = D, sd = 45, power = P, sig.level = 0.05,
                       type = "two.sample", tol = 1e-12)$n
    out[[length(out) + 1]] <- row(
      "sizing", sprintf("delta=%g,sd=45,power=%g", D, P), "two_sample_n",
      "n_per_arm", nn, statistic = ceiling(nn),
      call = sprintf("power.t.test(delta = %g, sd = 45, power = %g, sig.level = 0.05, type = \"two.sample\", tol = 1e-12)$n; statistic = ceiling", D, P))
  }
  do.call(rbind, out)
}

# ---------------------------------------------------------------------------
# 7. Bootstrap BCa with a tie rule, exact conditional signed-rank (coin),
#    ordinal shift tables, worst-rank composite, tipping point, ANCOVA sizing
# ---------------------------------------------------------------------------

# BCa tie rule: a resample mean within BCA_TIE_TOL * max|d| of the estimate
# counts as a tie, half below, in z0 = qnorm((#below + #tied / 2) / B).
BCA_TIE_TOL <- 1e-9

# BCa limits from resample means t, estimate t0, influence values L; the
# quantiles are R's type 7 (numpy's default), or boot's norm.inter when asked.
bca_own <- function(t, t0, L, scale, tol, interpolation = c("type7", "norm.inter")) {
  interpolation <- match.arg(interpolation)
  tied <- abs(t - t0) <= tol * scale
  below <- sum(t < t0 & !tied)
  z0 <- qnorm((below + sum(tied) / 2) / length(t))
  a <- sum(L^3) / (6 * sum(L^2)^1.5)
  zalpha <- qnorm(c(0.025, 0.975))
  level <- pnorm(z0 + (z0 + zalpha) / (1 - a * (z0 + zalpha)))
  limits <- if (interpolation == "type7") quantile(t, level, type = 7, names = FALSE)
            else boot:::norm.inter(t, level)[, 2]
  list(limits = limits, z0 = z0, a = a, tied = sum(tied), below = below)
}

bootstrap_rows <- function() {
  ds <- "synth_boot_ties"
  cp <- complete_pairs(DATA[[ds]], "baseline", "week12")
  d <- cp$x_visit - cp$x_base
  set.seed(20240618)
  b <- boot::boot(d, function(x, i) mean(x[i]), R = 1999)
  idx <- boot::boot.array(b, indices = TRUE)
  stopifnot(identical(apply(idx, 1, function(i) mean(d[i])), b$t[, 1]))
  colnames(idx) <- paste0("i", seq_along(d))
  write.table(idx, file.path(DATA_DIR, "synth_boot_ties_indices.csv"), sep = ",",
              row.names = FALSE, quote = FALSE, eol = "\n")
  t <- b$t[, 1]; t0 <- b$t0
  L <- boot::empinf(b, type = "jack")
  # Without the tie rule and with boot's interpolation the own code is boot.ci.
  plain <- bca_own(t, t0, L, max(abs(d)), tol = -1, interpolation = "norm.inter")
  ci <- boot::boot.ci(b, type = "bca", L = L)$bca[4:5]
  stopifnot(isTRUE(all.equal(plain$limits, ci, tolerance = 1e-14)))
  own <- bca_own(t, t0, L, max(abs(d)), tol = BCA_TIE_TOL)
  cat(sprintf("[bootstrap] %d of %d resample means tied with the estimate, %d of them not exactly equal; boot.ci (no tie rule) %.17g %.17g; tie rule %.17g %.17g\n",
              own$tied, length(t), sum(abs(t - t0) <= BCA_TIE_TOL * max(abs(d)) & t != t0),
              ci[1], ci[2], own$limits[1], own$limits[2]))
  how <- "b <- boot::boot(d, function(x, i) mean(x[i]), R = 1999) after set.seed(20240618); indices boot.array(b, indices = TRUE)"
  rule <- "z0 = qnorm((#{t < t0, not tied} + #{|t - t0| <= 1e-9 max|d|} / 2) / B), L = empinf(b, type = \"jack\"), a = sum(L^3) / (6 sum(L^2)^1.5)"
  rbind(
    row(ds, "week12", "bootstrap_bca", "mean_change", t0, std_error = sd(t),
        ci_low = own$limits[1], ci_high = own$limits[2], n = length(d),
        call = paste0(how, "; BCa as boot:::bca.ci with the tie rule ", rule,
                      " and quantile(t, level, type = 7) [boot.ci(b, type = \"bca\", L = L) without the tie rule: ",
                      sprintf("%.17g, %.17g", ci[1], ci[2]), "]")),
    row(ds, "week12", "bootstrap_bca", "z0", own$z0, n = length(d), call = paste0(how, "; ", rule)),
    row(ds, "week12", "bootstrap_bca", "acceleration", own$a, n = length(d), call = paste0(how, "; ", rule)),
    row(ds, "week12", "bootstrap_bca", "tied_resamples", own$tied, n = length(d),
        call = "sum(abs(t - t0) <= 1e-9 * max(abs(d)))"),
    row(ds, "week12", "bootstrap_bca", "below_resamples", own$below, n = length(d),
        call = "sum(t < t0 & !tied)"))
}

# coin's exact conditional Wilcoxon-Pratt signed-rank test: zeros keep their
# place in the ranking of |d| but carry no sign; ties get mid-ranks; the null
# distribution is that of the 2^n sign patterns of those ranks. Ties and zeros
# are judged on d rounded to 10 digits of max|d| (rank_scale), so that changes
# equal as decimals but not as doubles (0.0392 - 0.0292 vs 0.0345 - 0.0245) tie;
# coin itself would rank the doubles.
rank_scale <- function(d) round(d / max(abs(d)), 10)

wilcoxon_pratt <- function(ds, vis, xv, xb) {
  d <- rank_scale(xv - xb)
  wt <- coin::wilcoxsign_test(d ~ numeric(length(d)), distribution = "exact", zero.method = "Pratt")
  raw <- coin::wilcoxsign_test(xv ~ xb, distribution = "exact", zero.method = "Pratt")
  if (pvalue(raw) != pvalue(wt)) {
    cat(sprintf("[%s %s] exact Pratt p on the doubles %.17g, on the rounded changes %.17g (%d vs %d distinct |d|)\n",
                ds, vis, pvalue(raw), pvalue(wt), length(unique(abs(xv - xb))), length(unique(abs(d)))))
  }
  row(ds, vis, "wilcoxon_pratt_exact", "V", statistic = as.numeric(statistic(wt, type = "linear")),
      p_value = as.numeric(pvalue(wt)), n = length(xv),
      call = "d <- round((x_visit - x_base) / max(abs(x_visit - x_base)), 10); coin::wilcoxsign_test(d ~ numeric(n), distribution = \"exact\", zero.method = \"Pratt\"): statistic(type = \"linear\"), pvalue")
}

NYHA_LEVELS <- 1:4

nyha_rows <- function() {
  ds <- "synth_nyha"
  out <- list()
  for (vis in OTHER_VISITS[[ds]][-1]) {
    cp <- complete_pairs(DATA[[ds]], "baseline", vis)
    n <- length(cp$x_base)
    tab <- table(factor(cp$x_base, NYHA_LEVELS), factor(cp$x_visit, NYHA_LEVELS))
    for (b in NYHA_LEVELS) for (v in NYHA_LEVELS) {
      out[[length(out) + 1]] <- row(ds, vis, "shift_table", sprintf("count[baseline=%d,visit=%d]", b, v),
                                    tab[as.character(b), as.character(v)], n = n,
                                    call = "table(factor(x_base, 1:4), factor(x_visit, 1:4))")
    }
    for (k in 1:2) {
      x <- sum(cp$x_base - cp$x_visit >= k)
      ci <- binom.test(x, n)$conf.int
      out[[length(out) + 1]] <- row(ds, vis, "ordinal_improvement", sprintf("improved_ge%d", k), x / n,
                                    ci_low = ci[1], ci_high = ci[2], n = n,
                                    call = sprintf("x <- sum(x_base - x_visit >= %d); binom.test(x, n)$conf.int [x = %d]", k, x))
    }
  }
  do.call(rbind, out)
}

# Worst-rank composite: observed changes keep their value; an intercurrent
# event scores below every observed change, worst first in EVENT_ORDER:
# score = -(max|observed change| + K + 1 - k) for the k-th category of K.
EVENT_ORDER <- c("death", "lvad", "hf_not_done")

worst_rank_rows <- function() {
  ds <- "synth_events"
  df <- DATA[[ds]]
  base <- df[df$visit == "baseline", ]
  post <- df[df$visit == "week16", ]
  change <- post$value[match(base$subject, post$subject)] - base$value
  event <- EVENT_STATUS$event[match(base$subject, EVENT_STATUS$subject)]
  observed <- event == "" & !is.na(change)
  ranked <- observed | event %in% EVENT_ORDER
  top <- max(abs(change[observed]))
  k <- match(event, EVENT_ORDER)
  score <- ifelse(observed, change, -(top + length(EVENT_ORDER) + 1 - k))[ranked]
  wt <- coin::wilcoxsign_test(rank_scale(score) ~ numeric(length(score)), distribution = "exact", zero.method = "Pratt")
  call <- paste0("score = change if observed, else -(max|change| + 4 - k) for k = match(event, c(\"death\", \"lvad\", \"hf_not_done\")); ",
                 "coin::wilcoxsign_test(round(score / max(abs(score)), 10) ~ numeric(n), distribution = \"exact\", zero.method = \"Pratt\")")
  rows <- list(row(ds, "week16", "worst_rank_composite", "V", statistic = as.numeric(statistic(wt, type = "linear")),
                   p_value = as.numeric(pvalue(wt)), n = sum(ranked), call = call))
  for (cat_name in c(EVENT_ORDER, "observed")) {
    count <- if (cat_name == "observed") sum(observed) else sum(event == cat_name)
    rows[[length(rows) + 1]] <- row(ds, "week16", "worst_rank_composite", sprintf("count[%s]", cat_name),
                                    count, n = sum(ranked), call = "subjects per category")
  }
  do.call(rbind, rows)
}

# Tipping point: each missing change (a subject with a baseline and no value at
# the visit) is imputed at the observed mean change plus delta; the mean over
# all N subjects is m + pi * delta (pi = missing share) with the observed SE and
# df: CI(delta) = m + pi * delta +/- qt(0.975, n_obs - 1) * SE.
TIPPING_GRID <- c(-20, -10, 0, 10)

tipping_rows <- function(ds, vis) {
  df <- DATA[[ds]]
  base <- df[df$visit == "baseline", ]
  post <- df[df$visit == vis, ]
  change <- post$value[match(base$subject, post$subject)] - base$value
  obs <- change[!is.na(change)]
  N <- length(change); share <- mean(is.na(change))
  tt <- t.test(obs)
  q <- qt(0.975, tt$parameter)
  ci_at <- function(delta) tt$estimate + share * delta + c(-1, 1) * q * tt$stderr
  if (tt$conf.int[1] <= 0 && tt$conf.int[2] >= 0) {
    closed <- 0
    call <- "t.test(observed change)$conf.int includes 0: no shift needed, delta = 0"
  } else {
    edge <- if (tt$conf.int[1] > 0) 1 else 2
    root <- uniroot(function(delta) ci_at(delta)[edge], c(-1e4, 1e4), tol = 1e-13)$root
    closed <- -tt$conf.int[edge] / share
    stopifnot(abs(root - closed) < 1e-9 * max(1, abs(closed)))
    call <- sprintf("tt <- t.test(observed change); delta solving CI(delta)[%d] = 0, CI(delta) = mean + %d/%d * delta +/- qt(0.975, df) * stderr: -tt$conf.int[%d] / (%d/%d) [uniroot agrees: %.17g]",
                    edge, sum(is.na(change)), N, edge, sum(is.na(change)), N, root)
  }
  rows <- list(row(ds, vis, "tipping_point", "delta_tipping", closed, n = N, call = call))
  for (delta in TIPPING_GRID) {
    ci <- ci_at(delta)
    rows[[length(rows) + 1]] <- row(ds, vis, "tipping_point", sprintf("mean_change[delta=%g]", delta),
                                    tt$estimate + share * delta, tt$stderr, ci[1], ci[2], df = tt$parameter, n = N,
                                    call = sprintf("mean + share * %g, stderr, CI of t.test(observed change) shifted by share * delta", delta))
  }
  do.call(rbind, rows)
}

# ANCOVA sizing: residual SD sd(y) * sqrt(1 - r^2) with r = cor(baseline, visit)
# on complete pairs (Fisher z CI from cor.test); Browne's UCL on the regression
# residual SD (n - 2 df); power.t.test on each SD; enrolment n / (1 - dropout)
# with dropout the share of subjects with a baseline and no value at the visit.
ancova_rows <- function(ds, vis) {
  df <- DATA[[ds]]
  cp <- complete_pairs(df, "baseline", vis)
  x <- cp$x_base; y <- cp$x_visit; n <- length(x)
  n_base <- sum(df$visit == "baseline")
  dropout <- (n_base - n) / n_base
  ct <- cor.test(x, y)
  r <- unname(ct$estimate)
  s_anc <- sd(y) * sqrt(1 - r^2)
  s_res <- summary(lm(y ~ x))$sigma
  sds <- c(sd_ancova = s_anc,
           sd_ancova_ucl80 = s_res * sqrt((n - 2) / qchisq(0.2, n - 2)),
           sd_ancova_ucl95 = s_res * sqrt((n - 2) / qchisq(0.05, n - 2)))
  m <- "next_trial_size_ancova"
  rows <- list(
    row(ds, vis, m, "correlation", r, ci_low = ct$conf.int[1], ci_high = ct$conf.int[2], n = n,
        call = "cor.test(x_base, x_visit) (Pearson; CI tanh(atanh(r) +/- qnorm(0.975) / sqrt(n - 3)))"),
    row(ds, vis, m, "sd_visit", sd(y), df = n - 1, n = n, call = "sd(x_visit)"),
    row(ds, vis, m, "sd_ancova", s_anc, n = n, call = "sd(x_visit) * sqrt(1 - cor(x_base, x_visit)^2)"),
    row(ds, vis, m, "sd_residual", s_res, df = n - 2, n = n, call = "summary(lm(x_visit ~ x_base))$sigma"),
    row(ds, vis, m, "sd_ancova_ucl80", sds[["sd_ancova_ucl80"]], df = n - 2, n = n,
        call = "sigma * sqrt((n - 2) / qchisq(0.2, n - 2)), sigma = summary(lm(x_visit ~ x_base))$sigma"),
    row(ds, vis, m, "sd_ancova_ucl95", sds[["sd_ancova_ucl95"]], df = n - 2, n = n,
        call = "sigma * sqrt((n - 2) / qchisq(0.05, n - 2))"),
    row(ds, vis, m, "dropout", dropout, n = n_base,
        call = sprintf("(subjects with baseline - complete pairs) / subjects with baseline = %d/%d", n_base - n, n_base)))
  for (basis in c("sd_ancova", "sd_ancova_ucl80")) for (D in c(30)) for (P in c(0.8, 0.9)) {
    nn <- power.t.test(delta = D, sd = sds[[basis]], power = P, sig.level = 0.05,
                       type = "two.sample", tol = 1e-12)$n
    label <- sprintf("[delta=%g,power=%g,sd=%s]", D, P, basis)
    pcall <- sprintf("power.t.test(delta = %g, sd = %s, power = %g, sig.level = 0.05, type = \"two.sample\", tol = 1e-12)$n", D, basis, P)
    rows[[length(rows) + 1]] <- row(ds, vis, m, paste0("n_per_arm", label), nn, statistic = ceiling(nn), n = n,
                                    call = paste0(pcall, "; statistic = ceiling"))
    rows[[length(rows) + 1]] <- row(ds, vis, m, paste0("n_enrol_per_arm", label), nn / (1 - dropout),
                                    statistic = ceiling(nn / (1 - dropout)), n = n,
                                    call = paste0(pcall, " / (1 - dropout); statistic = ceiling"))
  }
  do.call(rbind, rows)
}

# ---------------------------------------------------------------------------
# 8. Assemble and write
# ---------------------------------------------------------------------------

rows <- list()
for (ds in names(VISITS)) rows[[paste("paired", ds)]] <- paired_rows(ds)
for (ds in c("sleepstudy_d0_3", "synth_ties", "synth_missing")) {
  rows[[paste("mmrm", ds)]] <- mmrm_rows(ds)
}
rows$binom <- binom_rows()
rows$poisson <- poisson_rows()
rows$sizing <- sizing_rows()
rows$bootstrap <- bootstrap_rows()
rows$nyha <- nyha_rows()
rows$worst_rank <- worst_rank_rows()
for (vis in c("week12", "week16")) rows[[paste("tipping", vis)]] <- tipping_rows("synth_missing", vis)
for (ds in c("synth_ties", "synth_missing")) rows[[paste("ancova", ds)]] <- ancova_rows(ds, "week12")
res <- do.call(rbind, rows)
rownames(res) <- NULL

num_cols <- c("estimate", "std_error", "ci_low", "ci_high", "statistic", "df",
              "p_value", "n")
out <- res
for (cc in num_cols) out[[cc]] <- fmt_num(res[[cc]])
write.table(out, file.path(VALUES_DIR, "reference.csv"), sep = ",",
            row.names = FALSE, eol = "\n", na = "",
            quote = which(names(out) %in% c("dataset", "visit", "method", "term", "call")),
            qmethod = "double")

versions <- c(R.version.string,
              vapply(c("lme4", "nlme", "emmeans", "numDeriv", "boot", "coin"),
                     function(p) paste(p, as.character(packageVersion(p))), ""))
writeLines(versions, file.path(VALUES_DIR, "versions.txt"))

cat(sprintf("wrote %d reference rows in %.1f s\n", nrow(res),
            proc.time()[["elapsed"]] - t_start))
