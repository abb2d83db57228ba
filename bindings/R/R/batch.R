# SPDX-License-Identifier: GPL-3.0-or-later

#' The same analyses over many data sets (orrmeta batch)
#'
#' @param inputs CSV paths, directories or glob patterns (as the CLI), a data frame, or a named
#'   list of data frames (each written as `<name>.csv`; the summary's `file` column is that name).
#' @param spec the path of a TOML spec of named analyses (Docs/batch.md), or NULL for one
#'   analysis, `default`, from the model and column arguments in `...` (as `orr_pool`).
#' @param out the output directory to keep (default: a temporary one, removed after reading).
#' @param ... flags of `orrmeta batch`: `jobs`, `resume = TRUE`, the model and column flags.
#' @return an object of class `orrmeta_batch`: `status` (0, or 3 when some pairs failed),
#'   `summary` (data frame of summary.jsonl), `errors` (data frame of errors.csv), `batch`
#'   (batch.json), `results` (per file, per analysis, the parsed result: `orrmeta_pool` or
#'   `orrmeta_sensitivity`), `out` (the directory, when kept).
orr_batch <- function(inputs, spec = NULL, out = NULL, ...) {
  keep <- !is.null(out)
  if (is.data.frame(inputs)) inputs <- list(data = inputs)
  work <- NULL
  if (is.list(inputs)) {
    if (length(inputs) == 0L || is.null(names(inputs)) || any(!nzchar(names(inputs))) || anyDuplicated(names(inputs)) ||
        !all(vapply(inputs, is.data.frame, logical(1)))) {
      stop("orrmeta: inputs must be paths, a data frame, or a list of data frames with distinct names", call. = FALSE)
    }
    if (any(grepl("[/\\\\]|^\\.", names(inputs)))) stop("orrmeta: data set names may not contain '/' or start with '.'", call. = FALSE)
    work <- tempfile("orrmeta-batch-")
    dir.create(work)
    on.exit(unlink(work, recursive = TRUE), add = TRUE)
    for (name in names(inputs)) .orr_write_csv(inputs[[name]], file.path(work, paste0(name, ".csv")))
    paths <- paste0(names(inputs), ".csv")
  } else {
    if (!is.character(inputs) || length(inputs) == 0L || anyNA(inputs)) stop("orrmeta: inputs must be paths, a data frame, or a list of data frames", call. = FALSE)
    paths <- path.expand(inputs)
  }
  if (is.null(out)) {
    out <- tempfile("orrmeta-batch-out-")
    on.exit(unlink(out, recursive = TRUE), add = TRUE)
  }
  out <- normalizePath(path.expand(out), mustWork = FALSE)
  if (!is.null(spec)) spec <- normalizePath(path.expand(spec), mustWork = FALSE)
  options <- c(.orr_given(spec = spec), list(...))
  args <- c("batch", paths, .orr_flags(options), "--out", out, "--quiet")
  binary <- orr_binary()  # before setwd: the path may be relative
  if (!is.null(work)) {
    owd <- setwd(work)
    on.exit(setwd(owd), add = TRUE, after = FALSE)
  }
  res <- .orr_run(args, ok = c(0L, 3L), binary = binary)
  result <- .orr_read_batch(out, args)
  result$status <- res$status
  if (keep) result$out <- out
  if (res$status == 3L) {
    warning(sprintf("orrmeta batch: %d of %d file x analysis pairs failed (see $errors)",
                    nrow(result$errors), nrow(result$summary)), call. = FALSE)
  }
  result
}

.orr_read_batch <- function(out, args) {
  lines <- readLines(file.path(out, "summary.jsonl"), encoding = "UTF-8", warn = FALSE)
  rows <- lapply(lines[nzchar(lines)], jsonlite::fromJSON, simplifyVector = FALSE)
  summary <- .orr_rows_frame(rows)
  errors <- utils::read.csv(file.path(out, "errors.csv"), colClasses = "character", encoding = "UTF-8",
                            check.names = FALSE, na.strings = character())
  manifest <- readLines(file.path(out, "manifest.jsonl"), encoding = "UTF-8", warn = FALSE)
  results <- list()
  for (record in lapply(manifest[nzchar(manifest)], jsonlite::fromJSON, simplifyVector = FALSE)) {
    path <- record$result
    if (is.null(path) || !is.null(record$failure)) next
    json <- .orr_read_text(file.path(out, path))
    class <- if (grepl("\"sensitivity_settings\"", json, fixed = TRUE)) "sensitivity" else "pool"
    if (is.null(results[[record$file]])) results[[record$file]] <- list()
    results[[record$file]][[record$analysis]] <- .orr_result(json, class = class, args = args)
  }
  structure(list(status = NA_integer_, summary = summary, errors = errors,
                 batch = .orr_parse_json(.orr_read_text(file.path(out, "batch.json"))), results = results),
            class = c("orrmeta_batch", "orrmeta_result"), orrmeta_args = args)
}

# A data frame from JSON objects of scalars (null as NA; arrays, e.g. warnings, joined by " | ").
.orr_rows_frame <- function(rows) {
  if (length(rows) == 0L) return(data.frame())
  keys <- unique(unlist(lapply(rows, names)))
  keys <- c(intersect(c("file", "analysis", "name", "label"), keys), setdiff(keys, c("file", "analysis", "name", "label")))
  columns <- lapply(keys, function(key) {
    values <- lapply(rows, function(r) {
      v <- r[[key]]
      if (is.null(v)) NA else if (is.list(v) || length(v) != 1L) paste(unlist(v), collapse = " | ") else v
    })
    unlist(values)
  })
  names(columns) <- keys
  as.data.frame(columns, stringsAsFactors = FALSE, optional = TRUE)
}
