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
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include <attn/tensor.hpp>

namespace checks {

enum class kind { choice, number, vector };

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
    std::vector<std::string> options;            // for a choice
    std::vector<std::string> hints;              // revealed one by one
    std::function<std::vector<double>()> solve;  // the answer: {index} for a choice, {x} or {x1, x2, ...}
    double tolerance;                            // for numbers: 0.005 means "to two decimals"
    std::string why;                             // shown once answered correctly
    std::vector<trap> traps = {};                // misconceptions' answers, each with its own feedback
};

/// A question's answer and what each of its traps predicts, in checks.json's order of traps.
struct answer {
    std::string name;
    std::function<std::vector<double>()> solve;
    std::vector<std::function<std::vector<double>()>> traps = {};
};

/// A question's words, as lessons/<slug>/checks.json gives them (the generated table embeds them).
struct wording {
    std::string name, prompt;
    kind type;
    std::vector<std::string> options, hints;
    double tolerance;
    std::string why;
    std::vector<std::string> traps;  // each misconception's feedback
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
        question q{w.name, w.prompt, w.type, w.options, w.hints, a->solve, w.tolerance, w.why};
        for (std::size_t t = 0; t < w.traps.size(); ++t) q.traps.push_back({a->traps[t], w.traps[t]});
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

inline attn::vector vec(std::initializer_list<float> xs) {
    attn::vector v = xt::zeros<float>({xs.size()});
    std::size_t i = 0;
    for (float x : xs) v(i++) = x;
    return v;
}

}  // namespace checks
