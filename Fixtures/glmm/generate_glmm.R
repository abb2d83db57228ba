#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for orrmeta's binomial-normal GLMM (random-intercept logistic model).
#
# Run from the repository root:
#   Rscript Fixtures/glmm/generate_glmm.R [path/to/alk_cohorts.csv]
# Writes Fixtures/glmm/expected.json.
#
# For each dataset it records
#   * "metafor": what metafor::rma.glmm(measure = "PLO", xi, ni, nAGQ, test) reports (lme4::glmer
#     underneath), with predict() for the prediction interval and transf.ilogit for the proportion;
#   * "metafor_tight": the same call with lme4 run to tight tolerances
#     (control = list(glmerCtrl = list(tolPwrss = 1e-13, optimizer = c("bobyqa", "bobyqa"),
#     optCtrl = list(rhoend = 1e-10))), or only tolPwrss = 1e-13 where that fails; the settings
#     used are recorded): the limit lme4 approaches as its PIRLS and optimizer tolerances
#     shrink. With the default tolPwrss = 1e-7, lme4's Laplace deviance (nAGQ = 1) uses PIRLS
#     weights from the next-to-last iteration, which moves its finite-difference Hessian;
#   * "lme4": the glmer optimum (theta, beta), its marginal logLik and convergence messages;
#   * "exact": an independent, tightly optimized maximum of the same adaptive Gauss-Hermite
#     likelihood (conditional modes solved to machine precision, nlminb with rel.tol 1e-14,
#     Hessian by numDeriv's Richardson extrapolation). lme4's optimizer (bobyqa then Nelder-Mead,
#     PIRLS tolerance 1e-7) stops a little short of this maximum; "exact" is the target for
#     orrmeta's own optimizer, "metafor" the target for agreement with published software.
suppressPackageStartupMessages({
  library(metafor)
  library(lme4)
  library(jsonlite)
  library(numDeriv)
})

args <- commandArgs(trailingOnly = TRUE)
alk_path <- if (length(args) >= 1) args[1] else "/work/shared/data/alk_cohorts.csv"
out_path <- "Fixtures/glmm/expected.json"

# ---------------------------------------------------------------------------------------------
# Exact AGQ log-likelihood (same formula as lme4's glmerAGQ, with exact conditional modes).
# Cohort i: L_i = int Bin(x_i | n_i, plogis(mu + tau*u)) dnorm(u) du.
# Mode: eta = mu + tau^2 * (x - n plogis(eta)); u_hat = tau * (x - n plogis(eta_hat));
# s = 1/sqrt(1 + tau^2 n p(1-p)); nodes u_j = u_hat + s z_j.
# log L_i ~ lchoose(n,x) + log sum_j w_j exp(l(mu + tau u_j) - u_j^2/2 + z_j^2/2) + log s.
# ---------------------------------------------------------------------------------------------
modes <- function(mu, tau, x, n) {
  t2 <- tau^2
  g0 <- x - n * plogis(mu)
  lo <- pmin(mu, mu + t2 * g0); hi <- pmax(mu, mu + t2 * g0)
  eta <- mu + 0 * x
  for (it in 1:200) {
    p <- plogis(eta)
    r <- eta - mu - t2 * (x - n * p)
    lo <- ifelse(r < 0, eta, lo); hi <- ifelse(r > 0, eta, hi)
    nxt <- eta - r / (1 + t2 * n * p * (1 - p))
    bad <- !(nxt > lo & nxt < hi)
    nxt[bad] <- 0.5 * (lo[bad] + hi[bad])
    if (all(abs(nxt - eta) <= 1e-15 * (1 + abs(eta)))) { eta <- nxt; break }
    eta <- nxt
  }
  eta
}
agq_loglik <- function(mu, tau, x, n, gh) {
  eta <- modes(mu, tau, x, n)
  p <- plogis(eta)
  u <- tau * (x - n * p)
  s <- 1 / sqrt(1 + tau^2 * n * p * (1 - p))
  z <- gh[, "z"]; w <- gh[, "w"]
  tot <- 0
  for (i in seq_along(x)) {
    uj <- u[i] + s[i] * z
    e <- mu + tau * uj
    G <- x[i] * e - n[i] * ifelse(e > 0, e + log1p(exp(-e)), log1p(exp(e))) - uj^2 / 2 + z^2 / 2 + log(w)
    m <- max(G)
    tot <- tot + lchoose(n[i], x[i]) + m + log(sum(exp(G - m))) + log(s[i])
  }
  tot
}
exact_fit <- function(x, n, nAGQ, start) {
  gh <- GHrule(nAGQ)
  gh[, "z"] <- gh[, "z"] - rev(gh[, "z"]); gh[, "z"] <- gh[, "z"] / 2   # exact symmetry
  f <- function(par) -agq_loglik(par[2], par[1], x, n, gh)
  o <- nlminb(start, f, lower = c(0, -Inf), control = list(rel.tol = 1e-14, x.tol = 1e-14, eval.max = 2000, iter.max = 1000))
  # boundary tau = 0: the likelihood is the plain binomial one
  o0 <- optimize(function(m) f(c(0, m)), interval = c(-30, 30), tol = 1e-14)
  if (o0$objective < o$objective) o <- list(par = c(0, o0$minimum), objective = o0$objective)
  # polish with Nelder-Mead
  if (o$par[1] > 0) {
    o2 <- optim(o$par, f, method = "Nelder-Mead", control = list(reltol = 1e-16, maxit = 4000))
    if (o2$value < o$objective) o <- list(par = o2$par, objective = o2$value)
  }
  # final Newton steps with Richardson-extrapolated derivatives (the likelihood is flat in tau
  # when k is small, where the optimizers above stop early)
  if (o$par[1] > 0) {
    for (it in 1:4) {
      step <- solve(numDeriv::hessian(f, o$par), numDeriv::grad(f, o$par))
      cand <- o$par - step
      if (cand[1] > 0 && f(cand) <= o$objective + 1e-13 * abs(o$objective)) o <- list(par = cand, objective = f(cand))
    }
  }
  # Hessian of -loglik in (tau, mu) by numDeriv (Richardson extrapolation). Its error is about
  # the rounding noise of f (~1e-14) over step^2 (~1e-7): relative 1e-8 for most datasets, up to
  # ~1e-6 where the information is small (sparse_bimodal: SE of the logit about 4).
  H <- numDeriv::hessian(f, o$par)
  V <- solve(H)
  list(tau = abs(o$par[1]), tau2 = o$par[1]^2, mu = o$par[2], se = sqrt(V[2, 2]),
       logLik = -o$objective, hessian = H)
}

# ---------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------
datasets <- list()
# lme4_se_issue: why lme4's SE (and what is computed from it) is expected to miss the exact
# value by more than 1e-4 relative; lme4_optimum_issue: likewise for the estimate and tau2.
# The tests mark those checks (and only those) as known issues.
laplace_issue <- paste("nAGQ = 1: lme4's SE is a finite-difference Hessian (step 1e-4) of a Laplace deviance",
                       "computed with PIRLS weights from the next-to-last iteration (tolPwrss 1e-7)")
add <- function(name, xi, ni, nAGQ = 7L, test = "z", note = "", lme4_se_issue = "", lme4_optimum_issue = "") {
  if (nAGQ == 1L && lme4_se_issue == "") lme4_se_issue <- laplace_issue
  datasets[[length(datasets) + 1]] <<- list(name = name, xi = as.integer(xi), ni = as.integer(ni),
                                            nAGQ = as.integer(nAGQ), test = test, note = note,
                                            lme4_se_issue = lme4_se_issue,
                                            lme4_optimum_issue = lme4_optimum_issue)
}

niel <- metadat::dat.nielweise2007
add("nielweise2007_control", niel$ci, niel$n2i, note = "Stijnen et al. 2010: -3.4964, SE 0.2570, tau2 0.8124")
add("nielweise2007_control_laplace", niel$ci, niel$n2i, nAGQ = 1L)
add("nielweise2007_control_t", niel$ci, niel$n2i, test = "t")

alk <- read.csv(alk_path, stringsAsFactors = FALSE)
add("alk_all", alk$responders, alk$n, note = "ALK cohorts (61), one all-event cohort 8/8")
add("alk_all_laplace", alk$responders, alk$n, nAGQ = 1L)
add("alk_all_t", alk$responders, alk$n, test = "t")
add("alk_naive", alk$responders[alk$line == "naive"], alk$n[alk$line == "naive"])
add("alk_pretreated", alk$responders[alk$line == "pretreated"], alk$n[alk$line == "pretreated"])

set.seed(20260707)
sim <- function(k, mu, tau, nmin, nmax) {
  ni <- sample(nmin:nmax, k, replace = TRUE)
  xi <- rbinom(k, ni, plogis(mu + tau * rnorm(k)))
  list(xi = xi, ni = ni)
}
d <- sim(66, 0.3, 0.8, 10, 250);  add("sim_k66", d$xi, d$ni, note = "benchmark size")
d <- sim(66, -2.5, 1.0, 5, 60);    add("sim_k66_rare", d$xi, d$ni, note = "rare events, zero cells")
d <- sim(66, 0.3, 0.8, 10, 250);  add("sim_k66_laplace", d$xi, d$ni, nAGQ = 1L)
d <- sim(3, 0.5, 0.5, 20, 80);    add("sim_k3", d$xi, d$ni)
d <- sim(3, -1, 1.2, 10, 40);     add("sim_k3_t", d$xi, d$ni, test = "t")
d <- sim(5, -3, 0.7, 8, 30);      d$xi[1] <- 0L; add("sim_k5_zero", d$xi, d$ni, note = "zero-event cohort")
d <- sim(8, 2.5, 0.6, 6, 25);     d$xi[c(2, 5)] <- d$ni[c(2, 5)]; add("sim_k8_allevents", d$xi, d$ni, note = "all-event cohorts")
d <- sim(12, -0.5, 0, 30, 200);   add("sim_k12_homogeneous", d$xi, d$ni, note = "tau = 0 in the simulation")
d <- sim(20, 0, 0, 50, 400);      add("sim_k20_homogeneous", d$xi, d$ni, note = "tau = 0 in the simulation")
d <- sim(25, -1.5, 1.5, 5, 100);  d$xi[c(3, 9)] <- 0L; d$xi[17] <- d$ni[17]; add("sim_k25_mixed_zero_all", d$xi, d$ni)
d <- sim(30, 1.0, 0.4, 20, 150);  add("sim_k30_t", d$xi, d$ni, test = "t")
d <- sim(40, -4, 0.9, 20, 300);   add("sim_k40_veryrare", d$xi, d$ni, note = "very rare events")
d <- sim(15, 0.2, 2.0, 10, 60);   add("sim_k15_highhet", d$xi, d$ni, note = "large tau")
d <- sim(10, -0.8, 0.6, 15, 90);  add("sim_k10_nagq3", d$xi, d$ni, nAGQ = 3L)
d <- sim(10, -0.8, 0.6, 15, 90);  add("sim_k10_nagq15", d$xi, d$ni, nAGQ = 15L)
d <- sim(50, 0.0, 1.0, 5, 500);   add("sim_k50", d$xi, d$ni)
d <- sim(7, -2, 0.5, 4, 12);      add("sim_k7_small_n", d$xi, d$ni, note = "tiny cohorts")
d <- sim(18, 0.7, 0.3, 40, 120);  add("sim_k18_laplace_t", d$xi, d$ni, nAGQ = 1L, test = "t")

# Sparse cohorts (2 responders in 53 cohorts of 1-5 patients): the nAGQ = 7 likelihood has two
# local maxima in tau (1.52 and 5.45); the Laplace maximum is far away (tau = 8.75).
sparse_x <- c(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0)
sparse_n <- c(1,2,5,1,1,5,1,4,3,5,1,4,2,1,5,5,5,2,4,2,2,1,1,5,5,1,5,3,3,2,5,2,5,1,4,3,4,3,4,2,3,3,1,2,2,5,2,3,4,2,4,4,3)
weak <- "weakly identified (SE of the logit about 4): lme4's finite-difference Hessian error, amplified in the tails of the proportion scale"
add("sparse_bimodal", sparse_x, sparse_n, note = "two local maxima in tau at nAGQ = 7", lme4_se_issue = weak)
add("sparse_bimodal_nagq11", sparse_x, sparse_n, nAGQ = 11L, lme4_se_issue = weak)

# Two datasets from a random spot check against metafor (set.seed(99), 200 datasets) where lme4
# is off by more than 1e-4: a noisy finite-difference cross derivative (SE 1.1 percent off), and
# a flat likelihood at large tau where lme4's optimizer stops early.
add("spot_lme4_cross_derivative",
    c(4,4,0,4,3,5,7,0,8,3,1,8,13,15,1,5,9,12,14,1,1,6,3,5,8,18,13,2,4,2,1,6,3,2,5,2,10,7,3,6,5,10,13,4,16,2,1,6,2,14,2),
    c(9,4,1,5,4,6,14,11,14,3,1,10,19,18,1,16,10,15,18,1,3,12,4,6,12,18,19,2,5,5,1,8,5,10,5,3,13,8,7,7,7,17,17,7,20,3,3,14,2,17,6),
    lme4_se_issue = "lme4's finite-difference Hessian: its cross term d2/dtheta dbeta is -16.04 against -12.87 (exact), so its SE is 1.1 percent high")
add("spot_flat_large_tau",
    c(0,0,0,0,0,0,0,47,1,22,0,0,0,1,0,0,7,0,3,0,2,0,4,9,0,5,0,0,31),
    c(3,21,71,81,33,45,33,84,3,25,18,88,38,50,3,59,98,46,38,33,36,68,36,75,12,95,39,46,85),
    lme4_se_issue = "flat likelihood at large tau (tau2 about 10) with sparse cohorts: lme4's finite-difference Hessian is 0.3 percent off",
    lme4_optimum_issue = "flat likelihood at large tau (tau2 about 10): lme4 stops 5e-4 short in tau2 (relative), and its deviance there is 4e-4 below the exact AGQ deviance (PIRLS tolerance 1e-7)")

# ---------------------------------------------------------------------------------------------
num <- function(v) { v <- as.numeric(v); if (length(v) == 0 || is.null(v)) NA_real_ else v }
out <- list()
for (ds in datasets) {
  xi <- ds$xi; ni <- ds$ni
  call <- sprintf('rma.glmm(measure="PLO", xi=xi, ni=ni, nAGQ=%d, test="%s")', ds$nAGQ, ds$test)
  warn <- character(0)
  res <- withCallingHandlers(
    rma.glmm(measure = "PLO", xi = xi, ni = ni, nAGQ = ds$nAGQ, test = ds$test, retfit = TRUE),
    warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") })
  pr <- predict(res)
  prt <- predict(res, transf = transf.ilogit)
  tight_ctrl <- list(
    list(tolPwrss = 1e-13, optimizer = c("bobyqa", "bobyqa"), optCtrl = list(rhoend = 1e-10)),
    list(tolPwrss = 1e-13),
    list(tolPwrss = 1e-12, optimizer = c("bobyqa", "bobyqa"), optCtrl = list(rhoend = 1e-10)),
    list(tolPwrss = 1e-10, optimizer = c("bobyqa", "bobyqa"), optCtrl = list(rhoend = 1e-10)))
  tight <- NULL; tight_used <- NULL
  for (ctl in tight_ctrl) {
    tight <- tryCatch(suppressWarnings(rma.glmm(measure = "PLO", xi = xi, ni = ni, nAGQ = ds$nAGQ,
                                                test = ds$test, control = list(glmerCtrl = ctl),
                                                retfit = TRUE)),
                      error = function(e) NULL)
    if (!is.null(tight)) { tight_used <- ctl; break }
  }
  if (is.null(tight)) stop("tight fit failed for ", ds$name)
  prT <- predict(tight)
  prtT <- predict(tight, transf = transf.ilogit)
  g <- res$res.ML
  theta <- unname(getME(g, "theta")); beta <- unname(fixef(g))
  ex <- exact_fit(xi, ni, ds$nAGQ, start = c(max(theta, 1e-3), beta))
  gh <- GHrule(ds$nAGQ)
  cat(sprintf("%-30s k=%2d mu=%.6f tight %.9f exact %.9f | tau2=%.6f tight %.9f exact %.9f | se=%.6f tight %.9f exact %.9f\n",
              ds$name, length(xi), res$beta, tight$beta, ex$mu, res$tau2, tight$tau2, ex$tau2, res$se, tight$se, ex$se))
  out[[ds$name]] <- list(
    name = ds$name, note = ds$note, lme4_se_issue = ds$lme4_se_issue,
    lme4_optimum_issue = ds$lme4_optimum_issue, call = call, xi = I(xi), ni = I(ni), nAGQ = ds$nAGQ, test = ds$test,
    level = 95,
    metafor = list(
      estimate = num(res$beta), se = num(res$se), zval = num(res$zval), pval = num(res$pval),
      ci_lb = num(res$ci.lb), ci_ub = num(res$ci.ub), pi_lb = num(pr$pi.lb), pi_ub = num(pr$pi.ub),
      tau2 = num(res$tau2), QE_Wld = num(res$QE.Wld), QEp_Wld = num(res$QEp.Wld),
      QE_LRT = num(res$QE.LRT), QEp_LRT = num(res$QEp.LRT), QE_df = num(res$QE.df),
      I2 = num(res$I2), H2 = num(res$H2), vt = num(res$vt), logLik = num(logLik(res)),
      dfs = num(res$ddf),
      pred = num(prt$pred), pred_ci_lb = num(prt$ci.lb), pred_ci_ub = num(prt$ci.ub),
      pred_pi_lb = num(prt$pi.lb), pred_pi_ub = num(prt$pi.ub),
      warnings = I(warn)),
    metafor_tight = list(
      estimate = num(tight$beta), se = num(tight$se), zval = num(tight$zval), pval = num(tight$pval),
      ci_lb = num(tight$ci.lb), ci_ub = num(tight$ci.ub), pi_lb = num(prT$pi.lb), pi_ub = num(prT$pi.ub),
      tau2 = num(tight$tau2), QE_Wld = num(tight$QE.Wld), QEp_Wld = num(tight$QEp.Wld),
      QE_LRT = num(tight$QE.LRT), QEp_LRT = num(tight$QEp.LRT), QE_df = num(tight$QE.df),
      I2 = num(tight$I2), H2 = num(tight$H2), vt = num(tight$vt), logLik = num(logLik(tight)),
      dfs = num(tight$ddf),
      pred = num(prtT$pred), pred_ci_lb = num(prtT$ci.lb), pred_ci_ub = num(prtT$ci.ub),
      pred_pi_lb = num(prtT$pi.lb), pred_pi_ub = num(prtT$pi.ub),
      glmerCtrl = deparse1(tight_used),
      lme4_logLik = num(logLik(tight$res.ML)), lme4_theta = num(getME(tight$res.ML, "theta"))),
    lme4 = list(
      theta = theta, beta = beta, logLik = num(logLik(g)), deviance_cond = num(deviance(g)),
      gradient = num(g@optinfo$derivs$gradient), feval = num(g@optinfo$feval),
      messages = I(as.character(unlist(g@optinfo$conv$lme4$messages)))),
    exact = list(mu = ex$mu, tau = ex$tau, tau2 = ex$tau2, se = ex$se, logLik = ex$logLik,
                 hessian_neg_loglik_tau_mu = as.numeric(ex$hessian))
  )
}

rules <- lapply(c(1L, 2L, 3L, 7L, 15L, 25L), function(q) {
  gh <- GHrule(q); list(n = q, z = I(as.numeric(gh[, "z"])), w = I(as.numeric(gh[, "w"])))
})

json <- list(
  generator = "Fixtures/glmm/generate_glmm.R",
  R_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  lme4_version = as.character(packageVersion("lme4")),
  gauss_hermite_rules = rules,
  datasets = unname(out))
writeLines(toJSON(json, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), out_path)
cat("wrote", out_path, "\n")
