// cli/process.hpp — run a program, capture what it prints, and stop it if it runs too long.
// POSIX only (attnlab is native).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace attnlab {

struct run_result {
    int exit_code = 0;              // the program's exit status, or 128 + signal if it was killed
    std::string output;             // stdout and stderr, interleaved
    bool timed_out = false;         // killed (with everything it started) at the time limit
    bool output_truncated = false;  // it printed more than max_output: the rest was read and dropped
};

/// What a run may use. A learner's exercise can loop forever or allocate without end: every
/// run of one has a wall-clock limit, and the runs `attnlab grade` makes a memory limit too.
struct run_limits {
    double seconds = 0;                 // wall clock, 0: none. Past it the run's process group is killed
    std::size_t memory_bytes = 0;       // address space (RLIMIT_AS), 0: none
    std::size_t max_output = 4u << 20;  // bytes of output kept: a test printing without end cannot fill memory
};

/// Runs argv[0] with its arguments (no shell, so no quoting) in a process group of its own and
/// waits for it, or for `limits.seconds`, after which the group is killed (SIGKILL: a build's
/// compilers and a test's threads go with it). Throws std::runtime_error if it cannot be started.
run_result run_capture(const std::vector<std::string>& argv, const run_limits& limits = {});

/// attnlab dies when its parent does (PR_SET_PDEATHSIG), taking its run with it: for `check
/// --json`, which the exercise server runs. SIGINT, SIGTERM, SIGHUP and SIGQUIT stop the run in
/// progress (its whole process group) before attnlab ends, once run_capture has been called.
void die_with_parent();

/// "12 s" or "1.5 s": how a limit is named in a message.
std::string seconds_text(double seconds);

}  // namespace attnlab
