# SPDX-License-Identifier: GPL-3.0-or-later
# The tests run the real binary (ORRMETA_BINARY, options(orrmeta.binary =) or PATH) on the
# repository's fixtures (ORRMETA_REPO, default: the repository this directory is in).

orr_test_repo <- function() {
  repo <- Sys.getenv("ORRMETA_REPO", "")
  if (!nzchar(repo)) repo <- normalizePath(file.path(testthat::test_path(), "..", "..", "..", ".."), mustWork = FALSE)
  repo
}

alk_path <- function() file.path(orr_test_repo(), "Fixtures", "alk-nsclc", "cohorts.csv")

alk_data <- function() utils::read.csv(alk_path(), stringsAsFactors = FALSE, check.names = FALSE, encoding = "UTF-8")

# Runs the binary directly: status, stdout, stderr (the reference the front end must equal).
cli <- function(...) {
  out <- tempfile(); err <- tempfile()
  on.exit(unlink(c(out, err)))
  status <- suppressWarnings(system2(orr_binary(), shQuote(c(...)), stdout = out, stderr = err))
  read <- function(f) { s <- file.info(f)$size; if (is.na(s) || s == 0) "" else { x <- readChar(f, s, useBytes = TRUE); Encoding(x) <- "UTF-8"; x } }
  list(status = status, stdout = read(out), stderr = read(err))
}

cli_json <- function(...) {
  res <- cli(..., "--format", "json")
  stopifnot(res$status == 0)
  jsonlite::fromJSON(res$stdout, simplifyVector = TRUE, simplifyDataFrame = FALSE, simplifyMatrix = FALSE)
}

# The result without its class and attributes, and `input$file` (a data frame is read from a
# temporary file) replaced so that two results from different files compare.
plain <- function(x, file = "<data>") {
  x <- unclass(x)
  attributes(x) <- list(names = names(x))
  if (!is.null(x$input$file)) x$input$file <- file
  x
}
