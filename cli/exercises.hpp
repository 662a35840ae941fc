// cli/exercises.hpp — every way of running a learner's exercise, in one place:
//
//   attnlab check N [--file F] [--json]  build lesson N's suite against the exercise, run each test
//   attnlab watch [N]                     check again on every save; hints on request; on to the next
//   attnlab reset N                       the course's stub back (the learner's file kept as a backup)
//   attnlab solution N                    the reference, once this exercise has passed
//   attnlab grade DIR                     a class: every learner's exercises, in isolation, as a report
//
// An exercise is the learner's own C++: it may not compile, fail, crash, loop forever or eat
// memory. Every run here has a time limit (and grading a memory limit too); past it the run is
// killed with everything it started and the message says so. `./lab serve` runs `check --json`
// for the page (web/exercise-server.mjs), so the page, the terminal, watch and grade share this code.
//
// `--file F` checks F instead of lessons/<slug>/exercise.cpp: F is copied into the build tree
// (build/native/staged/<slug>/exercise.cpp) and built as <slug>_staged_tests, so a teacher's
// grading and the tests never touch the learner's lessons/ folder. One attnlab build runs at a
// time in a build tree (a lock file); others wait for it.
#pragma once

#include <string>
#include <vector>

#include <attn/fields.hpp>

#include "lessons_table.hpp"

namespace attnlab {

/// How long a run may take. The defaults leave room for the slowest suite on a loaded machine.
struct exercise_limits {
    double build_seconds = 600;    // compiling one suite with its exercise
    double test_seconds = 30;      // one test case of the suite
    std::size_t memory_mb = 4096;  // address space per test run (grade: 2048 unless --memory)
};

/// One failed check inside a test: the suite's line and what Catch2 said.
struct test_failure {
    int line = 0;
    std::string message;
    ATTN_FIELDS(line, message)
};

/// A compiler error in the learner's file, at its line and column.
struct compile_error {
    int line = 0, column = 0;
    std::string message;
    ATTN_FIELDS(line, column, message)
};

/// One test case's outcome: "passed", "failed", "crashed" or "timed out".
struct test_outcome {
    std::string name, state;
    std::vector<test_failure> failures;
    std::string note;  // for a crash or a time-out: what happened, in words
    ATTN_FIELDS(name, state, failures, note)
};

/// A whole check: state is "passed", "failed", "does not compile", "timed out" (the build), or
/// "not run" (the suite could not be listed).
struct check_outcome {
    std::string lesson, file, state;
    std::vector<compile_error> errors;
    std::string compiler_output;  // all of it, when the build failed
    std::vector<test_outcome> tests;
    int passed = 0, total = 0;
    ATTN_FIELDS(lesson, file, state, errors, compiler_output, tests, passed, total)
};

/// `check --json` streams one JSON object per line as the check goes (what the page shows live):
/// {"event":"build"}, {"event":"test", ...test_outcome}, then {"event":"done", ...check_outcome}.
enum class check_output { terminal, json, quiet };

/// The lesson's own exercise: <source>/lessons/<slug>/exercise.cpp.
std::string exercise_path(const lesson_info& l);

/// Builds lesson l's suite against `file` (empty: the lesson's own exercise) and runs each test
/// case within the limits, printing as `out` says. Records a pass (for `solution`).
check_outcome check_exercise(const lesson_info& l, const std::string& file, const exercise_limits& limits,
                             check_output out);

/// Whether an exercise is still the course's stub: the stub's text exactly (see course_stub),
/// or, when git is not there to ask, a file that still holds its `// TODO(<slug>):` marker.
bool untouched(const lesson_info& l, const std::string& file);

/// The stub as the course ships it: the exercise at the last commit that is not a learner's own
/// (`./lab update` commits theirs as "My exercises, saved by ./lab update"), read once per lesson
/// and run. Throws if git cannot say.
std::string course_stub(const lesson_info& l);

int cmd_check(const lesson_info& l, const std::string& file, bool json, const exercise_limits& limits);
int cmd_watch(std::size_t first, const std::string& file, const exercise_limits& limits);
int cmd_reset(const lesson_info& l, const std::string& file);
int cmd_solution(const lesson_info& l);
int cmd_grade(const std::string& class_dir, const std::string& out_dir, const exercise_limits& limits,
              const std::vector<const lesson_info*>& only);

/// A file of attnlab's own state (hints seen, passes): in the build tree, or in ATTNLAB_STATE_DIR
/// when it is set (the tests set it).
std::string state_file(const std::string& name);

/// Whether lesson l's exercise has passed a check on this machine (`solution` opens then).
bool passed_here(const lesson_info& l);

/// `attnlab hint` (attnlab.cpp), which watch calls on request.
int cmd_hint(const lesson_info& l, bool reset);

}  // namespace attnlab
