# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for orrmeta's sensitivity analyses, computed with metafor.
#
#   cd Fixtures/sensitivity && LC_ALL=C Rscript generate_sensitivity.R
#
# Writes one JSON file per dataset × measure (model, leave1out, influence, baujat, cumul,
# regtest sei/ninv, ranktest, trimfill L0/R0 for each method × test), gosh_*.json (exhaustive
# GOSH for small k) and metareg_*.json (meta-regression and exact permutation tests).
# All iterative fits use control = list(threshold = 1e-12, tol = 1e-12, maxiter = 1000) so that
# orrmeta can be compared tightly (FitControl(threshold: 1e-12, maxIterations: 1000,
# rootTolerance: 1e-12, logLikelihoodTolerance: 1e-12)).
# Not run by `swift test`; provenance only.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")

ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)
methods <- c("DL", "REML", "PM", "EE")
tests <- c("z", "knha")
num <- function(x) { x <- as.numeric(x); x }

provenance <- function(call) list(
  metafor = as.character(packageVersion("metafor")),
  metadat = as.character(packageVersion("metadat")),
  R = R.version.string,
  call = call,
  control = ctrl
)

write_json_file <- function(obj, file) {
  writeLines(toJSON(obj, auto_unbox = TRUE, digits = NA, na = "null", null = "null"), file)
  cat("wrote", file, "\n")
}

# ---------------------------------------------------------------- datasets
alk <- read.csv("/work/shared/data/alk_cohorts.csv", stringsAsFactors = FALSE)
set.seed(20240611)
rk <- 20
rnd_n <- sample(15:200, rk, replace = TRUE)
rnd_p <- plogis(rnorm(rk, qlogis(0.45), 0.6))
rnd_x <- rbinom(rk, rnd_n, rnd_p)

datasets <- list(
  pritz1997 = data.frame(label = dat.pritz1997$authors, xi = dat.pritz1997$xi, ni = dat.pritz1997$ni),
  debruin2009 = data.frame(label = dat.debruin2009$author, xi = dat.debruin2009$xi, ni = dat.debruin2009$ni),
  alk = data.frame(label = alk$study_id, xi = alk$responders, ni = alk$n),
  random20 = data.frame(label = paste0("R", seq_len(rk)), xi = rnd_x, ni = rnd_n)
)

one_case <- function(dat, method, test) {
  res <- rma(yi, vi, data = dat, method = method, test = test, control = ctrl)
  out <- list(method = method, test = test)
  out$model <- list(estimate = num(res$beta), se = res$se, ci_lower = res$ci.lb, ci_upper = res$ci.ub,
                    pval = res$pval, tau2 = res$tau2, i2 = res$I2, h2 = res$H2, q = res$QE, qp = res$QEp)
  l1 <- leave1out(res)
  out$leave1out <- list(estimate = num(l1$estimate), se = num(l1$se), zval = num(if (is.null(l1$zval)) l1$tval else l1$zval),
                        pval = num(l1$pval), ci_lower = num(l1$ci.lb), ci_upper = num(l1$ci.ub),
                        q = num(l1$Q), qp = num(l1$Qp), tau2 = if (is.null(l1$tau2)) rep(0, res$k) else num(l1$tau2),
                        i2 = num(l1$I2), h2 = num(l1$H2))
  inf <- influence(res)
  out$influence <- list(rstudent = num(inf$inf$rstudent), dffits = num(inf$inf$dffits), cook_d = num(inf$inf$cook.d),
                        cov_r = num(inf$inf$cov.r), tau2_del = num(inf$inf$tau2.del), qe_del = num(inf$inf$QE.del),
                        hat = num(inf$inf$hat), weight = num(inf$inf$weight), dfbetas = num(inf$dfbs$intrcpt),
                        influential = as.logical(inf$is.infl))
  pdf(NULL); bj <- baujat(res); dev.off()
  out$baujat <- list(x = num(bj$x), y = num(bj$y))
  ord <- order(dat$ni)
  cu <- cumul(res, order = dat$ni)
  out$cumul <- list(order = ord - 1L, estimate = num(cu$estimate), se = num(cu$se), ci_lower = num(cu$ci.lb),
                    ci_upper = num(cu$ci.ub), tau2 = if (is.null(cu$tau2)) rep(0, res$k) else num(cu$tau2),
                    i2 = num(cu$I2), q = num(cu$Q))
  rt <- function(pred) {
    r <- tryCatch(regtest(res, model = "rma", predictor = pred, ni = dat$ni), error = function(e) NULL)
    if (is.null(r)) return(NULL)
    list(zval = num(r$zval), pval = num(r$pval), ddf = num(r$ddf), est = num(r$est), ci_lower = num(r$ci.lb),
         ci_upper = num(r$ci.ub), slope = num(r$fit$beta[2]), slope_se = num(r$fit$se[2]), tau2 = num(r$fit$tau2))
  }
  out$egger <- rt("sei")
  out$peters <- rt("ninv")
  rk <- suppressWarnings(ranktest(res))
  out$begg <- list(tau = num(rk$tau), pval = num(rk$pval))
  tf <- function(est) {
    r <- tryCatch(suppressWarnings(trimfill(res, estimator = est, control = ctrl)), error = function(e) NULL)
    if (is.null(r)) return(NULL)
    list(k0 = r$k0, se_k0 = r$se.k0, side = r$side, estimate = num(r$beta), se = r$se, ci_lower = r$ci.lb,
         ci_upper = r$ci.ub, pval = r$pval, tau2 = r$tau2,
         filled_yi = if (r$k0 > 0) num(tail(r$yi, r$k0)) else numeric(0))
  }
  out$trimfill_L0 <- tf("L0")
  out$trimfill_R0 <- tf("R0")
  out
}

for (nm in names(datasets)) {
  d <- datasets[[nm]]
  for (measure in c("PLO", "PFT")) {
    dat <- escalc(measure = measure, xi = xi, ni = ni, data = d)
    cases <- list()
    for (m in methods) for (t in tests) {
      cases[[length(cases) + 1]] <- one_case(dat, m, t)
    }
    write_json_file(list(
      provenance = provenance(sprintf("escalc('%s', xi, ni); rma(yi, vi, method, test, control); leave1out; influence; baujat; cumul(order = ni); regtest(model='rma', predictor='sei'/'ninv'); ranktest; trimfill(estimator='L0'/'R0', control)", measure)),
      dataset = nm, measure = measure,
      data = list(label = d$label, xi = d$xi, ni = d$ni, yi = num(dat$yi), vi = num(dat$vi)),
      cases = cases), sprintf("%s_%s.json", nm, measure))
  }
}

# ---------------------------------------------------------------- GOSH (exhaustive, small k)
g8 <- escalc(measure = "PLO", xi = xi, ni = ni, data = datasets$pritz1997[1:8, ])
gosh_cases <- list()
for (m in methods) {
  res <- rma(yi, vi, data = g8, method = m, control = ctrl)
  g <- gosh(res, progbar = FALSE)
  incl <- apply(g$incl, 1, function(r) sum(2^(which(r) - 1)))
  gosh_cases[[length(gosh_cases) + 1]] <- list(method = m, mask = incl, k = g$res$k, estimate = g$res$estimate,
                                               q = g$res$QE, i2 = g$res$I2, h2 = g$res$H2, tau2 = g$res$tau2)
}
write_json_file(list(provenance = provenance("gosh(rma(yi, vi, method, control)) on the first 8 cohorts of dat.pritz1997, PLO"),
                     data = list(yi = num(g8$yi), vi = num(g8$vi)), cases = gosh_cases), "gosh_pritz8_PLO.json")

# ---------------------------------------------------------------- meta-regression
reg_cases <- function(dat, mods, label) {
  cases <- list()
  for (m in c("DL", "REML", "PM", "EE", "ML", "HE", "SJ", "EB", "HS")) for (t in tests) {
    if (m == "EE" && t == "knha") next
    res <- rma(yi, vi, mods = mods, data = dat, method = m, test = t, control = ctrl)
    cases[[length(cases) + 1]] <- list(
      method = m, test = t, names = rownames(res$beta), beta = num(res$beta), se = num(res$se),
      zval = num(res$zval), pval = num(res$pval), ci_lower = num(res$ci.lb), ci_upper = num(res$ci.ub),
      tau2 = res$tau2, se_tau2 = if (is.na(res$se.tau2)) NULL else res$se.tau2,
      qm = res$QM, qm_df = num(res$QMdf), qmp = res$QMp, qe = res$QE, qep = res$QEp,
      i2 = res$I2, h2 = res$H2, r2 = if (is.null(res$R2)) NULL else res$R2)
  }
  cases
}
deb <- escalc(measure = "PLO", xi = xi, ni = ni, data = dat.debruin2009)
write_json_file(list(
  provenance = provenance("rma(yi, vi, mods = ~ ethnicity + scq, data = escalc('PLO', xi, ni, data = dat.debruin2009), method, test, control)"),
  data = list(yi = num(deb$yi), vi = num(deb$vi), ethnicity = deb$ethnicity, scq = deb$scq),
  cases = reg_cases(deb, ~ ethnicity + scq)), "metareg_debruin2009_PLO.json")

alkd <- escalc(measure = "PLO", xi = responders, ni = n, data = alk)
write_json_file(list(
  provenance = provenance("rma(yi, vi, mods = ~ generation + line + year, data = escalc('PLO', responders, n, data = alk_cohorts.csv), method, test, control); LC_ALL=C factor levels"),
  data = list(yi = num(alkd$yi), vi = num(alkd$vi), generation = alkd$generation, line = alkd$line, year = num(alkd$year)),
  cases = reg_cases(alkd, ~ generation + line + year)), "metareg_alk_PLO.json")

# exact permutation tests (small k)
perm <- list()
p8 <- g8
p8$grp <- c("a", "b", "a", "b", "b", "a", "a", "b")
for (m in c("DL", "REML")) for (t in tests) {
  r0 <- rma(yi, vi, data = p8, method = m, test = t, control = ctrl)
  pt0 <- permutest(r0, exact = TRUE, progbar = FALSE, control = list(comptol = sqrt(.Machine$double.eps)))
  r1 <- rma(yi, vi, mods = ~ grp, data = p8, method = m, test = t, control = ctrl)
  pt1 <- permutest(r1, exact = TRUE, progbar = FALSE)
  perm[[length(perm) + 1]] <- list(method = m, test = t, intercept_only_pval = num(pt0$pval), intercept_only_qmp = num(pt0$QMp),
                                   mods_pval = num(pt1$pval), mods_qmp = num(pt1$QMp), mods_iter = nrow(pt1$zval.perm))
}
write_json_file(list(provenance = provenance("permutest(rma(yi, vi[, mods = ~ grp], method, test, control), exact = TRUE) on the first 8 cohorts of dat.pritz1997, PLO"),
                     data = list(yi = num(p8$yi), vi = num(p8$vi), grp = p8$grp), cases = perm), "permutest_pritz8_PLO.json")
