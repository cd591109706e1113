#!/usr/bin/env Rscript
# Independent reference values for the general MMRM engine (`aidheart mmrm`).
#
# Run from the repository root:
#     Rscript tests/reference/make_reference_mmrm.R
#
# Writes tests/reference/values/mmrm_reference.csv: one row per model x df method x
# ARD method x term, each number with sprintf("%.17g") and the R call beside it.
#
# Nothing here shares code with the Python engine. The REML / ML log-likelihood is
# written out per subject block; the optimum comes from nlminb started at nlme::gls's
# estimate and is polished by Newton steps with numDeriv's gradient and Hessian; the
# covariance derivatives dSigma/dtheta and d2Sigma/dtheta2 come from numDeriv::jacobian /
# hessian of the structure's Sigma(theta) (no hand-written derivatives); Satterthwaite's
# g = d(l' Phi l)/dtheta from numDeriv's jacobian of Phi(theta); Kenward-Roger from the
# 1997 paper's formulas (P, Q, R per subject, the general A1/A2/E*/V* df formula).
# Design matrices and contrasts are R's own model.matrix. Cross-checks against
# nlme::gls (log-likelihood, Sigma) and emmeans (LS means) are printed and asserted
# loosely. Definitions and tolerances: tests/reference/MMRM.md.

options(warn = 1)  # print warnings as they occur, beside the model they belong to
suppressPackageStartupMessages({
  library(nlme)
  library(numDeriv)
  library(emmeans)
})

if (!file.exists("tests/reference/make_reference_mmrm.R")) {
  stop("run from the repository root: Rscript tests/reference/make_reference_mmrm.R")
}
t_start <- proc.time()[["elapsed"]]
OUT <- "tests/reference/values/mmrm_reference.csv"

fmt_num <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "", sprintf("%.17g", x))
}

# ---------------------------------------------------------------------------
# Covariance structures in SAS PROC MIXED's parameters (REPEATED / TYPE=)
# ---------------------------------------------------------------------------

# us: theta = Sigma[j, k], j <= k, row-major (UN(j,k)).
sigma_us <- function(th, K) {
  S <- matrix(0, K, K)
  k <- 0
  for (i in 1:K) for (j in i:K) { k <- k + 1; S[i, j] <- th[k]; S[j, i] <- th[k] }
  S
}
# cs: theta = (CS covariance c, residual s2): Sigma = c J + s2 I.
sigma_cs <- function(th, K) th[1] * matrix(1, K, K) + th[2] * diag(K)
# ar1: theta = (rho, s2): Sigma[j, k] = s2 rho^|j - k|.
sigma_ar1 <- function(th, K) th[2] * th[1]^abs(outer(1:K, 1:K, "-"))
# csh: theta = (v_1..v_K, rho): Sigma[j, k] = sqrt(v_j v_k) rho off the diagonal.
sigma_csh <- function(th, K) {
  s <- sqrt(th[1:K]); C <- matrix(th[K + 1], K, K); diag(C) <- 1
  outer(s, s) * C
}
# toeph: theta = (v_1..v_K, rho_1..rho_{K-1}): Sigma[j, k] = sqrt(v_j v_k) rho_|j-k|.
sigma_toeph <- function(th, K) {
  s <- sqrt(th[1:K]); lag <- abs(outer(1:K, 1:K, "-"))
  C <- matrix(c(1, th[-(1:K)])[lag + 1], K, K)
  outer(s, s) * C
}
SIGMA <- list(us = sigma_us, cs = sigma_cs, ar1 = sigma_ar1, csh = sigma_csh, toeph = sigma_toeph)

# gls fit with the equivalent nlme structure; its Sigma gives the starting theta.
gls_fit <- function(fixed, m, structure, reml) {
  ctrl <- glsControl(natural = FALSE, tolerance = 1e-10, msTol = 1e-12, maxIter = 1000, msMaxIter = 1000)
  K <- nlevels(m$visit_f)
  cor <- switch(structure,
    us = corSymm(form = ~ visit_index | subject_f),
    cs = corCompSymm(form = ~ 1 | subject_f),
    ar1 = corAR1(form = ~ visit_index | subject_f),
    csh = corCompSymm(form = ~ 1 | subject_f),
    toeph = corARMA(form = ~ visit_index | subject_f, p = K - 1))
  method <- if (reml) "REML" else "ML"
  if (structure %in% c("us", "csh", "toeph")) {
    gls(fixed, data = m, correlation = cor, weights = varIdent(form = ~ 1 | visit_f), method = method, control = ctrl)
  } else {
    gls(fixed, data = m, correlation = cor, method = method, control = ctrl)
  }
}

gls_sigma <- function(g, m) {
  K <- nlevels(m$visit_f)
  full <- names(which(table(m$subject_f) == K))[1]
  unclass(getVarCov(g, individual = full))
}

theta_from_sigma <- function(S, structure) {
  K <- nrow(S)
  off <- S[upper.tri(S)]
  switch(structure,
    us = unlist(lapply(1:K, function(i) S[i, i:K])),
    cs = c(mean(off), mean(diag(S)) - mean(off)),
    ar1 = c(S[1, 2] / S[1, 1], S[1, 1]),
    csh = c(diag(S), mean(cov2cor(S)[upper.tri(S)])),
    toeph = c(diag(S), sapply(1:(K - 1), function(d) cov2cor(S)[1, 1 + d])))
}

# ---------------------------------------------------------------------------
# Likelihood per subject block
# ---------------------------------------------------------------------------

# Subjects grouped by the visits they were seen at. Per pattern: idx (visits), Y (m x n)
# and X (m x (p n), subject i's m x p block in columns (i - 1) p + 1:p), so a backsolve
# or a product with an m x m matrix treats every subject of the pattern at once.
make_blocks <- function(y, X, subject, idx) {
  p <- ncol(X)
  per_subject <- split(seq_along(y), subject)
  key <- vapply(per_subject, function(r) paste(idx[r], collapse = ","), "")
  lapply(split(per_subject, key), function(members) {
    r1 <- members[[1]]
    list(idx = idx[r1], n = length(members), p = p,
         Y = sapply(members, function(r) y[r], simplify = "matrix") |> matrix(nrow = length(r1)),
         X = do.call(cbind, lapply(members, function(r) X[r, , drop = FALSE])))
  })
}

# An m x (c n) stack of n subjects' m x c blocks as one (m n) x c matrix, rows (visit, subject).
flat <- function(M, n) {
  m <- nrow(M)
  matrix(aperm(array(M, c(m, ncol(M) / n, n)), c(1, 3, 2)), m * n)
}

# sum_i A_i' B_i over the subjects of a pattern, A and B stacked as in make_blocks.
stack_cross <- function(A, B, n) crossprod(flat(A, n), flat(B, n))

# GLS pieces and -2 log-likelihood (REML: + log|X' V^-1 X| and (N - p) log 2 pi).
gls_parts <- function(S, blocks, reml) {
  p <- blocks[[1]]$p
  XtVX <- matrix(0, p, p); XtVy <- numeric(p); logdet <- 0; N <- 0
  pre <- lapply(blocks, function(b) {
    C <- chol(S[b$idx, b$idx, drop = FALSE])
    list(C = C, Xs = backsolve(C, b$X, transpose = TRUE), ys = backsolve(C, b$Y, transpose = TRUE), b = b)
  })
  for (q in pre) {
    logdet <- logdet + q$b$n * 2 * sum(log(diag(q$C)))
    XtVX <- XtVX + stack_cross(q$Xs, q$Xs, q$b$n)
    XtVy <- XtVy + drop(stack_cross(q$Xs, q$ys, q$b$n))
    N <- N + length(q$ys)
  }
  R <- chol(XtVX)
  beta <- backsolve(R, backsolve(R, XtVy, transpose = TRUE))
  quad <- 0
  for (q in pre) quad <- quad + sum((as.vector(q$ys) - drop(flat(q$Xs, q$b$n) %*% beta))^2)
  m2ll <- logdet + quad + if (reml) 2 * sum(log(diag(R))) + (N - p) * log(2 * pi) else N * log(2 * pi)
  list(m2ll = m2ll, beta = beta, Phi = chol2inv(R), N = N, p = p)
}

admissible <- function(th, structure, K) {
  if (structure == "ar1") return(abs(th[1]) < 1 && th[2] > 0)
  if (structure %in% c("csh", "toeph")) return(all(th[1:K] > 0) && all(abs(th[-(1:K)]) < 1))
  TRUE
}

# Natural size of each parameter (a variance, a covariance's sqrt(v_j v_k), 1 for a
# correlation). numDeriv's steps are relative to |theta| by default: tiny for a
# covariance near 0 (rounding error then dominates) and too large for a highly
# correlated Sigma (leaving the positive-definite region). Differentiating in
# u = (theta - theta0) / scale with absolute steps eps = 0.01 (at u = 0) avoids both.
theta_scale <- function(th, structure, K) {
  S <- SIGMA[[structure]](th, K)
  v <- diag(S)
  switch(structure,
    us = unlist(lapply(1:K, function(i) sqrt(v[i] * v[i:K]))),
    cs = rep(mean(v), 2),
    ar1 = c(1, v[1]),
    csh = c(v, 1),
    toeph = c(v, rep(1, K - 1)))
}
scaled_hessian <- function(f, th, scale) {
  H <- numDeriv::hessian(function(u) f(th + scale * u), rep(0, length(th)), method.args = list(eps = 0.01, d = 0.01, r = 4))
  H / outer(scale, scale)
}
scaled_jacobian <- function(f, th, scale) {
  J <- numDeriv::jacobian(function(u) f(th + scale * u), rep(0, length(th)), method.args = list(eps = 0.01, d = 0.01, r = 4))
  sweep(J, 2, scale, "/")
}

fit_own <- function(theta0, blocks, structure, K, reml) {
  sfun <- function(th) SIGMA[[structure]](th, K)
  f <- function(th) {
    if (!admissible(th, structure, K)) return(1e100)
    S <- sfun(th)
    if (min(eigen(S, symmetric = TRUE, only.values = TRUE)$values) <= 0) return(1e100)
    gls_parts(S, blocks, reml)$m2ll
  }
  opt <- nlminb(theta0, f, control = list(rel.tol = 1e-15, x.tol = 1e-13, eval.max = 1e5, iter.max = 1e5))
  th <- opt$par
  hess <- function(th) scaled_hessian(f, th, theta_scale(th, structure, K))
  for (k in 1:10) {                       # Newton polish with numDeriv (Richardson)
    g <- numDeriv::grad(f, th)
    if (max(abs(g)) < 1e-9) break
    H <- hess(th)
    cand <- th - solve(H, g)
    if (max(abs(numDeriv::grad(f, cand))) < max(abs(g))) th <- cand else break
  }
  H <- hess(th)                          # Hessian of -2 logL
  list(theta = th, Sigma = sfun(th), parts = gls_parts(sfun(th), blocks, reml),
       grad = numDeriv::grad(f, th), W = 2 * solve(H), sfun = sfun)
}

# ---------------------------------------------------------------------------
# Kenward-Roger (1997) from numerical dSigma, d2Sigma
# ---------------------------------------------------------------------------

kr_pieces <- function(fit, blocks, K) {
  th <- fit$theta; A <- length(th)
  J <- numDeriv::jacobian(function(t) as.vector(fit$sfun(t)), th)            # K^2 x A
  G <- lapply(1:A, function(a) matrix(J[, a], K, K))
  H2 <- lapply(1:(K * K), function(e) numDeriv::hessian(function(t) as.vector(fit$sfun(t))[e], th))
  G2 <- lapply(1:A, function(a) lapply(1:A, function(b) matrix(sapply(H2, function(h) h[a, b]), K, K)))
  p <- blocks[[1]]$p
  P <- lapply(1:A, function(a) matrix(0, p, p))
  Q <- lapply(1:A, function(a) lapply(1:A, function(b) matrix(0, p, p)))
  R <- Q
  for (b in blocks) {
    i <- b$idx
    Si <- fit$Sigma[i, i, drop = FALSE]
    Vi <- solve(Si)
    ViX <- Vi %*% b$X
    dVinv <- lapply(G, function(g) -Vi %*% g[i, i, drop = FALSE] %*% Vi)  # dV^-1/dtheta_a
    for (a in 1:A) {
      P[[a]] <- P[[a]] + stack_cross(b$X, dVinv[[a]] %*% b$X, b$n)
      for (c in 1:A) {
        Q[[a]][[c]] <- Q[[a]][[c]] + stack_cross(b$X, dVinv[[a]] %*% Si %*% dVinv[[c]] %*% b$X, b$n)
        R[[a]][[c]] <- R[[a]][[c]] + stack_cross(ViX, G2[[a]][[c]][i, i, drop = FALSE] %*% ViX, b$n)
      }
    }
  }
  list(P = P, Q = Q, R = R, A = A)
}

kr_covariance <- function(fit, kr, linear) {
  Phi <- fit$parts$Phi; W <- fit$W
  U <- matrix(0, nrow(Phi), ncol(Phi))
  for (a in 1:kr$A) for (c in 1:kr$A) {
    term <- kr$Q[[a]][[c]] - kr$P[[a]] %*% Phi %*% kr$P[[c]]
    if (!linear) term <- term - 0.25 * kr$R[[a]][[c]]
    U <- U + W[a, c] * term
  }
  Phi + 2 * Phi %*% U %*% Phi
}

# Kenward & Roger's denominator df for the hypothesis L beta = 0 (rows of L), general formula.
kr_df <- function(L, fit, kr) {
  L <- matrix(L, nrow = 1); Phi <- fit$parts$Phi; W <- fit$W; q <- nrow(L)
  Theta <- t(L) %*% solve(L %*% Phi %*% t(L)) %*% L
  u <- lapply(kr$P, function(Pa) Theta %*% Phi %*% Pa %*% Phi)
  A1 <- 0; A2 <- 0
  for (a in 1:kr$A) for (c in 1:kr$A) {
    A1 <- A1 + W[a, c] * sum(diag(u[[a]])) * sum(diag(u[[c]]))
    A2 <- A2 + W[a, c] * sum(diag(u[[a]] %*% u[[c]]))
  }
  B <- (A1 + 6 * A2) / (2 * q)
  g <- ((q + 1) * A1 - (q + 4) * A2) / ((q + 2) * A2)
  c1 <- g / (3 * q + 2 * (1 - g)); c2 <- (q - g) / (3 * q + 2 * (1 - g)); c3 <- (q + 2 - g) / (3 * q + 2 * (1 - g))
  Estar <- 1 / (1 - A2 / q)
  Vstar <- (2 / q) * (1 + c1 * B) / ((1 - c2 * B)^2 * (1 - c3 * B))
  rho <- Vstar / (2 * Estar^2)
  4 + (q + 2) / (q * rho - 1)
}

# ---------------------------------------------------------------------------
# One model: fit, then every ARD row for each df method
# ---------------------------------------------------------------------------

# aidheart's column name from R's: "ARMCDTRT:AVISITVIS2" -> "ARMCD=TRT:AVISIT=VIS2".
aidheart_name <- function(column, factors) {
  if (column == "(Intercept)") return(column)
  parts <- strsplit(column, ":", fixed = TRUE)[[1]]
  paste(vapply(parts, function(part) {
    hit <- factors[startsWith(part, factors)]
    if (length(hit) == 0) part else { f <- hit[which.max(nchar(hit))]; paste0(f, "=", substring(part, nchar(f) + 1)) }
  }, ""), collapse = ":")
}

row_out <- function(model, df_method, method, term, visit = "", est = NA, se = NA, df = NA, level = 0.95,
                    n = NA, call = "") {
  t <- est / se; q <- qt(0.5 + level / 2, df)
  data.frame(model = model, df_method = df_method, method = method, term = term, visit = visit,
             estimate = est, std_error = se,
             ci_low = if (is.na(df)) NA else est - q * se, ci_high = if (is.na(df)) NA else est + q * se,
             statistic = if (is.na(df)) NA else t, df = df,
             p_value = if (is.na(df)) NA else 2 * pt(abs(t), df, lower.tail = FALSE),
             n = n, call = call, stringsAsFactors = FALSE)
}

run_model <- function(spec) {
  d <- read.csv(spec$data, stringsAsFactors = FALSE)
  vars <- all.vars(spec$fixed)[-1]
  keep <- complete.cases(d[, c(spec$response, spec$visit, spec$subject, vars), drop = FALSE])
  factors <- vars[!vapply(vars, function(v) is.numeric(d[[v]]), TRUE) | vars == spec$visit]
  m <- d[keep, ]
  for (v in factors) {
    levels <- if (v == spec$visit) spec$visits else unique(d[[v]])         # data order, whole table
    levels <- levels[levels %in% m[[v]]]
    ref <- spec$reference[[v]]
    if (!is.null(ref)) levels <- c(ref, setdiff(levels, ref))
    m[[v]] <- factor(m[[v]], levels = levels)
  }
  m$visit_f <- factor(m[[spec$visit]], levels = spec$visits)
  m$visit_index <- as.integer(m$visit_f)
  m$subject_f <- factor(m[[spec$subject]], levels = unique(m[[spec$subject]]))
  m <- m[order(as.integer(m$subject_f), m$visit_index), ]           # sorted: gls/emmeans need it
  K <- length(spec$visits)
  X <- model.matrix(spec$fixed, data = m)
  y <- m[[spec$response]]
  blocks <- make_blocks(y, X, m$subject_f, m$visit_index)

  g <- gls_fit(spec$fixed, m, spec$structure, spec$reml)
  theta0 <- theta_from_sigma(gls_sigma(g, m), spec$structure)
  fit <- fit_own(theta0, blocks, spec$structure, K, spec$reml)
  ll <- -fit$parts$m2ll / 2
  cat(sprintf("[%s] own logL %.10f, gls %.10f (diff %.2g); max|grad| %.2g; max|Sigma - gls|/max|Sigma| %.2g\n",
              spec$id, ll, as.numeric(logLik(g)), ll - as.numeric(logLik(g)), max(abs(fit$grad)),
              max(abs(fit$Sigma - gls_sigma(g, m))) / max(abs(fit$Sigma))))
  stopifnot(ll >= as.numeric(logLik(g)) - 1e-7, abs(ll - as.numeric(logLik(g))) < 1e-4)

  # d Phi / d theta numerically, for Satterthwaite's g.
  phi_of <- function(th) gls_parts(fit$sfun(th), blocks, spec$reml)$Phi
  dPhi <- scaled_jacobian(function(th) as.vector(phi_of(th)), fit$theta, theta_scale(fit$theta, spec$structure, K))
  p <- ncol(X)
  satt_df <- function(L) {
    v <- drop(t(L) %*% fit$parts$Phi %*% L)
    gr <- apply(dPhi, 2, function(col) drop(t(L) %*% matrix(col, p, p) %*% L))
    2 * v^2 / drop(t(gr) %*% fit$W %*% gr)
  }
  kr <- if (spec$reml) kr_pieces(fit, blocks, K) else NULL

  # Contrasts: coefficients, then LS means on the reference grid, then differences.
  contrasts <- list()
  names_ours <- vapply(colnames(X), aidheart_name, "", factors = factors)
  n_subj <- nlevels(droplevels(m$subject_f))
  for (j in seq_len(p)) {
    contrasts[[length(contrasts) + 1]] <- list(method = "mmrm_coef", term = names_ours[j], visit = "",
                                               L = as.numeric(seq_len(p) == j), n = n_subj)
  }
  if (length(spec$lsmeans)) {
    grid_levels <- lapply(setNames(factors, factors), function(v) levels(m[[v]]))
    grid <- expand.grid(grid_levels, stringsAsFactors = FALSE)
    for (v in factors) grid[[v]] <- factor(grid[[v]], levels = levels(m[[v]]))
    for (v in setdiff(vars, factors)) grid[[v]] <- mean(m[[v]])           # covariates at their mean over rows used
    Xg <- model.matrix(delete.response(terms(spec$fixed)), data = grid)
    f1 <- spec$lsmeans[1]
    # first factor fastest, as emmeans lists them
    cell_order <- expand.grid(lapply(spec$lsmeans, function(v) if (v == spec$visit) spec$visits else levels(m[[v]])),
                              stringsAsFactors = FALSE)
    names(cell_order) <- spec$lsmeans
    cellL <- list()
    label <- function(lv) paste(paste0(names(lv), "=", unlist(lv)), collapse = ",")
    subjects_in <- function(lv) {
      rows <- Reduce(`&`, lapply(names(lv), function(v) as.character(m[[v]]) == lv[[v]]))
      unique(as.character(m$subject_f[rows]))
    }
    for (r in seq_len(nrow(cell_order))) {
      lv <- as.list(cell_order[r, , drop = FALSE])
      sel <- Reduce(`&`, lapply(names(lv), function(v) as.character(grid[[v]]) == lv[[v]]))
      L <- colMeans(Xg[sel, , drop = FALSE])
      cellL[[label(lv)]] <- list(L = L, lv = lv)
      contrasts[[length(contrasts) + 1]] <- list(method = "mmrm_lsmean", term = label(lv),
        visit = if (spec$visit %in% names(lv)) lv[[spec$visit]] else "", L = L, n = length(subjects_in(lv)))
    }
    ref <- levels(m[[f1]])[1]
    for (r in seq_len(nrow(cell_order))) {
      lv <- as.list(cell_order[r, , drop = FALSE])
      if (lv[[f1]] == ref) next
      base <- lv; base[[f1]] <- ref
      dl <- lv; dl[[f1]] <- paste0(lv[[f1]], "-", ref)
      contrasts[[length(contrasts) + 1]] <- list(method = "mmrm_lsmean_diff", term = label(dl),
        visit = if (spec$visit %in% names(lv)) lv[[spec$visit]] else "",
        L = cellL[[label(lv)]]$L - cellL[[label(base)]]$L, n = length(union(subjects_in(lv), subjects_in(base))))
    }
    # emmeans on the gls fit: same LS means up to gls's looser optimum.
    emm <- suppressMessages(as.data.frame(emmeans(g, spec$lsmeans, data = m, mode = "df.error")))
    ours <- vapply(contrasts[vapply(contrasts, function(z) z$method == "mmrm_lsmean", TRUE)],
                   function(z) sum(z$L * fit$parts$beta), 0)
    cat(sprintf("[%s] LS means own vs emmeans(gls): max |diff| %.2g\n", spec$id, max(abs(sort(ours) - sort(emm$emmean)))))
    stopifnot(max(abs(sort(ours) - sort(emm$emmean))) < 1e-3)
  }

  call_fit <- sprintf("own %s, %s, %s covariance (SAS parameters), data %s; nlminb from gls + numDeriv Newton",
                      if (spec$reml) "REML" else "ML", deparse(spec$fixed), spec$structure, basename(spec$data))
  out <- list()
  for (dfm in spec$df_methods) {
    cov_beta <- switch(dfm, satterthwaite = fit$parts$Phi,
                       `kenward-roger` = kr_covariance(fit, kr, linear = FALSE),
                       `kenward-roger-linear` = kr_covariance(fit, kr, linear = TRUE))
    for (z in contrasts) {
      est <- sum(z$L * fit$parts$beta)
      se <- sqrt(drop(t(z$L) %*% cov_beta %*% z$L))
      df <- if (dfm == "satterthwaite") satt_df(z$L) else kr_df(z$L, fit, kr)
      how <- switch(dfm, satterthwaite = "Satterthwaite: 2 v^2 / (g' W g), g = numDeriv jacobian of Phi(theta), W = 2 solve(numDeriv hessian of -2 logL)",
                    `kenward-roger` = "Kenward-Roger 1997: Phi_A with Q - P Phi P - R/4 (numDeriv dSigma, d2Sigma), general m = 4 + (q + 2)/(q rho - 1)",
                    `kenward-roger-linear` = "Kenward-Roger linear: Phi_A without R, general df formula")
      out[[length(out) + 1]] <- row_out(spec$id, dfm, z$method, z$term, z$visit, est, se, df, n = z$n,
                                        call = paste0(call_fit, "; ", how, "; CI = est +/- qt(0.975, df) SE"))
    }
  }
  for (j in 1:K) for (k in j:K) {
    out[[length(out) + 1]] <- row_out(spec$id, "", "mmrm_cov", sprintf("sigma[%s,%s]", spec$visits[j], spec$visits[k]),
                                      est = fit$Sigma[j, k], n = n_subj, call = paste0(call_fit, "; Sigma[j, k]"))
  }
  out[[length(out) + 1]] <- row_out(spec$id, "", "mmrm_fit", if (spec$reml) "reml_loglik" else "ml_loglik",
                                    est = ll, n = n_subj, call = paste0(call_fit, "; -1/2 (-2 logL), no log|X'X| term"))
  out[[length(out) + 1]] <- row_out(spec$id, "", "mmrm_fit", "n_obs", est = nrow(m), n = n_subj, call = "rows used")
  res <- do.call(rbind, out)
  res$formula <- spec$formula; res$data <- basename(spec$data); res$reml <- spec$reml
  res$reference <- paste(names(spec$reference), unlist(spec$reference), sep = "=", collapse = ";")
  res$lsmeans <- paste(spec$lsmeans, collapse = "*")
  res$visit_order <- paste(spec$visits, collapse = ",")
  res
}

# ---------------------------------------------------------------------------
# The models
# ---------------------------------------------------------------------------

FEV <- "tests/reference/data/fev_data.csv"
FEV_VISITS <- c("VIS1", "VIS2", "VIS3", "VIS4")
fev_spec <- function(id, fixed, rhs, structure, reml = TRUE, lsmeans = c("ARMCD", "AVISIT"),
                     df_methods = c("satterthwaite", "kenward-roger", "kenward-roger-linear")) {
  list(id = id, data = FEV, fixed = fixed, response = "FEV1", visit = "AVISIT", subject = "USUBJID",
       visits = FEV_VISITS, reference = list(ARMCD = "PBO"), structure = structure, reml = reml,
       lsmeans = lsmeans, df_methods = if (reml) df_methods else "satterthwaite",
       formula = sprintf("FEV1 ~ %s + %s(AVISIT | USUBJID)", rhs, structure))
}

SPECS <- list(
  fev_spec("fev_armcd_us", FEV1 ~ ARMCD, "ARMCD", "us", lsmeans = "ARMCD"),
  fev_spec("fev_full_us", FEV1 ~ RACE + SEX + ARMCD * AVISIT, "RACE + SEX + ARMCD * AVISIT", "us"),
  fev_spec("fev_covariates_us", FEV1 ~ FEV1_BL + FEV1_BL:AVISIT + WEIGHT + ARMCD * AVISIT,
           "FEV1_BL + FEV1_BL:AVISIT + WEIGHT + ARMCD * AVISIT", "us"),
  fev_spec("fev_full_us_ml", FEV1 ~ RACE + SEX + ARMCD * AVISIT, "RACE + SEX + ARMCD * AVISIT", "us", reml = FALSE)
)
for (s in c("cs", "ar1", "csh", "toeph")) {
  SPECS[[length(SPECS) + 1]] <- fev_spec(paste0("fev_race_", s), FEV1 ~ RACE + ARMCD * AVISIT,
                                         "RACE + ARMCD * AVISIT", s)
}
# cLDA: baseline in the response vector, unstructured covariance over all visits.
SPECS[[length(SPECS) + 1]] <- list(
  id = "synth_missing_clda_us", data = "tests/reference/data/synth_missing.csv", fixed = value ~ visit,
  response = "value", visit = "visit", subject = "subject", visits = c("baseline", "week4", "week12", "week16"),
  reference = list(), structure = "us", reml = TRUE, lsmeans = "visit",
  df_methods = c("satterthwaite", "kenward-roger"), formula = "value ~ visit + us(visit | subject)")

# The analysis plan's models on synth_missing in ADaM names (written here, read back like every input):
# AVAL the value, BASE the baseline value on every row of a subject with one, CHG = AVAL - BASE on the
# post-baseline rows. The MMRM of the change with one BASE slope (primary), with one slope per visit
# (sensitivity), and the cLDA, each under every structure of the fallback order us, toeph, csh, cs.
# Two files: every row (the cLDA's response includes the baseline) and the post-baseline rows (the
# MMRMs of CHG), as the pipeline passes them to the engine.
ADAM <- "tests/reference/data/synth_missing_adam.csv"
ADAM_POST <- "tests/reference/data/synth_missing_adam_post.csv"
write_adam <- function() {
  d <- read.csv("tests/reference/data/synth_missing.csv", colClasses = c("character", "character", "numeric"))
  base <- setNames(d$value[d$visit == "baseline"], d$subject[d$visit == "baseline"])
  BASE <- unname(base[d$subject])
  CHG <- ifelse(d$visit == "baseline", NA, d$value - BASE)
  shortest <- function(x) {
    s <- ifelse(is.na(x), "", sprintf("%.15g", x))
    bad <- !is.na(x) & as.numeric(s) != x
    s[bad] <- sprintf("%.17g", x[bad])
    s
  }
  out <- data.frame(USUBJID = d$subject, AVISIT = d$visit, AVAL = shortest(d$value), BASE = shortest(BASE),
                    CHG = shortest(CHG), stringsAsFactors = FALSE)
  write.table(out, ADAM, sep = ",", row.names = FALSE, quote = FALSE, eol = "\n")
  write.table(out[d$visit != "baseline", ], ADAM_POST, sep = ",", row.names = FALSE, quote = FALSE, eol = "\n")
}
write_adam()
adam_spec <- function(id, fixed, rhs, structure, response, visits) {
  list(id = id, data = if (response == "CHG") ADAM_POST else ADAM, fixed = fixed, response = response, visit = "AVISIT", subject = "USUBJID",
       visits = visits, reference = list(), structure = structure, reml = TRUE, lsmeans = "AVISIT",
       df_methods = c("satterthwaite", "kenward-roger"),
       formula = sprintf("%s ~ %s + %s(AVISIT | USUBJID)", response, rhs, structure))
}
POST <- c("week4", "week12", "week16")
for (s in c("us", "toeph", "csh", "cs")) {
  SPECS[[length(SPECS) + 1]] <- adam_spec(paste0("adam_chg_base_", s), CHG ~ 0 + AVISIT + BASE, "0 + AVISIT + BASE",
                                          s, "CHG", POST)
  SPECS[[length(SPECS) + 1]] <- adam_spec(paste0("adam_chg_base_visit_", s), CHG ~ 0 + AVISIT + AVISIT:BASE,
                                          "0 + AVISIT + AVISIT:BASE", s, "CHG", POST)
  SPECS[[length(SPECS) + 1]] <- adam_spec(paste0("adam_clda_", s), AVAL ~ AVISIT, "AVISIT", s, "AVAL",
                                          c("baseline", POST))
}

rows <- do.call(rbind, lapply(SPECS, run_model))
num <- c("estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "p_value", "n")
out <- rows
for (cc in num) out[[cc]] <- fmt_num(rows[[cc]])
cols <- c("model", "data", "formula", "reml", "reference", "visit_order", "lsmeans", "df_method", "method", "term",
          "visit", num, "call")
out$reml <- ifelse(rows$reml, "TRUE", "FALSE")
write.table(out[, cols], OUT, sep = ",", row.names = FALSE, eol = "\n", na = "",
            quote = which(cols %in% c("model", "data", "formula", "reference", "visit_order", "lsmeans", "df_method",
                                      "method", "term", "visit", "call")), qmethod = "double")
cat(sprintf("wrote %d rows to %s in %.0f s\n", nrow(out), OUT, proc.time()[["elapsed"]] - t_start))
