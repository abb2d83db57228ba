#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# generate_sensitivity.R -- cluster-level diagnostics of the three-level model from metafor 3.8-1
#
# For dat.konstantopoulos2011 (districts) and the sourced ALK table (PLO, trials), REML, z:
#   cooks.distance(res, cluster = cluster)   Cook's distance per cluster (refits without it)
#   dfbetas(res, cluster = cluster)           DFBETAS per cluster
#   leave-one-cluster-out refits (rma.mv on the remaining rows): mu, SE, CI, sigma^2
#   rma.mv(..., mods = ~ sqrt(vi))            multilevel Egger test
# with control = list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-14, maxit = 10000).
# Run from the repository root: Rscript Fixtures/multilevel/generate_sensitivity.R
# Also meta's metaprop(cluster = trial, method.tau = "REML") on the ALK table.
# Output: Fixtures/multilevel/sensitivity.json (versions and calls recorded inside).

suppressPackageStartupMessages({ library(metafor); library(metadat); library(jsonlite); library(meta) })
ctrl <- list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-14, maxit = 10000)

one <- function(name, yi, vi, cluster) {
  dat <- data.frame(yi = yi, vi = vi, cluster = factor(cluster, levels = unique(cluster)), cohort = seq_along(yi))
  res <- rma.mv(yi, vi, random = ~ 1 | cluster/cohort, data = dat, control = ctrl)
  cd <- cooks.distance(res, cluster = dat$cluster, reestimate = TRUE)
  dfb <- dfbetas(res, cluster = dat$cluster, reestimate = TRUE)
  loo <- lapply(levels(dat$cluster), function(l) {
    r <- rma.mv(yi, vi, random = ~ 1 | cluster/cohort, data = dat, subset = cluster != l, control = ctrl)
    list(label = l, estimate = as.numeric(r$b), se = r$se, ci_lower = r$ci.lb, ci_upper = r$ci.ub, sigma2 = r$sigma2)
  })
  eg <- rma.mv(yi, vi, random = ~ 1 | cluster/cohort, data = dat, mods = ~ sqrt(vi), control = ctrl)
  list(name = name, yi = yi, vi = vi, cluster = as.character(cluster),
       estimate = as.numeric(res$b), sigma2 = res$sigma2,
       cooks_distance = as.vector(cd), dfbetas = as.vector(dfb[, 1]), leave_one_cluster_out = loo,
       egger = list(intercept = eg$b[1], intercept_se = eg$se[1], slope = eg$b[2], se = eg$se[2],
                    statistic = eg$zval[2], p_value = eg$pval[2]))
}

d <- dat.konstantopoulos2011
alk <- read.csv("Fixtures/alk-nsclc/cohorts.csv", stringsAsFactors = FALSE)
es <- escalc("PLO", xi = alk$responders, ni = alk$n)
# meta 8.2-1: metaprop(cluster = trial, method.tau = "REML"), its default control.
mp <- metaprop(alk$responders, alk$n, cluster = alk$trial, method.tau = "REML", sm = "PLOGIT", method = "Inverse")
meta_alk <- list(call = "metaprop(responders, n, cluster = trial, method.tau = \"REML\", sm = \"PLOGIT\", method = \"Inverse\")",
                 version = as.character(packageVersion("meta")),
                 estimate = mp$TE.random, se = mp$seTE.random, sigma2 = unname(mp$tau2))
out <- list(
  meta_metaprop_alk = meta_alk,
  generator = "Fixtures/multilevel/generate_sensitivity.R",
  versions = list(R = R.version.string, metafor = as.character(packageVersion("metafor"))),
  control = "control = list(optimizer = \"optim\", optmethod = \"BFGS\", reltol = 1e-14, maxit = 10000); cooks.distance/dfbetas(res, cluster = cluster, reestimate = TRUE)",
  cases = list(one("konstantopoulos2011", d$yi, d$vi, d$district),
               one("alk_PLO", as.vector(es$yi), as.vector(es$vi), alk$trial)))
write(toJSON(out, auto_unbox = TRUE, digits = I(17), null = "null", na = "null", pretty = TRUE),
      "Fixtures/multilevel/sensitivity.json")
cat("wrote sensitivity.json\n")
