# Expected binomial CIs for the reference-trial cohorts, from R's binom.test (Clopper-Pearson) and
# prop.test (Wilson, without and with continuity correction). Writes binom_test_expected.json.
#
#   Rscript Fixtures/reference-trials/binom_test.R        (from the repository root)
#
# Not run by `swift test` (CI has no R); the output is committed.
# SPDX-License-Identifier: GPL-3.0-or-later
suppressPackageStartupMessages(library(jsonlite))
here <- "Fixtures/reference-trials"
cases <- data.frame(
  name = c("ALUR_alectinib", "ALUR_chemo", "Okayama_crizotinib_post_alectinib",
           "Okayama_crizotinib_post_alectinib", "ALNEO_major_pathological_response"),
  x = c(40, 1, 3, 3, 15), n = c(79, 40, 9, 9, 33), level = c(0.95, 0.95, 0.95, 0.90, 0.95))
rows <- lapply(seq_len(nrow(cases)), function(i) {
  x <- cases$x[i]; n <- cases$n[i]; lv <- cases$level[i]
  bt <- binom.test(x, n, conf.level = lv)
  list(name = cases$name[i], events = x, n = n, level = lv, proportion = unname(bt$estimate),
       p_value = bt$p.value,
       clopper_pearson = unname(bt$conf.int[1:2]),
       wilson = unname(prop.test(x, n, conf.level = lv, correct = FALSE)$conf.int[1:2]),
       wilson_cc = unname(prop.test(x, n, conf.level = lv, correct = TRUE)$conf.int[1:2]))
})
out <- list(generated_by = "Fixtures/reference-trials/binom_test.R", r_version = R.version.string, cases = rows)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "binom_test_expected.json"))
cat("wrote", file.path(here, "binom_test_expected.json"), "\n")
