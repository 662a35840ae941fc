// web/checks/question.hpp — what a self-check question is ("predict, then reveal").
//
// Each lesson lists its own questions in lessons/<slug>/checks.hpp, as
// `std::vector<checks::question> lessons::<slug>::self_checks()`; a question's
// answer is a function over the library, computed when it is graded, never a
// number typed in, so it cannot drift from the code; so is what each listed
// misconception (a trap) predicts, so its feedback meets the learner who holds it. The generated header
// <build>/generated/lesson_checks.hpp gathers every lesson's list in the
// manifest's order; web/checks/checks.hpp grades them.
#pragma once

#include <functional>
#include <initializer_list>
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
