// cli/attnlab.cpp — the course on the command line. The commands and their usage are
// listed once, in `usage` below (`attnlab help` prints it; `./lab help` too).
//
// A lesson is named by its number (its position in lessons/lessons.json) or its
// slug: `attnlab check 3` and `attnlab check scaled_dot_product` are the same.
// The command line is parsed by CLI11 (Debian's libcli11-dev). Every bad
// argument ends in one message and a non-zero exit (2 for usage, 1 for a
// failing check), never a crash.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <attn/format.hpp>

#include "compute.hpp"
#include "train.hpp"
#include "lessons_table.hpp"
#include "process.hpp"
#include "term.hpp"
#include "exercises.hpp"

namespace attnlab {
namespace {

/// The lesson named `s`: its number (1 = the manifest's first) or its slug.
const lesson_info& find_lesson(const std::string& command, const std::string& s) {
    if (s.empty()) throw usage_error("which lesson? Give its number, e.g. `attnlab " + command + " 1`");
    bool digits = s.size() <= 3;
    for (char c : s) digits = digits && c >= '0' && c <= '9';
    for (std::size_t i = 0; i < lesson_count; ++i)
        if ((digits && lessons[i].number == std::stoi(s)) || s == lessons[i].slug) return lessons[i];
    throw usage_error("there is no lesson '" + s + "'; the lessons are 1 to " + std::to_string(lesson_count) +
                      " (see `attnlab list`)");
}

/// Every command with its arguments, once: `attnlab help`, the usage after an error, `./lab help`.
const char* const usage[][2] = {
    {"list", "the lessons, in order"},
    {"lesson N", "walk through lesson N's example, step by step (N: its number or its slug)"},
    {"example N --json", "lesson N's example, inputs and outputs, as JSON"},
    {"hint N [--reset]", "the next hint for lesson N's exercise: first the idea, then the invariant, then pseudo-code"},
    {"check N [--file F] [--json] [--time-limit S]",
     "run lesson N's tests against your exercise.cpp (or F), each test within S seconds (default 30); --json: one "
     "event per line, as the page reads them"},
    {"watch [N] [--file F]",
     "check lesson N (default: the first not yet passed here) each time you save it; h a hint, n the next lesson, "
     "q quit; on to the next lesson once it passes"},
    {"reset N [--file F]", "put the course's stub back in lesson N's exercise, keeping yours in a .bak file beside it"},
    {"solution N", "the reference for lesson N's exercise, once yours has passed here"},
    {"grade DIR [--out FOLDER] [--lesson N ...] [--time-limit S] [--memory MB]",
     "for teachers: every learner's folder in DIR built and tested in isolation; writes class-report.html, .csv "
     "and .json"},
    {"progress [--export FILE]",
     "every exercise: untouched, passing or failing, with a bar; --export writes the passing ones as a "
     "progress file to import on the site's index (and hand to a teacher)"},
    {"compute --q Q.npy --k K.npy --v V.npy --out O.npy\n    [--kernel simd|tiled|online|naive|reference] "
     "[--causal] [--window W]\n    [--mask M.npy] [--heads H] [--scale S] [--threads T]",
     "attention on your own NumPy arrays (float32/float64; mask bool/uint8)"},
    {"train [--steps N] [--seed S] [--threads T] [--batch B] [--every K]\n    [--text FILE] [--out FILE] [--resume CKPT]",
     "train the course's byte-level transformer on its own frozen text (model/), with checkpoints"},
    {"generate PROMPT [--count N] [--temperature T] [--top-k K] [--seed S] [--weights FILE]",
     "let the trained model (model/course.weights) write after a prompt"},
};

void print_usage(std::ostream& out) {
    out << bold("attnlab") << " — Attention Lab on the command line\n\n";
    for (const auto& [command, what] : usage) out << "  attnlab " << command << "\n      " << dim(what) << "\n";
}

int cmd_list() {
    for (std::size_t i = 0; i < lesson_count; ++i) {
        const auto& l = lessons[i];
        std::cout << "  " << bold(two_digits(l.number)) << "  " << l.title << dim("  (" + std::string(l.slug) + ")")
                  << "\n      " << dim(l.summary) << "\n";
    }
    return 0;
}

int cmd_lesson(const lesson_info& l) {
    std::cout << "Lesson " << two_digits(l.number) << " — " << l.title << "\n\n";
    l.walkthrough(std::cout);
    return 0;
}

/// The three tiers of a lesson's hints, as `attnlab hint` and the page name them.
const char* const hint_tiers[3] = {"the idea", "the invariant", "pseudo-code"};

/// Where `attnlab hint` remembers how many hints of each lesson were shown: one "slug count" line
/// per lesson, in the build tree (ATTNLAB_STATE_DIR overrides it, for the tests).
std::string hints_file() { return state_file("attnlab-hints.txt"); }

std::map<std::string, int> read_hints_seen() {
    std::map<std::string, int> seen;
    std::ifstream in(hints_file());
    std::string slug;
    int count = 0;
    while (in >> slug >> count) seen[slug] = std::max(0, std::min(count, 3));
    return seen;
}

void write_hints_seen(const std::map<std::string, int>& seen) {
    std::string text;
    for (const auto& [slug, count] : seen) text += slug + " " + std::to_string(count) + "\n";
    write_atomically(hints_file(), text);
}

/// `text` broken into lines of at most `width` columns (counting UTF-8 characters), each indented.
std::string wrapped(const std::string& text, std::size_t width, const std::string& indent) {
    std::istringstream words(text);
    std::string out, line;
    std::size_t columns = 0;
    const auto length = [](const std::string& w) {
        std::size_t n = 0;
        for (unsigned char c : w) n += (c & 0xC0) != 0x80;
        return n;
    };
    for (std::string w; words >> w;) {
        if (columns > 0 && columns + 1 + length(w) > width) {
            out += indent + line + "\n";
            line.clear();
            columns = 0;
        }
        line += (columns ? " " : "") + w;
        columns += (columns ? 1 : 0) + length(w);
    }
    if (!line.empty()) out += indent + line + "\n";
    return out;
}

void print_hint(const lesson_info& l, int k) {
    std::cout << bold("Hint " + std::to_string(k + 1) + " of 3, " + hint_tiers[k]) << "\n"
              << wrapped(l.hints[k], 92, "  ") << "\n";
}

}  // namespace

/// The next of a lesson's three hints each time it is asked (the idea, the invariant, then
/// pseudo-code), saying how many remain; once all are seen, all three again. --reset starts over.
int cmd_hint(const lesson_info& l, bool reset) {
    std::map<std::string, int> seen = read_hints_seen();
    if (reset) {
        seen.erase(l.slug);
        write_hints_seen(seen);
        std::cout << "The hints of lesson " << two_digits(l.number) << " start again from the first.\n";
        return 0;
    }
    const int shown = seen[l.slug];
    std::cout << dim("Lesson " + two_digits(l.number) + " — " + l.title) << "\n\n";
    if (shown >= 3) {
        for (int k = 0; k < 3; ++k) print_hint(l, k);
        std::cout << dim("That is every hint. The reference is in " + std::string(l.library) +
                         ", to compare with once yours passes; `attnlab hint " + std::to_string(l.number) +
                         " --reset` hides the hints again.")
                  << "\n";
        return 0;
    }
    print_hint(l, shown);
    seen[l.slug] = shown + 1;
    write_hints_seen(seen);
    const int left = 2 - shown;
    if (left > 0)
        std::cout << dim(std::to_string(left) + (left == 1 ? " hint remains" : " hints remain") + ": `attnlab hint " +
                         std::to_string(l.number) + "` again for " + hint_tiers[shown + 1] + ".")
                  << "\n";
    else
        std::cout << dim("That was the last hint. The reference is in " + std::string(l.library) +
                         ", to compare with once yours passes.")
                  << "\n";
    return 0;
}

namespace {

/// The site's progress file (web/js/progress.js, format version 2): each part maps a lesson's
/// slug (or a self-check's "<slug>.<name>") to the time it happened.
struct progress_file {
    std::string format = "attention-lab-progress";
    int version = 2;
    std::string source = "attnlab progress", exported;
    std::map<std::string, std::string> visited, checks, exercises;
    std::map<std::string, std::string> exercise_sources;  // "attnlab": its tests ran on this machine
    ATTN_FIELDS(format, version, source, exported, visited, checks, exercises, exercise_sources)
};

/// Where each exercise stands: untouched (the course's stub), passing, failing or not
/// compiling. Only edited exercises are built and run, so a fresh clone answers at
/// once. A bar like rustlings' sums it up.
int cmd_progress(const std::string& export_path) {
    if (!export_path.empty()) check_writable(export_path);  // before minutes of building, not after
    std::size_t passed = 0;
    progress_file file;
    file.exported = utc_now();
    std::cout << bold("Your exercises") << dim("  (lessons/NN_slug/exercise.cpp)") << "\n\n";
    for (std::size_t i = 0; i < lesson_count; ++i) {
        const lesson_info& l = lessons[i];
        const std::string nn = two_digits(l.number);
        const std::string exercise = std::string(ATTN_SOURCE_DIR) + "/lessons/" + l.slug + "/exercise.cpp";
        std::string mark, state;
        if (untouched(l, exercise)) {
            mark = dim("·");
            state = dim("untouched");
        } else {
            const check_outcome r = check_exercise(l, exercise, exercise_limits{}, check_output::quiet);
            if (r.state == "passed") {
                mark = green("✓");
                state = green("passes");
                ++passed;
                file.exercises[l.slug] = file.exported;
                file.exercise_sources[l.slug] = "attnlab";
            } else if (r.state == "failed") {
                mark = red("✗");
                state =
                    red("fails: " + std::to_string(r.total - r.passed) + " of " + std::to_string(r.total) + " tests");
            } else {
                mark = red("✗");
                state = red(r.state);
            }
        }
        std::cout << "  " << mark << " " << bold(nn) << "  " << l.title << "  " << state << "\n";
    }
    const std::size_t width = 28, filled = passed * width / lesson_count;
    std::cout << "\n  Progress: [" << green(std::string(filled, '#')) << std::string(width - filled, '-') << "] "
              << passed << "/" << lesson_count << " exercises pass\n";
    if (passed < lesson_count)
        std::cout << dim("  Next: edit an exercise, then `attnlab check N`; `attnlab hint N` if you are stuck.")
                  << "\n";
    if (!export_path.empty()) {
        write_atomically(export_path, attn::to_json(file) + "\n");
        std::cout << "\n  Wrote " << export_path << " (" << file.exercises.size() << " passing exercise"
                  << (file.exercises.size() == 1 ? "" : "s")
                  << "): import it on the site's index, under Your progress.\n";
    }
    return 0;
}

/// A CLI11 error in `command` as the usage error a user is shown (the same words as ever).
[[noreturn]] void usage_for(const std::string& command, const CLI::Error& e) {
    if (command == "progress") throw usage_error("usage: attnlab progress [--export FILE]");
    if (command == "example") throw usage_error("usage: attnlab example N --json");
    if (command == "hint") throw usage_error("usage: attnlab hint N [--reset] (N: a lesson's number or slug)");
    if (command == "check")
        throw usage_error("usage: attnlab check N [--file F] [--json] [--time-limit S]: " + std::string(e.what()));
    if (command == "watch")
        throw usage_error("usage: attnlab watch [N] [--file F] [--time-limit S]: " + std::string(e.what()));
    if (command == "grade")
        throw usage_error("usage: attnlab grade DIR [--out FOLDER] [--lesson N ...] [--time-limit S] [--memory MB]: " +
                          std::string(e.what()));
    if (command == "compute" || command == "train" || command == "generate") {
        const std::string what = e.what();
        if (dynamic_cast<const CLI::ArgumentMismatch*>(&e))
            throw usage_error(what.substr(0, what.find(':')) + " needs a value");
        if (command == "compute") throw usage_error("compute: " + what);
        throw usage_error(command + ": " + what + " (attnlab " + command + " --help lists its options)");
    }
    if (command.empty()) throw usage_error(e.what());
    throw usage_error("usage: attnlab " + command + " N (N: a lesson's number or slug)");
}

int run(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        print_usage(std::cout);
        return args.empty() ? 2 : 0;
    }
    CLI::App app{"attnlab: Attention Lab on the command line"};
    app.set_help_flag();  // `attnlab help` is print_usage; subcommands keep their own --help
    app.allow_extras();
    std::string which, export_path;
    bool json = false;
    app.add_subcommand("list", "the lessons, in order");
    bool reset = false;
    for (const char* name : {"lesson", "hint", "check", "watch", "reset", "solution"})
        app.add_subcommand(name, "")->add_option("N", which, "the lesson's number or slug");
    std::string file, out_dir, class_dir;
    std::vector<std::string> only;
    exercise_limits limits;
    for (const char* name : {"check", "watch", "reset"})
        app.get_subcommand(name)->add_option("--file", file, "this file instead of lessons/<slug>/exercise.cpp");
    app.get_subcommand("check")->add_flag("--json", json, "one JSON event per line");
    for (const char* name : {"check", "watch"})
        app.get_subcommand(name)
            ->add_option("--time-limit", limits.test_seconds, "seconds each test may take")
            ->check(CLI::Range(0.1, 3600.0));
    CLI::App* grade = app.add_subcommand("grade", "grade a class");
    grade->add_option("DIR", class_dir, "one folder per learner")->required();
    grade->add_option("--out", out_dir, "where the report goes (default: DIR)");
    grade->add_option("--lesson", only, "only these lessons (repeat it)");
    grade->add_option("--time-limit", limits.test_seconds, "seconds each test may take")
        ->check(CLI::Range(0.1, 3600.0));
    std::size_t memory_mb = 2048;
    grade->add_option("--memory", memory_mb, "MiB each test may use")->check(CLI::Range(64, 65536));
    app.get_subcommand("hint")->add_flag("--reset", reset, "show this lesson's hints from the first again");
    CLI::App* example = app.add_subcommand("example", "lesson N's example as JSON");
    example->add_option("N", which);
    example->add_flag("--json", json);
    CLI::App* progress = app.add_subcommand("progress", "every exercise's state");
    progress->add_option("--export", export_path, "write the passing exercises as a progress file");
    compute_options c;
    CLI::App* compute = add_compute(app, c);
    train_options t;
    add_train(app, t);
    generate_options gen;
    add_generate(app, gen);
    for (CLI::App* sub : app.get_subcommands({})) sub->allow_extras(false);
    compute->allow_extras();  // unknown options are named below, as "compute: unknown option"

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        for (CLI::App* sub : app.get_subcommands({}))
            if (sub->parsed()) std::cout << sub->help();
        return 0;
    } catch (const CLI::Error& e) {
        std::string command;
        for (CLI::App* sub : app.get_subcommands({}))
            if (sub->parsed()) command = sub->get_name();
        usage_for(command, e);
    }
    if (app.get_subcommands().empty()) throw usage_error("unknown command '" + args[0] + "'");
    if (!app.remaining().empty()) throw usage_error("unknown command '" + args[0] + "'");
    const std::string cmd = app.get_subcommands()[0]->get_name();
    if (cmd == "list") return cmd_list();
    if (cmd == "lesson") return cmd_lesson(find_lesson(cmd, which));
    if (cmd == "hint") return cmd_hint(find_lesson(cmd, which), reset);
    if (cmd == "check") return cmd_check(find_lesson(cmd, which), file, json, limits);
    if (cmd == "reset") return cmd_reset(find_lesson(cmd, which), file);
    if (cmd == "solution") return cmd_solution(find_lesson(cmd, which));
    if (cmd == "watch") {
        if (which.empty() && !file.empty())
            throw usage_error("watch --file F: which lesson is F? `attnlab watch N --file F`");
        std::size_t first = 0;
        if (!which.empty()) {
            first = static_cast<std::size_t>(&find_lesson(cmd, which) - lessons);
        } else {  // the first exercise not passed here yet
            while (first + 1 < lesson_count && passed_here(lessons[first])) ++first;
        }
        return cmd_watch(first, file, limits);
    }
    if (cmd == "grade") {
        std::vector<const lesson_info*> lessons_asked;
        for (const auto& n : only) lessons_asked.push_back(&find_lesson(cmd, n));
        limits.memory_mb = memory_mb;
        return cmd_grade(class_dir, out_dir, limits, lessons_asked);
    }
    if (cmd == "progress") {
        if (progress->count("--export") && export_path.empty())
            throw usage_error("usage: attnlab progress [--export FILE]");
        return cmd_progress(export_path);
    }
    if (cmd == "example") {
        const lesson_info& l = find_lesson(cmd, which);
        if (!json) throw usage_error("usage: attnlab example N --json");
        l.print_values(std::cout);
        return 0;
    }
    if (cmd == "train") return cmd_train(t);
    if (cmd == "generate") return cmd_generate(gen);
    if (!compute->remaining().empty()) throw usage_error("compute: unknown option '" + compute->remaining()[0] + "'");
    return cmd_compute(c);
}

}  // namespace
}  // namespace attnlab

int main(int argc, char** argv) {
    try {
        return attnlab::run(argc, argv);
    } catch (const attnlab::usage_error& e) {
        std::cerr << "attnlab: " << e.what() << "\n\n";
        attnlab::print_usage(std::cerr);
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "attnlab: " << e.what() << "\n";
        return 1;
    }
}
