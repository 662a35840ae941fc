// cli/attnlab.cpp — the course on the command line.
//
//   attnlab list             the lessons, in order
//   attnlab lesson N         lesson N's walkthrough: every step of its example
//   attnlab example N --json the example's inputs and outputs as JSON
//   attnlab hint N           a nudge for lesson N's exercise
//   attnlab check N          build and run lesson N's tests against your exercise
//   attnlab progress [--export FILE]
//                            every exercise's state (untouched, passing, failing), with a bar;
//                            --export writes the passing ones as a progress file the site imports
//   attnlab compute --q Q.npy --k K.npy --v V.npy --out O.npy [options]
//                            attention on your own NumPy arrays (cli/compute.cpp)
//
// Every bad argument ends in one message and a non-zero exit (2 for usage,
// 1 for a failing check), never a crash.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "compute.hpp"
#include "lessons_table.hpp"
#include "process.hpp"

namespace attnlab {
namespace {

bool color() {
    static const bool on = isatty(1) && !std::getenv("NO_COLOR");
    return on;
}
std::string paint(const char* code, const std::string& s) {
    return color() ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
}
std::string bold(const std::string& s) { return paint("1", s); }
std::string green(const std::string& s) { return paint("32", s); }
std::string red(const std::string& s) { return paint("31", s); }
std::string dim(const std::string& s) { return paint("2", s); }

std::string two_digits(int id) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", id);
    return buf;
}

const lesson_info& find_lesson(const std::vector<std::string>& args, std::size_t at) {
    if (args.size() <= at) throw usage_error("which lesson? Give its number, e.g. `attnlab " + args[0] + " 1`");
    const std::string& s = args[at];
    int id = 0;
    bool digits = !s.empty() && s.size() <= 3;
    for (char c : s) digits = digits && c >= '0' && c <= '9';
    if (digits) id = std::stoi(s);
    for (std::size_t i = 0; i < lesson_count; ++i)
        if (lessons[i].id == id && digits) return lessons[i];
    throw usage_error("there is no lesson '" + s + "'; the lessons are 1 to " + std::to_string(lesson_count) +
                      " (see `attnlab list`)");
}

void print_usage(std::ostream& out) {
    out << bold("attnlab") << " — Attention Lab on the command line\n\n"
        << "  attnlab list              the lessons, in order\n"
        << "  attnlab lesson N          walk through lesson N's example, step by step\n"
        << "  attnlab example N --json  lesson N's example, inputs and outputs, as JSON\n"
        << "  attnlab hint N            a nudge for lesson N's exercise\n"
        << "  attnlab check N           run lesson N's tests against your exercise.cpp\n"
        << "  attnlab progress          every exercise: untouched, passing or failing, with a bar\n"
        << "  attnlab progress --export FILE\n"
        << "                            the same, and the passing exercises as a progress file to import\n"
        << "                            on the site's index (and hand to a teacher)\n"
        << "  attnlab compute --q Q.npy --k K.npy --v V.npy --out O.npy\n"
        << "                  [--kernel simd|tiled|online|naive|reference] [--causal] [--window W]\n"
        << "                  [--mask M.npy] [--heads H] [--scale S] [--threads T]\n"
        << "                            attention on your own NumPy arrays (float32/float64; mask bool/uint8)\n";
}

int cmd_list() {
    for (std::size_t i = 0; i < lesson_count; ++i) {
        const auto& l = lessons[i];
        std::cout << "  " << bold(two_digits(l.id)) << "  " << l.title << "\n      " << dim(l.summary) << "\n";
    }
    return 0;
}

int cmd_lesson(const lesson_info& l) {
    std::cout << "Lesson " << two_digits(l.id) << " — " << l.title << "\n\n";
    l.demo(std::cout);
    return 0;
}

int cmd_hint(const lesson_info& l) {
    std::cout << bold("Hint for lesson " + two_digits(l.id)) << " (" << l.title << ")\n\n" << l.hint << "\n\n"
              << dim(std::string("The reference is in ") + l.library + ", if you want to compare afterwards.") << "\n";
    return 0;
}

// Catch2 test specs treat , [ ] \ specially; escape them to name one test case.
std::string test_spec(const std::string& name) {
    std::string out;
    for (char c : name) {
        if (c == ',' || c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

int cmd_check(const lesson_info& l) {
    const std::string nn = two_digits(l.id);
    const std::string target = "lesson" + nn + "_exercise_tests";
    const std::string exercise = std::string("lessons/") + l.folder + "/exercise.cpp";
    std::cout << bold("Lesson " + nn + " — " + l.title) << "\n"
              << dim("  checking " + exercise) << "\n\n";

    const run_result build = run_capture({ATTN_CMAKE_COMMAND, "--build", ATTN_BUILD_DIR, "--target", target});
    if (build.exit_code != 0) {
        std::cout << build.output << "\n"
                  << red("✗ " + exercise + " does not compile yet.") << " The compiler's first error is the one "
                  << "to read; the lines above show it.\n";
        return 1;
    }
    const std::string binary = std::string(ATTN_BUILD_DIR) + "/lessons/" + l.folder + "/" + target;
    const run_result listing = run_capture({binary, "--list-test-names-only"});
    std::vector<std::string> names;
    for (const auto& line : lines_of(listing.output))
        if (!line.empty()) names.push_back(line);
    if (names.empty()) {
        std::cout << red("✗ could not list the tests of " + binary) << "\n" << listing.output;
        return 1;
    }
    std::size_t failed = 0;
    for (const auto& name : names) {
        const run_result r = run_capture({binary, test_spec(name), "--reporter", "compact"});
        if (r.exit_code == 0) {
            std::cout << "  " << green("✓") << " " << name << "\n";
            continue;
        }
        ++failed;
        std::cout << "  " << red("✗") << " " << bold(name) << "\n";
        int shown = 0;
        for (const auto& line : lines_of(r.output)) {
            const auto at = line.find(": failed: ");
            if (at == std::string::npos) continue;
            if (shown++ == 3) {
                std::cout << dim("      ...") << "\n";
                break;
            }
            // "path/to/test.cpp:42: failed: expr for: 0 == 12" -> "line 42: expr for: 0 == 12"
            const auto colon = line.rfind(':', at - 1);
            std::string what = line.substr(at + 10);
            if (what.size() > 200) what = what.substr(0, 197) + "...";
            std::cout << "      " << dim("line " + line.substr(colon + 1, at - colon - 1) + ":") << " " << what
                      << "\n";
        }
        if (shown == 0 && r.exit_code > 128)
            std::cout << "      " << red("crashed (signal " + std::to_string(r.exit_code - 128) + ")") << "\n";
        else if (shown == 0)
            for (const auto& line : lines_of(r.output)) std::cout << "      " << line << "\n";
    }
    std::cout << "\n";
    if (failed == 0) {
        std::cout << green("✓ all " + std::to_string(names.size()) + " tests pass.") << " Lesson " << nn
                  << " done: on to the next one with `attnlab list`.\n";
        return 0;
    }
    std::cout << red("✗ " + std::to_string(failed) + " of " + std::to_string(names.size()) + " tests fail.")
              << " Keep going: `attnlab hint " << l.id << "` for a nudge, `attnlab lesson " << l.id
              << "` for the numbers.\n";
    return 1;
}

/// Whether an exercise is still the course's stub: git sees no change to it, and it still
/// holds a `// TODO(lesson NN):` marker (a learner who committed a solution has none left).
/// cmake/ExpectStubFails.cmake applies the same rule, with the same pattern.
bool untouched(const std::string& exercise) {
    const run_result diff = run_capture({"git", "-C", ATTN_SOURCE_DIR, "diff", "--quiet", "HEAD", "--", exercise});
    if (diff.exit_code != 0) return false;
    std::ifstream in(exercise);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return std::regex_search(text, std::regex(R"(// TODO\(lesson [0-9]+\):)"));
}

/// Now, as the site writes times: 2026-12-01T09:30:00Z.
std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// The site's progress file (web/js/site.js), with the passing exercises filled in.
void write_progress_file(const std::string& path, const std::vector<int>& passing) {
    const std::string now = utc_now();
    std::ostringstream json;
    json << "{\n \"format\": \"attention-lab-progress\",\n \"version\": 1,\n \"source\": \"attnlab progress\",\n"
         << " \"exported\": \"" << now << "\",\n \"visited\": {},\n \"checks\": {},\n \"exercises\": {";
    for (std::size_t i = 0; i < passing.size(); ++i)
        json << (i ? "," : "") << "\n  \"" << passing[i] << "\": \"" << now << "\"";
    json << (passing.empty() ? "}" : "\n }") << "\n}\n";
    write_atomically(path, json.str());
}

/// Where each exercise stands: untouched (the course's stub), passing, failing or not
/// compiling. Only edited exercises are built and run, so a fresh clone answers at
/// once. A bar like rustlings' sums it up.
int cmd_progress(const std::string& export_path) {
    if (!export_path.empty()) check_writable(export_path);  // before minutes of building, not after
    std::size_t passed = 0;
    std::vector<int> passing;
    std::cout << bold("Your exercises") << dim("  (lessons/NN_slug/exercise.cpp)") << "\n\n";
    for (std::size_t i = 0; i < lesson_count; ++i) {
        const lesson_info& l = lessons[i];
        const std::string nn = two_digits(l.id);
        const std::string exercise = std::string(ATTN_SOURCE_DIR) + "/lessons/" + l.folder + "/exercise.cpp";
        std::string mark, state;
        if (untouched(exercise)) {
            mark = dim("·");
            state = dim("untouched");
        } else {
            const std::string target = "lesson" + nn + "_exercise_tests";
            const run_result build = run_capture({ATTN_CMAKE_COMMAND, "--build", ATTN_BUILD_DIR, "--target", target});
            if (build.exit_code != 0) {
                mark = red("✗");
                state = red("does not compile");
            } else {
                const run_result r = run_capture(
                    {std::string(ATTN_BUILD_DIR) + "/lessons/" + l.folder + "/" + target, "--reporter", "compact"});
                if (r.exit_code == 0) {
                    mark = green("✓");
                    state = green("passes");
                    ++passed;
                    passing.push_back(l.id);
                } else {
                    mark = red("✗");
                    const auto at = r.output.find("Failed ");
                    state = red(at == std::string::npos ? "fails" : "fails: " + r.output.substr(at, r.output.find('\n', at) - at));
                }
            }
        }
        std::cout << "  " << mark << " " << bold(nn) << "  " << l.title << "  " << state << "\n";
    }
    const std::size_t width = 28, filled = passed * width / lesson_count;
    std::cout << "\n  Progress: [" << green(std::string(filled, '#')) << std::string(width - filled, '-') << "] " << passed
              << "/" << lesson_count << " exercises pass\n";
    if (passed < lesson_count)
        std::cout << dim("  Next: edit an exercise, then `attnlab check N`; `attnlab hint N` if you are stuck.") << "\n";
    if (!export_path.empty()) {
        write_progress_file(export_path, passing);
        std::cout << "\n  Wrote " << export_path << " (" << passing.size() << " passing exercise"
                  << (passing.size() == 1 ? "" : "s") << "): import it on the site's index, under Your progress.\n";
    }
    return 0;
}

int run(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        print_usage(std::cout);
        return args.empty() ? 2 : 0;
    }
    const std::string& cmd = args[0];
    if (cmd == "list") return cmd_list();
    if (cmd == "lesson") return cmd_lesson(find_lesson(args, 1));
    if (cmd == "hint") return cmd_hint(find_lesson(args, 1));
    if (cmd == "check") return cmd_check(find_lesson(args, 1));
    if (cmd == "compute") return cmd_compute(args);
    if (cmd == "progress") {
        if (args.size() == 1) return cmd_progress("");
        if (args.size() == 3 && args[1] == "--export" && !args[2].empty()) return cmd_progress(args[2]);
        throw usage_error("usage: attnlab progress [--export FILE]");
    }
    if (cmd == "example") {
        const lesson_info& l = find_lesson(args, 1);
        if (args.size() != 3 || args[2] != "--json") throw usage_error("usage: attnlab example N --json");
        l.example_json(std::cout);
        return 0;
    }
    throw usage_error("unknown command '" + cmd + "'");
}

}  // namespace
}  // namespace attnlab

int main(int argc, char** argv) {
    try {
        return attnlab::run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const attnlab::usage_error& e) {
        std::cerr << "attnlab: " << e.what() << "\n\n";
        attnlab::print_usage(std::cerr);
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "attnlab: " << e.what() << "\n";
        return 1;
    }
}
