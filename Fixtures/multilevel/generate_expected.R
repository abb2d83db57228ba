#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_expected.R -- reference values for orrmeta's three-level model (cohorts in trials)
#
# Fits rma.mv(yi, vi, random = ~ 1 | cluster/cohort, method, test, mods) with tight control:
#   nlminb (rel.tol 1e-12 and 1e-10), optim BFGS (reltol 1e-14) and bobyqa (rhoend 1e-12), keeping
#   the fit with the highest log-likelihood (the control used is recorded per case)
# and writes what metafor reports: coefficients, SE, CI, PI (predict), sigma^2 per level,
# profile-likelihood CIs of each sigma^2 (confint(res, sigma2 = l, control = list(tol = 1e-12))),
# QE, logLik, the LRT against the model with sigma^2_cluster = 0 (anova(full, reduced)),
# I^2 per level (P-matrix method, metafor FAQ), weights(res, type = "rowsum"), QM.
# Datasets: metadat's dat.konstantopoulos2011 (published three-level example),
# dat.obrien2003 (proportions, logit), the sourced ALK table (Fixtures/alk-nsclc/cohorts.csv)
# clustered by trial, and 48 random clustered datasets (every measure, REML/ML, z/t,
# with and without a continuous moderator). knha: metafor 3.8's rma.mv has no Knapp-Hartung
# option; the expected values for orrmeta's generalised Hartung-Knapp test are computed here
# from the rma.mv fit: s^2 = r' V^-1 r / (k - p), Var(beta) * s^2, t(k - p).
#
# Run from the repository root:   Rscript Fixtures/multilevel/generate_expected.R
# Output: Fixtures/multilevel/expected.json (versions and calls recorded inside).
# Determinism: set.seed per random dataset; the inputs are written to the JSON.

suppressPackageStartupMessages({ library(metafor); library(metadat); library(jsonlite) })

ctrl <- list(optimizer = "nlminb", rel.tol = 1e-12, iter.max = 10000, eval.max = 10000)
candidates <- list(
  ctrl,
  list(optimizer = "nlminb", rel.tol = 1e-10, iter.max = 10000, eval.max = 10000),
  list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-14, maxit = 10000),
  list(optimizer = "bobyqa", rhoend = 1e-12, maxfun = 100000))
ci_ctrl <- list(tol = 1e-12, maxiter = 10000)

tr_for <- function(measure) switch(measure, PR = "identity", PLN = "exp", PLO = "ilogit",
                                   PAS = "iarcsin", PFT = "ipft.hm", YI = "identity")
backtransform <- function(measure, x, ni) {
  switch(measure, PR = x, PLN = exp(x), PLO = transf.ilogit(x), PAS = transf.iarcsin(x),
         PFT = transf.ipft.hm(x, targs = list(ni = ni)), YI = x)
}

fit_case <- function(name, measure, yi, vi, cluster, xi = NULL, ni = NULL, mod = NULL,
                     method = "REML", test = "z", source = "") {
  k <- length(yi)
  dat <- data.frame(yi = yi, vi = vi, cluster = factor(cluster, levels = unique(cluster)),
                    cohort = seq_len(k))
  if (!is.null(mod)) dat$x <- mod
  mods <- if (is.null(mod)) ~ 1 else ~ x
  fit_mv <- function(sigma2 = NULL) {
    # The log-likelihood is flat near its maximum and each optimiser stops at a slightly
    # different point (nlminb at rel.tol = 1e-12 often reports false convergence). Every
    # candidate below is fitted and the one with the highest log-likelihood is kept; its
    # control is written to the case (and used by confint's refits).
    best <- NULL
    for (cc in candidates) {
      r <- tryCatch(rma.mv(yi, vi, random = ~ 1 | cluster/cohort, data = dat, method = method,
                           test = test, mods = mods, sigma2 = sigma2, control = cc),
                    error = function(e) NULL)
      if (!is.null(r) && (is.null(best) || logLik(r) > logLik(best))) { best <- r; attr(best, "control") <- cc }
    }
    if (is.null(best)) stop("rma.mv did not converge")
    best
  }
  res <- fit_mv()
  red <- fit_mv(c(0, NA))
  lrt <- anova(res, red)
  p <- length(coef(res))
  X <- model.matrix(res)
  W <- diag(1 / vi)
  P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  vtyp <- (k - p) / sum(diag(P))
  i2 <- 100 * res$sigma2 / (sum(res$sigma2) + vtyp)
  ci_or_na <- function(l) tryCatch(suppressWarnings(confint(res, sigma2 = l, control = ci_ctrl)$random[1, ]),
                                   error = function(e) c(estimate = NA, ci.lb = NA, ci.ub = NA))
  ci1 <- ci_or_na(1)
  ci2 <- ci_or_na(2)
  V <- res$M
  r <- yi - as.vector(X %*% res$b)
  s2 <- as.numeric(t(r) %*% solve(V, r)) / (k - p)
  vb_knha <- res$vb * s2
  se_knha <- sqrt(diag(vb_knha))
  tcrit <- qt(0.975, k - p)
  w <- if (is.null(mod)) weights(res, type = "rowsum") else NULL
  out <- list(
    name = name, source = source, measure = measure, method = method, test = test,
    call = sprintf("rma.mv(yi, vi, random = ~ 1 | cluster/cohort, method = \"%s\", test = \"%s\"%s, control = ctrl)",
                   method, test, if (is.null(mod)) "" else ", mods = ~ x"),
    control = paste(names(attr(res, "control")), unlist(attr(res, "control")), sep = "=", collapse = ", "), k = k, clusters = nlevels(dat$cluster), cluster = as.character(cluster),
    yi = yi, vi = vi,
    coefficients = list(
      estimate = as.vector(res$b), se = res$se, statistic = res$zval, p_value = res$pval,
      ci_lower = res$ci.lb, ci_upper = res$ci.ub),
    vcov = as.vector(res$vb),
    sigma2 = res$sigma2, sigma2_ci_lower = c(ci1[["ci.lb"]], ci2[["ci.lb"]]),
    sigma2_ci_upper = c(ci1[["ci.ub"]], ci2[["ci.ub"]]),
    qe = res$QE, qe_df = k - p, qe_p_value = res$QEp,
    log_likelihood = as.numeric(logLik(res)),
    reduced_log_likelihood = as.numeric(logLik(red)),
    reduced_sigma2_cohort = red$sigma2[2],
    lrt = list(statistic = lrt$LRT, p_value = lrt$pval),
    typical_variance = vtyp, i2 = i2, i2_total = sum(i2),
    weights = as.vector(w),
    knha = list(scale = s2, se = se_knha, ci_lower = as.vector(res$b) - tcrit * se_knha,
                ci_upper = as.vector(res$b) + tcrit * se_knha)
  )
  if (!is.null(xi)) { out$xi <- xi; out$ni <- ni }
  if (!is.null(mod)) {
    out$moderator <- mod
    out$qm <- res$QM; out$qm_p_value <- res$QMp; out$qm_df <- res$QMdf
  } else {
    pr <- predict(res)
    out$pi_lower <- pr$pi.lb; out$pi_upper <- pr$pi.ub
    hm <- if (is.null(ni)) NA else 1 / mean(1 / ni)
    out$backtransformed <- list(
      transformation = tr_for(measure),
      estimate = backtransform(measure, pr$pred, ni), ci_lower = backtransform(measure, pr$ci.lb, ni),
      ci_upper = backtransform(measure, pr$ci.ub, ni), pi_lower = backtransform(measure, pr$pi.lb, ni),
      pi_upper = backtransform(measure, pr$pi.ub, ni))
  }
  out
}

prop_case <- function(name, measure, xi, ni, cluster, ...) {
  es <- escalc(measure = measure, xi = xi, ni = ni)
  fit_case(name, measure, as.vector(es$yi), as.vector(es$vi), cluster, xi = xi, ni = ni, ...)
}

cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x

# 1. dat.konstantopoulos2011 (yi, vi given; measure "YI" = outcomes used as given)
d <- dat.konstantopoulos2011
for (m in c("REML", "ML")) for (tt in c("z", "t"))
  add(fit_case(paste0("konstantopoulos2011_", m, "_", tt), "YI", d$yi, d$vi, d$district,
               method = m, test = tt, source = "metadat::dat.konstantopoulos2011, random = ~ 1 | district/school"))
add(fit_case("konstantopoulos2011_REML_z_year", "YI", d$yi, d$vi, d$district, mod = d$year - mean(d$year),
             source = "metadat::dat.konstantopoulos2011, mods = ~ I(year - mean(year))"))

# 2. dat.obrien2003 (events / totals per BMI group within study)
o <- dat.obrien2003
for (m in c("PLO", "PFT", "PAS")) for (meth in c("REML", "ML"))
  add(prop_case(paste0("obrien2003_", m, "_", meth), m, o$cases, o$total, o$study, method = meth,
                source = "metadat::dat.obrien2003, random = ~ 1 | study/grp"))

# 3. sourced ALK table clustered by trial
alk <- read.csv("Fixtures/alk-nsclc/cohorts.csv", stringsAsFactors = FALSE)
for (m in c("PLO", "PFT", "PR", "PAS", "PLN")) for (meth in c("REML", "ML"))
  add(prop_case(paste0("alk_", m, "_", meth), m, alk$responders, alk$n, alk$trial, method = meth,
                source = "Fixtures/alk-nsclc/cohorts.csv, random = ~ 1 | trial/cohort"))
add(prop_case("alk_PLO_REML_t_line", "PLO", alk$responders, alk$n, alk$trial,
              mod = as.numeric(alk$line == "pretreated"), test = "t",
              source = "Fixtures/alk-nsclc/cohorts.csv, mods = ~ (line == pretreated)"))

# 4. random clustered datasets
measures <- c("PR", "PLN", "PLO", "PAS", "PFT")
for (i in 1:50) {
  set.seed(20260 + i)
  nc <- sample(4:14, 1)
  sizes <- sample(1:4, nc, replace = TRUE)
  cl <- rep(sprintf("T%02d", seq_len(nc)), sizes)
  k <- length(cl)
  if (k < 5) { cl <- c(cl, rep(sprintf("T%02d", nc + 1), 5 - k)); k <- length(cl) }
  st <- sample(c(0.05, 0.3, 0.8), 1); sc <- sample(c(0.02, 0.15, 0.5), 1)
  u <- rnorm(length(unique(cl)), 0, sqrt(st))[match(cl, unique(cl))]
  x <- round(runif(k, 0, 1), 3)
  eta <- qlogis(runif(1, 0.15, 0.7)) + u + rnorm(k, 0, sqrt(sc)) + 0.4 * x
  ni <- sample(15:250, k, replace = TRUE)
  xi <- rbinom(k, ni, plogis(eta))
  measure <- measures[(i - 1) %% 5 + 1]
  method <- if (i %% 2 == 0) "REML" else "ML"
  test <- if ((i %/% 2) %% 2 == 0) "z" else "t"
  mod <- if ((i %/% 4) %% 2 == 1) x else NULL
  if (length(unique(cl)) < 2) next
  add(prop_case(sprintf("random%02d_%s_%s_%s%s", i, measure, method, test, if (is.null(mod)) "" else "_mod"),
                measure, xi, ni, cl, method = method, test = test, mod = mod,
                source = sprintf("random, set.seed(%d)", 20260 + i)))
}

out <- list(
  generator = "Fixtures/multilevel/generate_expected.R",
  versions = list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                  metadat = as.character(packageVersion("metadat")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  control = "control = list(optimizer = \"nlminb\", rel.tol = 1e-12, iter.max = 10000, eval.max = 10000); confint(res, sigma2 = l, control = list(tol = 1e-12, maxiter = 10000))",
  i2_definition = "100 * sigma2_l / (sum(sigma2) + (k - p) / tr(P)), P = W - W X (X'WX)^-1 X'W, W = diag(1/vi)",
  cases = cases)
write(toJSON(out, auto_unbox = TRUE, digits = I(17), null = "null", na = "null", pretty = TRUE),
      "Fixtures/multilevel/expected.json")
cat("wrote", length(cases), "cases\n")
