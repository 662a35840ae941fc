// lessons/qkv_dot_product/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/scores.hpp>

#include "question.hpp"

namespace lessons::qkv_dot_product {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"top-key",
         "The query is q = (1, 2, 0). Which key gets the highest score q·k?",
         kind::choice,
         {"k₁ = (2, 0, 1)", "k₂ = (0, 1, 3)", "k₃ = (1, 1, 1)"},
         {"A score is a dot product: multiply matching entries and add.",
          "q·k₁ = 1·2 + 2·0 + 0·1 = 2. Now do k₂ and k₃."},
         [] {
             const attn::vector q = vec({1, 2, 0});
             const attn::matrix K = mat({{2, 0, 1}, {0, 1, 3}, {1, 1, 1}});
             std::size_t best = 0;
             for (std::size_t j = 1; j < 3; ++j)
                 if (attn::dot(q, xt::row(K, j)) > attn::dot(q, xt::row(K, best))) best = j;
             return std::vector<double>{double(best)};
         },
         0,
         "The scores are 2, 2 and 3: k₃ matches q best, although k₂ has the largest entry."},
    };
}

}  // namespace lessons::qkv_dot_product
