// lessons/quadratic_cost/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/cost.hpp>

#include "question.hpp"

namespace lessons::quadratic_cost {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"doubling",
         "n doubles from 1024 to 2048 (d = 64). By what factor does the naive kernel's score matrix grow?",
         kind::number,
         {},
         {"The score matrix is n × n."},
         [] {
             const double a = attn::attention_cost_model(1024, 1024, 64, 64, false).score_bytes;
             const double b = attn::attention_cost_model(2048, 2048, 64, 64, false).score_bytes;
             return std::vector<double>{b / a};
         },
         0,
         "Twice the tokens, four times the memory: that is the quadratic cost."},
    };
}

}  // namespace lessons::quadratic_cost
