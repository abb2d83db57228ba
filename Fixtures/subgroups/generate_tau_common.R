# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for `--by COL --tau-common` (R meta's `tau.common = TRUE`): one tau^2 pooled
# across subgroups, estimated from the mixed-effects model with the subgroup as a factor
# (metafor rma(yi, vi, mods = ~ factor(g))), each subgroup's random-effects estimate with that
# tau^2, and the test for subgroup differences as meta computes it (Q.b.random).
#
#   cd Fixtures/subgroups && LC_ALL=C Rscript generate_tau_common.R
#
# Writes tau-common.json. Tight control (meta passes control= to metafor's rma.uni).
# Not run by `swift test`; provenance only.

suppressPackageStartupMessages({
  library(meta)
  library(metafor)
  library(metadat)
  library(jsonlite)
})
stopifnot(packageVersion("meta") == "8.2.1", packageVersion("metafor") == "3.8.1")

ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) as.numeric(x)

alk <- read.csv("../alk-nsclc/cohorts.csv", stringsAsFactors = FALSE)
deb <- dat.debruin2009
datasets <- list(
  alk_line = list(file = "Fixtures/alk-nsclc/cohorts.csv", by = "line",
                  d = data.frame(label = alk$study_id, x = alk$responders, n = alk$n, g = alk$line)),
  alk_generation = list(file = "Fixtures/alk-nsclc/cohorts.csv", by = "generation",
                  d = data.frame(label = alk$study_id, x = alk$responders, n = alk$n, g = as.character(alk$generation))),
  debruin2009_ethnicity = list(file = "Fixtures/subgroups/debruin2009.csv", by = "ethnicity",
                  d = data.frame(label = deb$author, x = deb$xi, n = deb$ni, g = deb$ethnicity))
)
# The metadat dataset as a cohort file for the tests (facts copied with their source).
write.csv(data.frame(label = deb$author, events = deb$xi, n = deb$ni, ethnicity = deb$ethnicity),
          "debruin2009.csv", row.names = FALSE, quote = TRUE)

sms <- c(PLO = "PLOGIT", PAS = "PAS", PFT = "PFT", PR = "PRAW")
cases <- list()
for (name in names(datasets)) {
  ds <- datasets[[name]]
  d <- ds$d
  for (measure in c("PLO", "PAS", "PFT")) {
    for (method in c("REML", "DL", "PM", "ML")) {
      m <- metaprop(x, n, studlab = label, data = d, sm = sms[[measure]], method = "Inverse",
                    method.tau = method, subgroup = g, tau.common = TRUE, common = TRUE, random = TRUE,
                    method.ci = "CP", control = ctrl)
      es <- escalc(measure = measure, xi = x, ni = n, data = d)
      reg <- rma(yi, vi, mods = ~ factor(g), data = es, method = method, control = ctrl)
      levels <- as.character(m$subgroup.levels)
      cases[[length(cases) + 1]] <- list(
        dataset = name, file = ds$file, by = ds$by, measure = measure, method = method,
        call = sprintf("metaprop(x, n, studlab = label, data = d, sm = \"%s\", method = \"Inverse\", method.tau = \"%s\", subgroup = g, tau.common = TRUE, method.ci = \"CP\", control = ctrl); rma(yi, vi, mods = ~ factor(g), method = \"%s\", control = ctrl)",
                       sms[[measure]], method, method),
        tau2_common = num(m$tau2.w[1]),
        tau2_rma_mods = num(reg$tau2),
        levels = levels,
        k = num(m$k.w),
        estimate = num(m$TE.random.w), se = num(m$seTE.random.w),
        ci_lower = num(m$lower.random.w), ci_upper = num(m$upper.random.w),
        q_between = num(m$Q.b.random), q_between_df = num(m$df.Q.b.random), q_between_p = num(m$pval.Q.b.random),
        q_within = num(m$Q.w.random),
        overall_estimate = num(m$TE.random), overall_se = num(m$seTE.random), overall_tau2 = num(m$tau2)
      )
    }
  }
}

out <- list(
  provenance = list(
    meta = as.character(packageVersion("meta")), metafor = as.character(packageVersion("metafor")),
    metadat = as.character(packageVersion("metadat")), R = R.version.string, control = ctrl,
    note = "per subgroup: estimate/se/ci on the model scale (meta TE.random.w, seTE.random.w, lower/upper.random.w); tau2_common = meta tau2.w (identical in every subgroup) = metafor rma(mods = ~ factor(g))$tau2"),
  cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE), "tau-common.json")
cat("wrote tau-common.json with", length(cases), "cases\n")
