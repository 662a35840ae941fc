// web/checks/question.hpp — what a self-check question is ("predict, then reveal").
//
// A lesson's questions are written in two files of its folder. lessons/<slug>/checks.json holds
// their words (prompt, options, hints, tolerance, why, and each misconception's feedback), for a
// teacher to edit without touching C++; lessons/<slug>/lesson.hpp holds their answers,
// `std::vector<checks::answer> lessons::<slug>::answers()`: each a function over the library,
// computed when it is graded, never a number typed in, so it cannot drift from the code; so is
// what each listed misconception (a trap) predicts, so its feedback meets the learner who holds
// it. The generated header <build>/generated/lesson_checks.hpp embeds every lesson's words (read
// from checks.json when CMake configures) and joins them with its answers by name, in the
// manifest's order; web/checks/checks.hpp grades them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include <attn/tensor.hpp>

namespace checks {

enum class kind { choice, number, vector };

/// One input of a pencil-and-paper exercise, printed on the worksheet as a small matrix: the
/// numbers the learner computes from, written once here, where the answer is computed from them.
struct given {
    std::string name;
    attn::matrix value;
};

using work = std::function<std::vector<std::string>()>;  // a worked answer, line by line

/// A wrong answer that a known misconception predicts, with its own feedback: what the answer
/// shows the learner believed, and why it is not so. Computed like the answer (a choice: {index}).
struct trap {
    std::function<std::vector<double>()> predicts;
    std::string feedback;
};

struct question {
    std::string name;  // unique within the lesson; the full id is "<slug>.<name>"
    std::string prompt;
    kind type;
    std::vector<std::string> options;                 // for a choice
    std::vector<std::string> hints;                   // revealed one by one
    std::function<std::vector<double>()> solve;       // the answer: {index} for a choice, {x} or {x1, x2, ...}
    double tolerance;                                 // for numbers: 0.005 means "to two decimals"
    std::string why;                                  // shown once answered correctly
    std::vector<trap> traps = {};                     // misconceptions' answers, each with its own feedback
    bool paper = false;                               // a pencil-and-paper exercise: on the worksheet, not the page
    std::vector<std::size_t> grid = {};               // its answer's boxes on paper, {rows, columns}
    std::function<std::vector<given>()> inputs = {};  // its inputs, printed with it
    work steps = {};                                  // the answer key's worked answer
};

/// A question's answer and what each of its traps predicts, in checks.json's order of traps.
struct answer {
    std::string name;
    std::function<std::vector<double>()> solve;
    std::vector<std::function<std::vector<double>()>> traps = {};
    std::function<std::vector<given>()> inputs = {};  // a pencil-and-paper exercise's inputs
    work steps = {};                                  // the worked answer, for the answer key
};

/// A question's words, as lessons/<slug>/checks.json gives them (the generated table embeds them).
struct wording {
    std::string name, prompt;
    kind type;
    std::vector<std::string> options, hints;
    double tolerance;
    std::string why;
    std::vector<std::string> traps;      // each misconception's feedback
    bool paper = false;                  // "paper": true, a pencil-and-paper exercise for the worksheet
    std::vector<std::size_t> grid = {};  // "grid": [rows, columns], its answer's boxes
};

/// A lesson's words joined with its answers by name, in checks.json's order. A question without
/// an answer, an answer without a question, or a different number of traps is a logic_error
/// naming the question: the self-check test meets it before any learner does.
inline std::vector<question> join(const std::string& slug, const std::vector<wording>& words,
                                  const std::vector<answer>& answers) {
    if (words.size() != answers.size())
        throw std::logic_error("lessons/" + slug + ": checks.json has " + std::to_string(words.size()) +
                               " questions and lesson.hpp's answers() " + std::to_string(answers.size()));
    std::vector<question> out;
    for (const wording& w : words) {
        const auto a = std::find_if(answers.begin(), answers.end(), [&](const answer& x) { return x.name == w.name; });
        if (a == answers.end())
            throw std::logic_error("lessons/" + slug + ": the question '" + w.name +
                                   "' has no answer in lesson.hpp's answers()");
        if (a->traps.size() != w.traps.size())
            throw std::logic_error("lessons/" + slug + ": '" + w.name + "' has " + std::to_string(w.traps.size()) +
                                   " traps in checks.json and " + std::to_string(a->traps.size()) + " in lesson.hpp");
        if (w.paper && (!a->inputs || !a->steps))
            throw std::logic_error("lessons/" + slug + ": the pencil-and-paper exercise '" + w.name +
                                   "' needs its inputs and its worked steps in lesson.hpp's answers()");
        question q{w.name, w.prompt, w.type, w.options, w.hints, a->solve, w.tolerance, w.why};
        for (std::size_t t = 0; t < w.traps.size(); ++t) q.traps.push_back({a->traps[t], w.traps[t]});
        q.paper = w.paper;
        q.grid = w.grid;
        q.inputs = a->inputs;
        q.steps = a->steps;
        out.push_back(std::move(q));
    }
    return out;
}

/// One lesson's questions, as the generated table lists them.
struct lesson_questions {
    std::string slug;
    int number;  // the lesson's position in the manifest
    std::vector<question> questions;
};

/// A small matrix written out row by row, for a question's inputs.
inline attn::matrix mat(std::initializer_list<std::initializer_list<float>> rows) {
    attn::matrix M = xt::zeros<float>({rows.size(), rows.begin()->size()});
    std::size_t i = 0;
    for (const auto& r : rows) {
        std::size_t j = 0;
        for (float x : r) M(i, j++) = x;
        ++i;
    }
    return M;
}

/// x with `decimals` decimals, for a worked answer's lines ("-0.00" written as "0.00").
inline std::string text(double x, int decimals = 2) {
    std::string s(48, '\0');
    s.resize(static_cast<std::size_t>(std::snprintf(s.data(), s.size(), "%.*f", decimals, x)));
    if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
    return s;
}

/// x as a worked answer writes an input: whole numbers without decimals, others with two.
inline std::string num(double x) { return std::abs(x - std::round(x)) < 1e-6 ? text(x, 0) : text(x, 2); }

/// The worked lines of C = A·Bᵀ, entry by entry and counting from 1:
/// "S(1, 2) = 1·2 + 2·0 = 2" (C's entries with `decimals` decimals).
inline std::vector<std::string> dot_lines(const std::string& name, const attn::matrix& A, const attn::matrix& B,
                                          int decimals = 0) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < A.shape(0); ++i)
        for (std::size_t j = 0; j < B.shape(0); ++j) {
            std::string line = name + "(" + std::to_string(i + 1) + ", " + std::to_string(j + 1) + ") = ";
            double sum = 0;
            for (std::size_t k = 0; k < A.shape(1); ++k) {
                const auto factor = [](double x) { return x < 0 ? "(" + num(x) + ")" : num(x); };
                line += (k ? " + " : "") + factor(A(i, k)) + "·" + factor(B(j, k));
                sum += double(A(i, k)) * double(B(j, k));
            }
            out.push_back(line + " = " + text(sum, decimals));
        }
    return out;
}

/// Numbers as "(a, b, c)", each with `decimals` decimals.
template <class Numbers>
std::string tuple_text(const Numbers& xs, int decimals = 2) {
    std::string line = "(";
    bool first = true;
    for (const auto x : xs) {
        line += (first ? "" : ", ") + text(double(x), decimals);
        first = false;
    }
    return line + ")";
}

/// A matrix's rows as "(a, b, c)" lines, each number with `decimals` decimals.
inline std::vector<std::string> rows_text(const attn::matrix& M, int decimals = 2) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < M.shape(0); ++i) out.push_back(tuple_text(xt::row(M, i), decimals));
    return out;
}

/// A mask as its grid of 0/1 boxes, row by row.
inline std::vector<double> flat(const xt::xtensor<bool, 2>& M) { return std::vector<double>(M.begin(), M.end()); }

/// What each query of a mask sees, a line a row, counting from 1 as the paper's grid does:
/// "query 2 sees keys 1 2".
inline std::vector<std::string> visible_lines(const xt::xtensor<bool, 2>& M) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < M.shape(0); ++i) {
        std::string line = "query " + std::to_string(i + 1) + " sees keys";
        for (std::size_t j = 0; j < M.shape(1); ++j)
            if (M(i, j)) line += " " + std::to_string(j + 1);
        lines.push_back(line);
    }
    return lines;
}

/// How many keys each query of a mask sees, as a sum: "1 + 2 + 3 + 4 = 10".
inline std::string visible_sum(const xt::xtensor<bool, 2>& M) {
    std::string sum;
    std::size_t total = 0;
    for (std::size_t i = 0; i < M.shape(0); ++i) {
        std::size_t seen = 0;
        for (std::size_t j = 0; j < M.shape(1); ++j) seen += M(i, j);
        sum += (i ? " + " : "") + std::to_string(seen);
        total += seen;
    }
    return sum + " = " + std::to_string(total);
}

/// A matrix's entries, row by row: a vector answer laid out as its grid.
inline std::vector<double> flat(const attn::matrix& M) { return std::vector<double>(M.begin(), M.end()); }

inline attn::vector vec(std::initializer_list<float> xs) {
    attn::vector v = xt::zeros<float>({xs.size()});
    std::size_t i = 0;
    for (float x : xs) v(i++) = x;
    return v;
}

}  // namespace checks
