# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for `orrmeta regress` predictions, --reference and --interaction: metafor
# rma(yi, vi, mods = ...) with tight control, and predict(res, newmods = , transf = ) at every
# distinct moderator pattern of the data (rows of the model matrix, in order of first appearance).
#
#   cd Fixtures/regression && LC_ALL=C Rscript generate_predictions.R
#
# Writes predictions.json. Not run by `swift test`; provenance only.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) as.numeric(x)

alk <- read.csv("../alk-nsclc/cohorts.csv", stringsAsFactors = FALSE)
alk$line_ref <- relevel(factor(alk$line), ref = "pretreated")
alk$generation_f <- factor(alk$generation)

cases <- list(
  list(name = "line_reference_pretreated", args = c("--mods", "line", "--reference", "line=pretreated"),
       formula = ~ line_ref),
  list(name = "line_n_interaction", args = c("--mods", "line", "n", "--interaction", "line:n"),
       formula = ~ factor(line) + n + factor(line):n),
  list(name = "generation_reference_2", args = c("--mods", "generation", "line", "--categorical", "generation", "--reference", "generation=2"),
       formula = ~ relevel(generation_f, ref = "2") + factor(line))
)
settings <- list(c(measure = "PLO", method = "REML", test = "z"), c(measure = "PLO", method = "DL", test = "knha"),
                 c(measure = "PAS", method = "REML", test = "z"))
out <- list()
for (cs in cases) {
  for (st in settings) {
    es <- escalc(measure = st[["measure"]], xi = responders, ni = n, data = alk)
    res <- rma(yi, vi, mods = cs$formula, data = es, method = st[["method"]], test = st[["test"]], control = ctrl)
    X <- model.matrix(res)
    patterns <- unique(X[, -1, drop = FALSE])
    transf <- if (st[["measure"]] == "PLO") transf.ilogit else transf.iarcsin
    p <- predict(res, newmods = patterns)
    pt <- predict(res, newmods = patterns, transf = transf)
    out[[length(out) + 1]] <- list(
      name = cs$name, args = cs$args, measure = st[["measure"]], method = st[["method"]], test = st[["test"]],
      call = paste0("rma(yi, vi, mods = ", paste(deparse(cs$formula), collapse = ""), ", method = \"", st[["method"]],
                    "\", test = \"", st[["test"]], "\", control = ctrl); predict(res, newmods = unique(model.matrix(res)[, -1]), transf = ",
                    if (st[["measure"]] == "PLO") "transf.ilogit" else "transf.iarcsin", ")"),
      coefficients = num(res$beta), se = num(res$se), tau2 = res$tau2,
      patterns = unname(lapply(seq_len(nrow(patterns)), function(i) num(patterns[i, ]))),
      pred = num(p$pred), pred_se = num(p$se), ci_lower = num(p$ci.lb), ci_upper = num(p$ci.ub),
      pi_lower = num(p$pi.lb), pi_upper = num(p$pi.ub),
      proportion = num(pt$pred), proportion_ci_lower = num(pt$ci.lb), proportion_ci_upper = num(pt$ci.ub),
      proportion_pi_lower = num(pt$pi.lb), proportion_pi_upper = num(pt$pi.ub))
  }
}
writeLines(toJSON(list(
  provenance = list(metafor = as.character(packageVersion("metafor")), R = R.version.string, control = ctrl,
                    data = "Fixtures/alk-nsclc/cohorts.csv (responders, n)"),
  cases = out), auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE), "predictions.json")
cat("wrote predictions.json with", length(out), "cases\n")
