// lessons/positions/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/positions.hpp>

#include "question.hpp"

namespace lessons::positions {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"alibi",
         "ALiBi with slope 0.5: what bias is added to the score of a key 4 positions behind the query?",
         kind::number,
         {},
         {"ALiBi adds −slope × distance."},
         [] { return std::vector<double>{attn::alibi_bias(5, 0.5f)(4, 0)}; },
         0,
         "−2: the farther back, the lower the score, with no position vectors at all (Press et al. 2022)."},
    };
}

}  // namespace lessons::positions
