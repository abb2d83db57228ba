# SPDX-License-Identifier: GPL-3.0-or-later
#
# Finding the orrmeta binary, checking its version and running it.

.orrmeta_state <- new.env(parent = emptyenv())

#' The orrmeta binary the package runs
#'
#' The first of: \code{options(orrmeta.binary =)}, the \code{ORRMETA_BINARY} environment
#' variable, \code{orrmeta} on \code{PATH}. Its version (\code{orrmeta --version}) must equal the
#' package version; it is checked once per binary (again when the file changes).
#' @return the normalised path of the binary.
orr_binary <- function() {
  b <- getOption("orrmeta.binary", "")
  if (is.null(b) || !nzchar(b)) b <- Sys.getenv("ORRMETA_BINARY", "")
  if (!nzchar(b)) b <- unname(Sys.which("orrmeta"))
  if (!nzchar(b)) {
    stop("orrmeta: the orrmeta binary was not found: put it on PATH, or set ",
         "options(orrmeta.binary = \"/path/to/orrmeta\") or the ORRMETA_BINARY environment variable",
         call. = FALSE)
  }
  b <- path.expand(b)
  if (!file.exists(b) || dir.exists(b)) {
    stop(sprintf("orrmeta: the orrmeta binary '%s' does not exist", b), call. = FALSE)
  }
  b <- normalizePath(b, mustWork = TRUE)
  .orr_check_version(b)
  b
}

#' Versions of the R package and of the orrmeta binary
#' @return a list with \code{package}, \code{binary} (its version) and \code{path}.
orr_version <- function() {
  path <- orr_binary()
  list(package = .orr_package_version(), binary = .orrmeta_state$versions[[path]]$version, path = path)
}

.orr_package_version <- function() as.character(utils::packageVersion("orrmeta"))

.orr_check_version <- function(binary) {
  mtime <- file.info(binary)$mtime
  cached <- .orrmeta_state$versions[[binary]]
  if (!is.null(cached) && identical(cached$mtime, mtime)) return(invisible(cached$version))
  res <- .orr_exec(binary, "--version")
  version <- trimws(res$stdout)
  if (res$status != 0L || !nzchar(version)) {
    stop(sprintf("orrmeta: '%s --version' failed (exit status %d): %s", binary, res$status,
                 trimws(res$stderr)), call. = FALSE)
  }
  if (!identical(version, .orr_package_version())) {
    stop(sprintf(paste0("orrmeta: the binary '%s' is version %s but the R package orrmeta is version %s; ",
                        "install the binary and the package of the same release"),
                 binary, version, .orr_package_version()), call. = FALSE)
  }
  if (is.null(.orrmeta_state$versions)) .orrmeta_state$versions <- list()
  .orrmeta_state$versions[[binary]] <- list(mtime = mtime, version = version)
  invisible(version)
}

# Runs the binary with the given arguments, capturing standard output and standard error in
# files. system2 passes the command line through /bin/sh and quotes only the command itself,
# so each argument is quoted here with shQuote.
.orr_exec <- function(binary, args) {
  out <- tempfile("orrmeta-stdout-")
  err <- tempfile("orrmeta-stderr-")
  on.exit(unlink(c(out, err)), add = TRUE)
  status <- suppressWarnings(system2(binary, shQuote(as.character(args)),
                                     stdout = out, stderr = err))
  list(status = as.integer(status), stdout = .orr_read_text(out), stderr = .orr_read_text(err))
}

.orr_read_text <- function(path) {
  if (!file.exists(path)) return("")
  size <- file.info(path)$size
  if (is.na(size) || size == 0) return("")
  text <- readChar(path, size, useBytes = TRUE)
  Encoding(text) <- "UTF-8"
  text
}

# Runs `orrmeta <args>`; a non-zero exit status in `ok` is returned, any other becomes an R
# error (class orrmeta_error) whose message is what the binary printed on standard error.
.orr_run <- function(args, ok = 0L, binary = orr_binary()) {
  res <- .orr_exec(binary, args)
  lines <- strsplit(res$stderr, "\n", fixed = TRUE)[[1]]
  warnings <- sub("^orrmeta: warning: ", "", grep("^orrmeta: warning: ", lines, value = TRUE))
  if (!(res$status %in% ok)) {
    message <- paste(lines[!grepl("^orrmeta: warning: ", lines)], collapse = "\n")
    message <- sub("\\s+$", "", message)
    if (!nzchar(message)) message <- sprintf("orrmeta exited with status %d", res$status)
    stop(structure(class = c("orrmeta_error", "error", "condition"),
                   list(message = message, call = NULL, status = res$status, args = args)))
  }
  res$warnings <- warnings
  res
}
