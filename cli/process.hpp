// cli/process.hpp — run a program, capture what it prints. POSIX only (attnlab is native).
#pragma once

#include <string>
#include <vector>

namespace attnlab {

struct run_result {
    int exit_code;       // the program's exit status, or 128 + signal if it was killed
    std::string output;  // stdout and stderr, interleaved
};

/// Runs argv[0] with its arguments (no shell, so no quoting), waits for it.
/// Throws std::runtime_error if it cannot be started.
run_result run_capture(const std::vector<std::string>& argv);

}  // namespace attnlab
