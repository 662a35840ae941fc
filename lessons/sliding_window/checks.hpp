// lessons/sliding_window/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/window.hpp>

#include "question.hpp"

namespace lessons::sliding_window {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"window-pairs",
         "A causal sliding window of w = 3 over n = 5 tokens: how many (query, key) pairs are scored?",
         kind::number,
         {},
         {"Query i sees keys i−2..i that exist.", "1 + 2 + 3 + 3 + 3."},
         [] { return std::vector<double>{attn::window_pairs(5, 3, true)}; },
         0,
         "12 pairs instead of 15 causal ones: for long sequences the cost is about n·w, not n²/2."},
    };
}

}  // namespace lessons::sliding_window
