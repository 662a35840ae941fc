// web/checks/checks.hpp — grading the lessons' self-checks: "predict, then reveal".
//
// The questions live in each lesson's folder (lessons/<slug>/checks.hpp, see
// question.hpp); a question's id is "<slug>.<name>". Its answer is computed by
// the library when it is graded, to the question's tolerance (a choice: the
// option's index). Hints come one at a time. Platform-free C++, so the same
// questions are tested natively (tests/selfchecks.cpp) and graded in the
// browser by checks.mjs (bindings.cpp beside this file).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <attn/shape.hpp>

#include "lesson_checks.hpp"
#include "question.hpp"

namespace checks {

struct grade_result {
    bool correct;
    std::string expected;  // the answer as text
    std::string feedback;
};

/// The questions of the lesson `slug`, or a value_error naming it.
inline const lesson_questions& lesson(const std::string& slug) {
    for (const auto& l : lesson_tables())
        if (l.slug == slug) return l;
    throw attn::value_error("there is no lesson '" + slug + "' with self-checks");
}

/// The question "<slug>.<name>", or a value_error naming it.
inline const question& find(const std::string& id) {
    const auto dot = id.find('.');
    if (dot != std::string::npos)
        for (const auto& l : lesson_tables())
            if (l.slug == id.substr(0, dot))
                for (const auto& q : l.questions)
                    if (q.name == id.substr(dot + 1)) return q;
    throw attn::value_error("there is no self-check '" + id + "'");
}

inline std::string number_text(double x, double tolerance) {
    char buf[48];
    if (tolerance > 0)
        std::snprintf(buf, sizeof buf, "%.2f", x);
    else
        std::snprintf(buf, sizeof buf, "%.10g", x);
    std::string s = buf;
    if (s == "-0.00") s = "0.00";
    return s;
}

/// Parses "0.5, 0.25" (commas or spaces) into numbers; a value_error for anything else.
inline std::vector<double> parse_numbers(const std::string& text) {
    std::vector<double> out;
    std::string token;
    std::istringstream in(text);
    std::string cleaned = text;
    for (char& c : cleaned)
        if (c == ',' || c == ';' || c == '(' || c == ')') c = ' ';
    std::istringstream words(cleaned);
    while (words >> token) {
        // a leading "−" (U+2212) as learners copy it from the page
        if (token.rfind("\xe2\x88\x92", 0) == 0) token = "-" + token.substr(3);
        char* end = nullptr;
        const double x = std::strtod(token.c_str(), &end);
        if (*end != '\0' || !std::isfinite(x)) throw attn::value_error("'" + token + "' is not a number");
        out.push_back(x);
    }
    if (out.empty()) throw attn::value_error("type an answer first");
    return out;
}

/// Grades an answer: for a choice, the option's index as text; otherwise the number(s) typed.
inline grade_result grade(const std::string& id, const std::string& answer) {
    const question& q = find(id);
    const std::vector<double> want = q.solve();
    grade_result r{false, "", ""};
    if (q.type == kind::choice) {
        const std::vector<double> got = parse_numbers(answer);
        const auto index = static_cast<std::size_t>(want[0]);
        r.expected = q.options.at(index);
        r.correct = got.size() == 1 && got[0] == want[0];
    } else {
        const std::vector<double> got = parse_numbers(answer);
        for (std::size_t k = 0; k < want.size(); ++k) r.expected += (k ? ", " : "") + number_text(want[k], q.tolerance);
        if (got.size() != want.size()) {
            r.feedback = "The answer has " + std::to_string(want.size()) + (want.size() == 1 ? " number" : " numbers") +
                         "; you gave " + std::to_string(got.size()) + ".";
            return r;
        }
        r.correct = true;
        for (std::size_t k = 0; k < want.size(); ++k)
            r.correct = r.correct && std::abs(got[k] - want[k]) <= std::max(q.tolerance, 1e-9 * std::abs(want[k]));
    }
    r.feedback = r.correct ? "Right. " + q.why : "Not quite. Try again, or take a hint.";
    return r;
}

}  // namespace checks
