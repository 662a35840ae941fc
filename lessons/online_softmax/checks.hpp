// lessons/online_softmax/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/online.hpp>

#include "question.hpp"

namespace lessons::online_softmax {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"online-l",
         "The online softmax has seen the scores 1 and then 3. What is its running sum l, to two decimals?",
         kind::number,
         {},
         {"After 1: m = 1, l = e⁰ = 1.",
          "When 3 arrives, the old l is rescaled by e^(1−3), then e^(3−3) = 1 is added."},
         [] {
             attn::online_state s;
             attn::online_update(s, 1);
             attn::online_update(s, 3);
             return std::vector<double>{s.l};
         },
         0.005,
         "l = 1·e⁻² + 1 ≈ 1.14, with m = 3: the sum as if the maximum had been known from the start."},
    };
}

}  // namespace lessons::online_softmax
