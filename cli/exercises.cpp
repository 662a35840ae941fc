// cli/exercises.cpp — see exercises.hpp.
#include "exercises.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <attn/format.hpp>

#include "files.hpp"
#include "process.hpp"
#include "term.hpp"

namespace attnlab {
namespace {

const std::string build_dir = ATTN_BUILD_DIR;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error("cannot read '" + path + "' (does it exist? is it readable?)");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool is_file(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool same_file(const std::string& a, const std::string& b) {
    struct stat x {
    }, y{};
    return stat(a.c_str(), &x) == 0 && stat(b.c_str(), &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

void make_dirs(const std::string& path) {
    for (std::size_t at = 1; at != std::string::npos; at = path.find('/', at + 1))
        mkdir(path.substr(0, at).c_str(), 0755);
    mkdir(path.c_str(), 0755);
}

/// Held while a check builds and runs: one attnlab build at a time in a build tree.
class build_lock {
public:
    explicit build_lock(bool say_so) {
        const std::string path = build_dir + "/.attnlab-build.lock";
        fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) return;  // no lock to take (a read-only tree): the build will say what is wrong
        if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
        if (say_so) std::cout << dim("  waiting for another attnlab check to finish...") << std::endl;
        while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {}
    }
    ~build_lock() {
        if (fd_ >= 0) close(fd_);
    }
    build_lock(const build_lock&) = delete;
    build_lock& operator=(const build_lock&) = delete;

private:
    int fd_ = -1;
};

// Catch2 test specs treat , [ ] \ specially; escape them to name one test case.
std::string test_spec(const std::string& name) {
    std::string out;
    for (char c : name) {
        if (c == ',' || c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

/// "{"event":"test",...}": an event of `check --json`, with the fields of `value`.
template <class T>
std::string event_json(const char* event, const T& value) {
    const std::string body = attn::to_json(value);
    return std::string("{\"event\":\"") + event + "\"" + (body.size() > 2 ? "," + body.substr(1) : "}");
}

struct build_event {
    std::string lesson, file;
    ATTN_FIELDS(lesson, file)
};

/// The compiler's errors that point into the learner's file (its copy has the same lines).
std::vector<compile_error> errors_in(const std::string& output, const std::string& slug) {
    std::vector<compile_error> out;
    const std::regex at("/" + slug + "/exercise\\.cpp:([0-9]+):([0-9]+): (?:fatal )?error: (.*)$");
    for (const auto& line : lines_of(output)) {
        std::smatch m;
        if (std::regex_search(line, m, at)) out.push_back({std::stoi(m[1]), std::stoi(m[2]), m[3]});
    }
    return out;
}

// Where passes are remembered (for `attnlab solution`): one "slug time" line per lesson.
std::string passes_file() { return state_file("attnlab-passed.txt"); }

std::map<std::string, std::string> read_passes() {
    std::map<std::string, std::string> passes;
    std::ifstream in(passes_file());
    for (std::string slug, at; in >> slug >> at;) passes[slug] = at;
    return passes;
}

void record_pass(const std::string& slug) {
    auto passes = read_passes();
    if (passes.count(slug)) return;
    passes[slug] = utc_now();
    std::string text;
    for (const auto& [s, at] : passes) text += s + " " + at + "\n";
    write_atomically(passes_file(), text);
}

void print_test(const test_outcome& t) {
    if (t.state == "passed") {
        std::cout << "  " << green("✓") << " " << t.name << std::endl;
        return;
    }
    std::cout << "  " << red("✗") << " " << bold(t.name) << "\n";
    for (const auto& f : t.failures)
        std::cout << "      " << dim("line " + std::to_string(f.line) + ":") << " " << f.message << "\n";
    if (!t.note.empty()) std::cout << "      " << red(t.note) << "\n";
    std::cout << std::flush;
}

/// One test case of the suite, run alone within the limits.
test_outcome run_test(const std::string& binary, const std::string& name, const exercise_limits& limits) {
    test_outcome t{name, "passed", {}, {}};
    const run_result r =
        run_capture({binary, test_spec(name), "--reporter", "compact"}, {limits.test_seconds, limits.memory_mb << 20});
    if (r.timed_out) {
        t.state = "timed out";
        t.note = "stopped after " + seconds_text(limits.test_seconds) +
                 ": does a loop in your exercise never end? (each test may take " + seconds_text(limits.test_seconds) +
                 ")";
        return t;
    }
    if (r.exit_code == 0) return t;
    t.state = "failed";
    for (const auto& line : lines_of(r.output)) {
        const auto at = line.find(": failed: ");
        if (at == std::string::npos) continue;
        if (t.failures.size() == 3) {
            t.note = "and more checks failed";
            break;
        }
        // "path/to/test.cpp:42: failed: expr for: 0 == 12" -> {42, "expr for: 0 == 12"}
        const auto colon = line.rfind(':', at - 1);
        std::string what = line.substr(at + 10);
        if (what.size() > 200) what = what.substr(0, 197) + "...";
        int number = 0;
        try {
            number = std::stoi(line.substr(colon + 1, at - colon - 1));
        } catch (const std::exception&) {}
        t.failures.push_back({number, what});
    }
    if (t.failures.empty() && r.exit_code > 128) {
        t.state = "crashed";
        const int sig = r.exit_code - 128;
        t.note = "crashed (signal " + std::to_string(sig) + (sig == 11 ? ", a read or write outside an array" : "") +
                 (sig == 6 ? ", an abort" : "") + (sig == 9 && limits.memory_mb ? ", out of memory?" : "") + ")";
    } else if (t.failures.empty()) {
        // An exception or a fatal check: Catch2's own words, shortened.
        std::string text;
        for (const auto& line : lines_of(r.output))
            if (!line.empty() && text.size() < 400) text += (text.empty() ? "" : " ") + line;
        t.note = text;
    }
    return t;
}

/// The exercise as the learner sees it named: lessons/<slug>/exercise.cpp, or the file they gave.
std::string shown_path(const lesson_info& l, const std::string& file) {
    return file.empty() ? std::string("lessons/") + l.slug + "/exercise.cpp" : file;
}

}  // namespace

bool passed_here(const lesson_info& l) { return read_passes().count(l.slug) > 0; }

std::string exercise_path(const lesson_info& l) {
    return std::string(ATTN_SOURCE_DIR) + "/lessons/" + l.slug + "/exercise.cpp";
}

std::string state_file(const std::string& name) {
    const char* dir = std::getenv("ATTNLAB_STATE_DIR");
    return std::string(dir && *dir ? dir : ATTN_BUILD_DIR) + "/" + name;
}

std::string course_stub(const lesson_info& l) {
    static std::map<std::string, std::string> read;  // once per lesson and run: grade asks per learner
    if (const auto it = read.find(l.slug); it != read.end()) return it->second;
    const std::string path = shown_path(l, {});
    const run_result log = run_capture({"git", "-C", ATTN_SOURCE_DIR, "log", "-1", "--format=%H", "--invert-grep",
                                        "--grep=^My exercises, saved by ./lab update", "--", path},
                                       {30, 0});
    const std::string commit = log.output.substr(0, log.output.find('\n'));
    if (log.exit_code != 0 || commit.size() != 40)
        throw file_error("cannot find the course's stub of lesson " + std::to_string(l.number) +
                         ": git could not say (is " ATTN_SOURCE_DIR " a git clone of the course?)");
    const run_result show = run_capture({"git", "-C", ATTN_SOURCE_DIR, "show", commit + ":" + path}, {30, 0});
    if (show.exit_code != 0) throw file_error("cannot read the course's stub of lesson " + std::to_string(l.number));
    return read[l.slug] = show.output;
}

bool untouched(const lesson_info& l, const std::string& file) {
    const std::string text = read_text(file);
    try {
        return text == course_stub(l);
    } catch (const file_error&) {
        return text.find("// TODO(" + std::string(l.slug) + "):") != std::string::npos;
    }
}

check_outcome check_exercise(const lesson_info& l, const std::string& file, const exercise_limits& limits,
                             check_output out) {
    const bool own = file.empty() || same_file(file, exercise_path(l));
    check_outcome result;
    result.lesson = l.slug;
    result.file = shown_path(l, file);
    const std::string source = own ? exercise_path(l) : file;
    const std::string text = read_text(source);  // a missing file is named before anything is built
    const bool terminal = out == check_output::terminal;
    if (terminal)
        std::cout << bold("Lesson " + two_digits(l.number) + " — " + l.title) << "\n"
                  << dim("  checking " + result.file) << std::endl;
    if (out == check_output::json)
        std::cout << event_json("build", build_event{result.lesson, result.file}) << std::endl;

    build_lock lock(terminal);
    std::string target = std::string(l.slug) + "_exercise_tests";
    if (!own) {  // a copy in the build tree, rewritten only when it changed (no needless rebuild)
        const std::string staged_dir = build_dir + "/staged/" + l.slug, staged = staged_dir + "/exercise.cpp";
        make_dirs(staged_dir);
        if (!is_file(staged) || read_text(staged) != text) write_atomically(staged, text);
        target = std::string(l.slug) + "_staged_tests";
    }
    const run_result build =
        run_capture({ATTN_CMAKE_COMMAND, "--build", build_dir, "--target", target}, {limits.build_seconds, 0});
    const auto finish = [&](std::string state) {
        result.state = std::move(state);
        if (result.state == "passed" && out != check_output::quiet) record_pass(l.slug);
        if (out == check_output::json) std::cout << event_json("done", result) << std::endl;
        return result;
    };
    if (build.timed_out) {
        if (terminal)
            std::cout << "\n"
                      << red("✗ the build took over " + seconds_text(limits.build_seconds) + " and was stopped.")
                      << "\n";
        result.compiler_output = build.output;
        return finish("timed out");
    }
    if (build.exit_code != 0) {
        result.errors = errors_in(build.output, l.slug);
        result.compiler_output = build.output;
        if (terminal)
            std::cout << "\n"
                      << build.output << "\n"
                      << red("✗ " + result.file + " does not compile yet.") << " The compiler's first error is the one "
                      << "to read; the lines above show it.\n";
        return finish("does not compile");
    }
    const std::string binary = build_dir + "/lessons/" + l.slug + "/" + target;
    const run_result listing = run_capture({binary, "--list-test-names-only"}, {limits.test_seconds, 0});
    std::vector<std::string> names;
    for (const auto& line : lines_of(listing.output))
        if (!line.empty()) names.push_back(line);
    if (names.empty() || listing.timed_out) {  // (Catch2 2 exits with the number of tests it lists)
        if (terminal) std::cout << red("✗ could not list the tests of " + binary) << "\n" << listing.output;
        result.compiler_output = listing.output;
        return finish("not run");
    }
    if (terminal) std::cout << "\n";
    result.total = static_cast<int>(names.size());
    bool timed_out = false;
    for (const auto& name : names) {
        test_outcome t = run_test(binary, name, limits);
        timed_out = timed_out || t.state == "timed out";
        result.passed += t.state == "passed";
        if (terminal) print_test(t);
        if (out == check_output::json) std::cout << event_json("test", t) << std::endl;
        result.tests.push_back(std::move(t));
    }
    const int failed = result.total - result.passed;
    if (terminal) {
        std::cout << "\n";
        if (failed == 0)
            std::cout << green("✓ all " + std::to_string(result.total) + " tests pass.") << " Lesson "
                      << two_digits(l.number) << " done: on to the next one with `attnlab list`.\n";
        else
            std::cout << red("✗ " + std::to_string(failed) + " of " + std::to_string(result.total) + " tests fail.")
                      << " Keep going: `attnlab hint " << l.number << "` for a nudge, `attnlab lesson " << l.number
                      << "` for the numbers.\n";
        std::cout << std::flush;
    }
    return finish(failed == 0 ? "passed" : timed_out ? "timed out" : "failed");
}

int cmd_check(const lesson_info& l, const std::string& file, bool json, const exercise_limits& limits) {
    if (json) die_with_parent();  // the exercise server's run: it ends if the server does
    const check_outcome r = check_exercise(l, file, limits, json ? check_output::json : check_output::terminal);
    return r.state == "passed" ? 0 : 1;
}

namespace {

/// What identifies a saved version of a file: an editor may write in place or rename a new file over it.
struct file_stamp {
    long long seconds = 0, nanos = 0, size = -1, inode = 0;
    bool operator==(const file_stamp& o) const {
        return seconds == o.seconds && nanos == o.nanos && size == o.size && inode == o.inode;
    }
};

file_stamp stamp_of(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return {};
    return {static_cast<long long>(st.st_mtim.tv_sec), static_cast<long long>(st.st_mtim.tv_nsec),
            static_cast<long long>(st.st_size), static_cast<long long>(st.st_ino)};
}

}  // namespace

int cmd_watch(std::size_t first, const std::string& file, const exercise_limits& limits) {
    bool keys = true;  // stdin still open: h, n and q are read from it
    for (std::size_t i = first; i < lesson_count;) {
        const lesson_info& l = lessons[i];
        const std::string path = file.empty() ? exercise_path(l) : file;
        const std::string shown = shown_path(l, file);
        std::cout << "\n"
                  << bold("attnlab watch")
                  << dim(" — save " + shown +
                         " to check it again.  h Enter: a hint · "
                         "n Enter: the next lesson · q Enter: quit")
                  << "\n\n"
                  << std::flush;
        file_stamp seen = stamp_of(path);
        const check_outcome r = check_exercise(l, path, limits, check_output::terminal);
        if (r.state == "passed") {
            if (!file.empty()) return 0;  // one file is one lesson's exercise: done
            if (i + 1 == lesson_count) {
                std::cout << "\n" << green("✓ Every exercise of the course passes.") << " Well done.\n";
                return 0;
            }
            std::cout << "\n"
                      << green("✓ Lesson " + two_digits(l.number) + " passes.") << " On to lesson "
                      << two_digits(lessons[i + 1].number) << ", " << lessons[i + 1].title << ".\n"
                      << std::flush;
            ++i;
            continue;
        }
        std::cout << dim("\nWaiting for you to save " + shown + " ...") << std::endl;
        for (bool again = false; !again;) {
            pollfd p{0, POLLIN, 0};
            const int ready = keys ? poll(&p, 1, 250) : (usleep(250000), 0);
            if (ready > 0) {
                std::string line;
                if (!std::getline(std::cin, line)) {
                    keys = false;  // stdin closed (not a terminal): keep watching the file
                    continue;
                }
                const char key = line.empty() ? ' ' : line[0];
                if (key == 'q') return 1;
                if (key == 'h') {
                    std::cout << "\n";
                    cmd_hint(l, false);
                    std::cout << std::flush;
                }
                if (key == 'n' && file.empty() && i + 1 < lesson_count) {
                    ++i;
                    again = true;
                }
                continue;
            }
            const file_stamp now = stamp_of(path);
            if (!(now == seen) && now.size >= 0) {
                usleep(100000);  // let the editor finish writing
                again = true;
            }
        }
    }
    return 0;
}

int cmd_reset(const lesson_info& l, const std::string& file) {
    const std::string path = file.empty() ? exercise_path(l) : file;
    const std::string stub = course_stub(l);
    const std::string shown = shown_path(l, file);
    if (is_file(path)) {
        const std::string mine = read_text(path);
        if (mine == stub) {
            std::cout << shown << " is already the course's stub: nothing to reset.\n";
            return 0;
        }
        std::string stamp = utc_now();
        std::replace(stamp.begin(), stamp.end(), ':', '-');
        const std::string backup = path + "." + stamp + ".bak";
        check_writable(backup);
        write_atomically(backup, mine);
        write_atomically(path, stub);
        std::cout << shown << " is the course's stub again. Yours is kept in " << backup << ".\n";
        return 0;
    }
    check_writable(path);
    write_atomically(path, stub);
    std::cout << shown << " is the course's stub again.\n";
    return 0;
}

int cmd_solution(const lesson_info& l) {
    const auto passes = read_passes();
    if (!passes.count(l.slug)) {
        std::cout << "The reference opens once your exercise passes: `attnlab check " << l.number
                  << "` first (`attnlab hint " << l.number << "` if you are stuck).\n";
        return 1;
    }
    std::cout << bold("Lesson " + two_digits(l.number) + " — the reference")
              << dim("  (yours passed " + passes.at(l.slug) + ")") << "\n";
    std::stringstream paths(l.library);
    for (std::string path; std::getline(paths, path, ',');) {
        path.erase(0, path.find_first_not_of(' '));
        std::cout << "\n" << bold("── " + path + " ──") << "\n" << read_text(std::string(ATTN_SOURCE_DIR) + "/" + path);
    }
    return 0;
}

namespace {

/// One learner's exercise of one lesson, graded.
struct grade_cell {
    std::string learner, lesson,
        state;  // passed, failed, does not compile, timed out, crashed, untouched, not handed in
    int number = 0, passed = 0, total = 0;
    std::string first_message;
    ATTN_FIELDS(learner, lesson, number, state, passed, total, first_message)
};

struct grade_report {
    std::string format = "attention-lab-grades";
    int version = 1;
    std::string graded, class_dir;
    double test_seconds = 0, build_seconds = 0;
    std::size_t memory_mb = 0;
    std::vector<std::string> learners, lessons;
    std::vector<grade_cell> cells;
    ATTN_FIELDS(format, version, graded, class_dir, test_seconds, build_seconds, memory_mb, learners, lessons, cells)
};

/// Where a learner's exercise of lesson l is, in any of the layouts a class hands in.
std::string find_exercise(const std::string& learner_dir, const lesson_info& l) {
    for (const std::string& rel :
         {shown_path(l, {}), std::string(l.slug) + "/exercise.cpp", std::string(l.slug) + ".cpp"})
        if (is_file(learner_dir + "/" + rel)) return learner_dir + "/" + rel;
    return {};
}

std::string first_message(const check_outcome& r) {
    if (r.state == "does not compile") {
        if (!r.errors.empty()) return "line " + std::to_string(r.errors[0].line) + ": " + r.errors[0].message;
        for (const auto& line : lines_of(r.compiler_output))
            if (line.find("error") != std::string::npos) return line.substr(0, 300);
        return "the build failed";
    }
    if (r.state == "timed out" && r.tests.empty()) return "the build was stopped at its time limit";
    for (const auto& t : r.tests) {
        if (t.state == "passed") continue;
        if (!t.failures.empty())
            return t.name + ": line " + std::to_string(t.failures[0].line) + ": " + t.failures[0].message;
        return t.name + ": " + t.note;
    }
    return {};
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' ? ' ' : c);
    return out + "\"";
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

std::string report_html(const grade_report& report) {
    std::ostringstream h;
    h << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>Attention Lab — class report</title>\n<style>\n"
      << "body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1b1f;background:#fff}\n"
      << "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccd;padding:.3rem .5rem;text-align:left;"
         "vertical-align:top}\n"
      << "th{background:#f1f1f6;cursor:pointer;user-select:none}th[aria-sort]::after{content:' ↕';color:#889}\n"
      << ".passed{background:#dff3e4}.failed,.crashed{background:#fde2e1}.does-not-compile{background:#fff0cc}"
         ".timed-out{background:#eadcf8}.untouched,.not-handed-in{color:#667}\n"
      << "td small{display:block;color:#445;max-width:28rem}label{margin-right:1rem}\n"
      << "@media (prefers-color-scheme:dark){body{background:#16161a;color:#e8e8ee}th{background:#26262e}"
         "td small{color:#b8b8c4}.passed{background:#1f3b28}.failed,.crashed{background:#4a2323}"
         ".does-not-compile{background:#4a3d16}.timed-out{background:#3a2a52}}\n"
      << "</style></head><body>\n<h1>Class report</h1>\n"
      << "<p>Graded by <code>attnlab grade</code> on " << html_escape(report.graded) << ": each exercise built and run "
      << "against its lesson's tests on this machine, each test within " << report.test_seconds << " s and "
      << report.memory_mb << " MiB. These are results a teacher can trust: nothing here came from a learner's "
      << "own report.</p>\n"
      << "<p><label>Learner <input id=\"who\" type=\"search\" placeholder=\"filter\"></label>"
      << "<label>Show <select id=\"state\"><option value=\"\">every state</option>";
    for (const char* s : {"passed", "failed", "does not compile", "timed out", "crashed", "untouched", "not handed in"})
        h << "<option>" << s << "</option>";
    h << "</select></label></p>\n<table id=\"grid\"><thead><tr><th aria-sort=\"none\">Learner</th>"
      << "<th aria-sort=\"none\">Passed</th>";
    for (const auto& slug : report.lessons) {
        int number = 0;
        for (std::size_t i = 0; i < lesson_count; ++i)
            if (slug == lessons[i].slug) number = lessons[i].number;
        h << "<th aria-sort=\"none\" title=\"" << html_escape(slug) << "\">" << two_digits(number) << "</th>";
    }
    h << "</tr></thead><tbody>\n";
    for (const auto& who : report.learners) {
        int passed = 0;
        for (const auto& c : report.cells) passed += c.learner == who && c.state == "passed";
        h << "<tr data-learner=\"" << html_escape(who) << "\"><th scope=\"row\">" << html_escape(who) << "</th><td>"
          << passed << "</td>";
        for (const auto& c : report.cells) {
            if (c.learner != who) continue;
            std::string css = c.state;
            std::replace(css.begin(), css.end(), ' ', '-');
            h << "<td class=\"" << css << "\" data-state=\"" << c.state << "\">" << html_escape(c.state);
            if (c.total) h << " (" << c.passed << "/" << c.total << ")";
            if (!c.first_message.empty()) h << "<small>" << html_escape(c.first_message) << "</small>";
            h << "</td>";
        }
        h << "</tr>\n";
    }
    // Sorting by a column and filtering by learner or state: a few lines, no library, no network.
    h << "</tbody></table>\n<script>\n"
      << "const grid=document.getElementById('grid'),body=grid.tBodies[0];\n"
      << "const key=(tr,k)=>{const c=tr.cells[k];return k===1?-Number(c.textContent):c.dataset.state?"
         "['passed','failed','crashed','timed out','does not compile','untouched','not handed in']"
         ".indexOf(c.dataset.state):c.textContent;};\n"
      << "grid.tHead.rows[0].querySelectorAll('th').forEach((th,k)=>th.addEventListener('click',()=>{"
         "const up=th.getAttribute('aria-sort')!=='ascending';"
         "grid.tHead.querySelectorAll('th').forEach(t=>t.setAttribute('aria-sort','none'));"
         "th.setAttribute('aria-sort',up?'ascending':'descending');"
         "[...body.rows].sort((a,b)=>{const x=key(a,k),y=key(b,k);return (x<y?-1:x>y?1:0)*(up?1:-1);})"
         ".forEach(r=>body.appendChild(r));}));\n"
      << "const filter=()=>{const who=document.getElementById('who').value.toLowerCase(),"
         "st=document.getElementById('state').value;for(const r of body.rows){"
         "r.hidden=!r.dataset.learner.toLowerCase().includes(who)||"
         "(st&&![...r.cells].some(c=>c.dataset.state===st));}};\n"
      << "document.getElementById('who').addEventListener('input',filter);"
         "document.getElementById('state').addEventListener('change',filter);\n"
      << "</script>\n</body></html>\n";
    return h.str();
}

}  // namespace

int cmd_grade(const std::string& class_dir, const std::string& out_dir, const exercise_limits& limits,
              const std::vector<const lesson_info*>& only) {
    std::vector<std::string> learners;
    if (DIR* d = opendir(class_dir.c_str())) {
        while (const dirent* e = readdir(d)) {
            const std::string name = e->d_name;
            struct stat st {};
            if (name.empty() || name[0] == '.' || stat((class_dir + "/" + name).c_str(), &st) != 0 ||
                !S_ISDIR(st.st_mode))
                continue;
            learners.push_back(name);
        }
        closedir(d);
    } else {
        throw file_error("cannot read the class folder '" + class_dir + "' (does it exist?)");
    }
    if (learners.empty())
        throw file_error("'" + class_dir +
                         "' holds no learner's folder: one folder per learner, each with their "
                         "exercise files (lessons/<slug>/exercise.cpp, <slug>/exercise.cpp or <slug>.cpp)");
    std::sort(learners.begin(), learners.end());
    const std::string out = out_dir.empty() ? class_dir : out_dir;
    for (const char* name : {"/class-report.html", "/class-report.csv", "/class-report.json"})
        check_writable(out + name);  // before minutes of building, not after

    std::vector<const lesson_info*> graded = only;
    if (graded.empty())
        for (std::size_t i = 0; i < lesson_count; ++i) graded.push_back(&lessons[i]);
    grade_report report;
    report.graded = utc_now();
    report.class_dir = class_dir;
    report.test_seconds = limits.test_seconds;
    report.build_seconds = limits.build_seconds;
    report.memory_mb = limits.memory_mb;
    report.learners = learners;
    for (const auto* l : graded) report.lessons.push_back(l->slug);

    std::cout << bold("Grading " + std::to_string(learners.size()) + " learners, " + std::to_string(graded.size()) +
                      " lessons")
              << dim("  (each test within " + seconds_text(limits.test_seconds) + " and " +
                     std::to_string(limits.memory_mb) + " MiB)")
              << "\n"
              << std::flush;
    for (const auto& who : learners) {
        std::cout << "\n  " << bold(who) << "\n" << std::flush;
        for (const auto* l : graded) {
            grade_cell cell{who, l->slug, "not handed in", l->number, 0, 0, {}};
            const std::string file = find_exercise(class_dir + "/" + who, *l);
            if (!file.empty()) {
                // Only the stub exactly counts as untouched here: a marker left in a solved file must
                // not keep it from being graded (untouched()'s fallback without git).
                bool stub = false;
                try {
                    stub = read_text(file) == course_stub(*l);
                } catch (const file_error&) {}
                if (stub) {
                    cell.state = "untouched";
                } else {
                    const check_outcome r = check_exercise(*l, file, limits, check_output::quiet);
                    const bool crashed = std::any_of(r.tests.begin(), r.tests.end(),
                                                     [](const test_outcome& t) { return t.state == "crashed"; });
                    cell.state = r.state == "failed" && crashed ? "crashed" : r.state;
                    cell.passed = r.passed;
                    cell.total = r.total;
                    cell.first_message = first_message(r);
                }
            }
            if (cell.state != "not handed in") {
                const std::string mark = cell.state == "passed"      ? green("✓")
                                         : cell.state == "untouched" ? dim("·")
                                                                     : red("✗");
                std::cout << "    " << mark << " " << two_digits(l->number) << " " << l->slug << "  " << cell.state
                          << (cell.total ? " (" + std::to_string(cell.passed) + "/" + std::to_string(cell.total) + ")"
                                         : "")
                          << "\n"
                          << std::flush;
            }
            report.cells.push_back(cell);
        }
    }
    std::string csv = "learner,lesson,slug,state,tests_passed,tests,first_message\n";
    for (const auto& c : report.cells)
        csv += csv_field(c.learner) + "," + std::to_string(c.number) + "," + c.lesson + "," + c.state + "," +
               std::to_string(c.passed) + "," + std::to_string(c.total) + "," + csv_field(c.first_message) + "\n";
    write_atomically(out + "/class-report.csv", csv);
    write_atomically(out + "/class-report.json", attn::to_json(report) + "\n");
    write_atomically(out + "/class-report.html", report_html(report));
    std::cout << "\nWrote " << out << "/class-report.html (open it in a browser), class-report.csv and "
              << "class-report.json (import it on the site's class page).\n";
    return 0;
}

}  // namespace attnlab
