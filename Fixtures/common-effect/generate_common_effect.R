#!/usr/bin/env Rscript
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for the common-effect diamond that accompanies each pooling method in the
# forest plot, and for the all-zero / all-full warning (issue 12, items 1 and 4).
#
# Run from the repository root:
#   Rscript Fixtures/common-effect/generate_common_effect.R
# Writes Fixtures/common-effect/expected.json.
#
# For each dataset:
#   * "glmm_common": metafor::rma.glmm(measure = "PLO", xi, ni, method = "EE") -- the binomial
#     logistic fixed-effect model (the GLMM with tau^2 = 0), with predict(transf = transf.ilogit);
#     cross-checked against meta::metaprop(method = "GLMM")'s common-effect estimate;
#     "glmm_common_tight": the same model fitted by glm() to convergence
#     (glm.control(epsilon = 1e-15, maxit = 100)): metafor's rma.glmm stops glm at its default
#     epsilon = 1e-8, which leaves the SE ~1e-6 (relative) short of the maximum;
#   * "pooled": sum(x) / sum(n) with binom.test's exact (Clopper-Pearson) interval.
# For the all-zero and all-full sets it also records the default inverse-variance fit
# (rma(measure = "PLO", method = "REML"), add = 1/2 to zero cells), the exact CI of
# sum(x)/sum(n), and the error rma.glmm gives (no finite maximum-likelihood estimate).
suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
  library(meta)
  library(jsonlite)
})

out_path <- "Fixtures/common-effect/expected.json"
tight <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

alk <- read.csv("Fixtures/alk-nsclc/cohorts.csv", stringsAsFactors = FALSE)
datasets <- list(
  list(name = "nielweise2007_treated", source = "metadat::dat.nielweise2007 (xi = ai, ni = n1i)",
       labels = paste(dat.nielweise2007$author, dat.nielweise2007$year),
       xi = dat.nielweise2007$ai, ni = dat.nielweise2007$n1i),
  list(name = "nielweise2007_control", source = "metadat::dat.nielweise2007 (xi = ci, ni = n2i)",
       labels = paste(dat.nielweise2007$author, dat.nielweise2007$year),
       xi = dat.nielweise2007$ci, ni = dat.nielweise2007$n2i),
  list(name = "alk", source = "Fixtures/alk-nsclc/cohorts.csv (xi = responders, ni = n)",
       labels = alk$study_id, xi = alk$responders, ni = alk$n)
)

common <- function(d) {
  g <- rma.glmm(measure = "PLO", xi = d$xi, ni = d$ni, method = "EE")
  p <- predict(g, transf = transf.ilogit)
  m <- metaprop(event = d$xi, n = d$ni, method = "GLMM", sm = "PLO", random = FALSE)
  b <- binom.test(sum(d$xi), sum(d$ni))
  t <- glm(cbind(d$xi, d$ni - d$xi) ~ 1, family = binomial, control = glm.control(epsilon = 1e-15, maxit = 100))
  est <- unname(coef(t)); se <- unname(sqrt(diag(vcov(t))))
  z <- qnorm(0.975)
  list(
    dataset = d$name, source = d$source, labels = d$labels, events = d$xi, n = d$ni,
    glmm_common = list(
      call = "rma.glmm(measure=\"PLO\", xi=xi, ni=ni, method=\"EE\"); predict(res, transf=transf.ilogit)",
      estimate = as.numeric(g$beta), se = g$se, ci_lower = g$ci.lb, ci_upper = g$ci.ub,
      proportion = p$pred, proportion_ci_lower = p$ci.lb, proportion_ci_upper = p$ci.ub,
      meta_call = "metaprop(event=xi, n=ni, method=\"GLMM\", sm=\"PLO\")",
      meta_estimate = m$TE.common, meta_se = m$seTE.common),
    glmm_common_tight = list(
      call = "glm(cbind(xi, ni - xi) ~ 1, family = binomial, control = glm.control(epsilon = 1e-15, maxit = 100)); Wald CI with qnorm(0.975), plogis",
      estimate = est, se = se, ci_lower = est - z * se, ci_upper = est + z * se,
      proportion = plogis(est), proportion_ci_lower = plogis(est - z * se), proportion_ci_upper = plogis(est + z * se)),
    pooled = list(
      call = "binom.test(sum(xi), sum(ni))",
      events = sum(d$xi), total = sum(d$ni), proportion = sum(d$xi) / sum(d$ni),
      ci_lower = b$conf.int[1], ci_upper = b$conf.int[2]))
}

degenerate <- function(name, xi, ni) {
  r <- rma(measure = "PLO", xi = xi, ni = ni, method = "REML", control = tight)
  p <- predict(r, transf = transf.ilogit)
  b <- binom.test(sum(xi), sum(ni))
  glmm <- tryCatch({ rma.glmm(measure = "PLO", xi = xi, ni = ni); "fitted" },
                   error = function(e) conditionMessage(e),
                   warning = function(w) conditionMessage(w))
  list(
    dataset = name, events = xi, n = ni,
    default_fit = list(
      call = "rma(measure=\"PLO\", xi=xi, ni=ni, method=\"REML\") (add=1/2, to=\"only0\"); predict(res, transf=transf.ilogit)",
      proportion = p$pred, ci_lower = p$ci.lb, ci_upper = p$ci.ub),
    exact = list(call = "binom.test(sum(xi), sum(ni))", events = sum(xi), total = sum(ni),
                 proportion = sum(xi) / sum(ni), ci_lower = b$conf.int[1], ci_upper = b$conf.int[2]),
    glmm = glmm)
}

out <- list(
  generator = "Fixtures/common-effect/generate_common_effect.R",
  R_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")),
  meta_version = as.character(packageVersion("meta")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  common_effect = lapply(datasets, common),
  degenerate = list(
    degenerate("all_zero", c(0, 0, 0, 0), c(10, 20, 35, 50)),
    degenerate("all_full", c(10, 20, 35, 50), c(10, 20, 35, 50)))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), out_path)
