// web/checks/checks.hpp — grading the lessons' self-checks: "predict, then reveal".
//
// The questions live in each lesson's folder (lessons/<slug>/checks.json and
// lesson.hpp's answers(), see question.hpp); a question's id is "<slug>.<name>". Its answer is computed by
// the library when it is graded, to the question's tolerance (a choice: the
// option's index). Hints come one at a time. Platform-free C++, so the same
// questions are tested natively (tests/selfchecks.cpp) and graded in the
// browser by checks.mjs (bindings.cpp beside this file).
#pragma once

#include <algorithm>
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
    if (tolerance > 0) {
        // as many decimals as the tolerance asks for: 0.005 is two, 0.00005 four
        const int decimals = std::max(0, int(std::ceil(-std::log10(2 * tolerance) - 1e-9)));
        std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
    } else
        std::snprintf(buf, sizeof buf, "%.10g", x);
    std::string s = buf;
    if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s = s.substr(1);  // no "-0.00"
    return s;
}

/// One number as a learner may type it: "0.25", "−0.25" (a typographic minus), "√64" or
/// "sqrt 64" (read as 8). Anything else is a value_error that says why.
inline double parse_number(std::string token) {
    const std::string minus = "\xe2\x88\x92", root = "\xe2\x88\x9a";  // − and √
    bool negative = false, sqrt = false;
    if (token.rfind(minus, 0) == 0) token = "-" + token.substr(minus.size());
    if (token.rfind("-", 0) == 0 && (token.compare(1, root.size(), root) == 0 || token.compare(1, 4, "sqrt") == 0)) {
        negative = true;
        token = token.substr(1);
    }
    if (token.rfind(root, 0) == 0) {
        sqrt = true;
        token = token.substr(root.size());
    } else if (token.rfind("sqrt", 0) == 0) {
        sqrt = true;
        token = token.substr(4);
    }
    if (token.empty()) throw attn::value_error("a square root of what? Write √64 or 8");
    char* end = nullptr;
    const double x = std::strtod(token.c_str(), &end);
    if (end == token.c_str() || *end != '\0' || !std::isfinite(x)) {
        const std::string rest = end && end != token.c_str() ? std::string(end) : token;
        if (rest.find_first_of("^*/+x") != std::string::npos || rest.find("\xc3\x97") != std::string::npos)
            throw attn::value_error("'" + token + "' is a calculation: type its value (write 10^6 as 1e6)");
        throw attn::value_error("'" + token + "' is not a number");
    }
    if (sqrt && x < 0) throw attn::value_error("√" + token + " is not a real number");
    const double v = sqrt ? std::sqrt(x) : x;
    return negative ? -v : v;
}

/// Whether `text` is one number written with thousands separators: "512,000", "1,048,576.5"
/// or "512 000". Such an answer to a one-number question is that number, not a list.
inline bool grouped_thousands(const std::string& text, char sep) {
    std::size_t i = 0, digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    if (digits == 0 || digits > 3 || i == text.size() || text[i] != sep) return false;
    while (i < text.size() && text[i] == sep) {
        std::size_t group = 0;
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++group;
        if (group != 3) return false;
    }
    return i == text.size() || text[i] == '.';
}

/// Parses "0.5, 0.25" (commas or spaces) into numbers; a value_error for anything else. When one
/// number is expected, "512,000" and "512 000" are read as 512000, not as two numbers.
inline std::vector<double> parse_numbers(const std::string& text, std::size_t expected = 0) {
    std::string trimmed = text;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
    if (expected == 1)
        for (char sep : {',', ' '})
            if (grouped_thousands(trimmed, sep)) {
                std::string joined;
                for (char c : trimmed)
                    if (c != sep) joined += c;
                return {parse_number(joined)};
            }
    std::vector<double> out;
    std::string cleaned = text;
    for (char& c : cleaned)
        if (c == ',' || c == ';' || c == '(' || c == ')') c = ' ';
    std::istringstream words(cleaned);
    for (std::string token; words >> token;) out.push_back(parse_number(token));
    if (out.empty()) throw attn::value_error("type an answer first");
    return out;
}

inline bool same_answer(const std::vector<double>& got, const std::vector<double>& want, double tolerance) {
    if (got.size() != want.size()) return false;
    for (std::size_t k = 0; k < want.size(); ++k)
        // "To two decimals" (0.005) accepts every correct rounding, an exact half too, whatever the float error.
        if (!(std::abs(got[k] - want[k]) <= std::max(tolerance * (1 + 1e-4), 1e-9 * std::abs(want[k])))) return false;
    return true;
}

/// A question's answer `want` (its solve()) as the page and the answer key write it: a choice's
/// option, or each number to the question's tolerance (one entry per number, in its grid's order).
inline std::vector<std::string> answer_texts(const question& q, const std::vector<double>& want) {
    if (q.type == kind::choice) return {q.options.at(static_cast<std::size_t>(want.at(0)))};
    std::vector<std::string> out;
    for (double x : want) out.push_back(number_text(x, q.tolerance));
    return out;
}

/// Those texts as one answer: "0.67, 0.24, 0.09".
inline std::string joined(const std::vector<std::string>& texts) {
    std::string out;
    for (std::size_t k = 0; k < texts.size(); ++k) out += (k ? ", " : "") + texts[k];
    return out;
}

/// Grades an answer: for a choice, the option's index as text; otherwise the number(s) typed.
/// A wrong answer that a listed misconception predicts gets that misconception's feedback.
inline grade_result grade(const std::string& id, const std::string& answer) {
    const question& q = find(id);
    const std::vector<double> want = q.solve();
    grade_result r{false, "", ""};
    const std::vector<double> got = parse_numbers(answer, q.type == kind::choice ? 1 : want.size());
    const double tolerance = q.type == kind::choice ? 0 : q.tolerance;
    r.expected = joined(answer_texts(q, want));
    if (q.type != kind::choice) {
        if (got.size() != want.size()) {
            r.feedback = "The answer has " + std::to_string(want.size()) + (want.size() == 1 ? " number" : " numbers") +
                         "; you gave " + std::to_string(got.size()) + ".";
            return r;
        }
    }
    r.correct = same_answer(got, want, tolerance);
    if (r.correct) {
        r.feedback = "Right. " + q.why;
        return r;
    }
    for (const trap& t : q.traps)
        if (same_answer(got, t.predicts(), tolerance)) {
            r.feedback = "Not quite. " + t.feedback;
            return r;
        }
    r.feedback = "Not quite. Try again, or take a hint.";
    return r;
}

}  // namespace checks
