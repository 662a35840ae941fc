// cli/files.hpp — how every attnlab command that writes a file writes it, so that no file of the
// user's is ever destroyed.
//
//   check_writable        the output's folder exists and is writable: refused before any work
//   refuse_input_as_output --out naming one of the command's inputs is refused, by identity
//                         (the same file through ./, another path, a symlink or a hard link)
//   write_atomically      the bytes go to a temporary file beside the target, then one rename:
//                         a failed or interrupted run leaves the old file (or none), never a part
// POSIX only (attnlab is native).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace attnlab {

/// A wrong command line: attnlab prints the message and its usage, exit 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A file that cannot be read or written as asked: one message, exit 1.
struct file_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Refuses up front an output path whose folder is missing or not writable.
void check_writable(const std::string& path);

/// Refuses `out` if it is the same file as any input, given as (what, path), e.g. {"--q", "Q.npy"}.
void refuse_input_as_output(const std::string& out_flag, const std::string& out,
                            const std::vector<std::pair<std::string, std::string>>& inputs);

/// Writes `bytes` to `path`: a temporary file in the same folder (removed if the run fails or is
/// interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT), flushed to disk, then renamed over `path`.
/// A symlink at `path` is replaced, never written through.
void write_atomically(const std::string& path, const std::string& bytes);

}  // namespace attnlab
