// lessons/scaled_dot_product/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/attention.hpp>

#include "question.hpp"

namespace lessons::scaled_dot_product {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"uniform",
         "Every key scores the same for a query, and V's rows are (1), (2) and (6). What is the query's output?",
         kind::number,
         {},
         {"Equal scores give equal weights.", "With three keys each weight is 1/3: average the values."},
         [] {
             const attn::matrix Q = xt::zeros<float>({1, 2}), K = mat({{1, 0}, {0, 1}, {1, 1}}),
                                V = mat({{1}, {2}, {6}});
             return std::vector<double>{attn::attention(Q, K, V)(0, 0)};
         },
         0.005,
         "Attention with equal scores is a plain average: (1 + 2 + 6) / 3 = 3."},
    };
}

}  // namespace lessons::scaled_dot_product
