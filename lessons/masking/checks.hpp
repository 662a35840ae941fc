// lessons/masking/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/mask.hpp>

#include "question.hpp"

namespace lessons::masking {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"causal-pairs",
         "A causal mask over n = 4 tokens: how many (query, key) pairs may attend?",
         kind::number,
         {},
         {"Query i sees keys 0..i.", "1 + 2 + 3 + 4."},
         [] {
             const attn::mask M = attn::causal_mask(4);
             double allowed = 0;
             for (bool b : M) allowed += b;
             return std::vector<double>{allowed};
         },
         0,
         "n(n+1)/2 = 10 of the 16 pairs: the lower triangle, diagonal included."},
    };
}

}  // namespace lessons::masking
