// lessons/qkv_dot_product/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
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
        {"scores-shape",
         "Q is (3, 4): three queries of width 4. K is (5, 4). What shape is S = Q·Kᵀ? Rows, then columns.",
         kind::vector,
         {},
         {"S has one entry per (query, key) pair.", "The shared width d_k = 4 is summed away by each dot product."},
         [] {
             const attn::matrix S = attn::scores(xt::zeros<float>({3, 4}), xt::zeros<float>({5, 4}));
             return std::vector<double>{double(S.shape(0)), double(S.shape(1))};
         },
         0,
         "(3, 5): row i is query i, column j is key j, so S(i, j) = q_i·k_j.",
         {{[] {
               return std::vector<double>{5, 3};
           },
           "(5, 3) is K·Qᵀ, the scores transposed: there S(i, j) would be key i against query j. Rows belong "
           "to queries."},
          {[] {
               return std::vector<double>{4, 4};
           },
           "(4, 4) is what Qᵀ·K would give: a product over tokens. Q·Kᵀ sums over the width d_k, leaving "
           "one row per query and one column per key."}}},
        {"symmetric",
         "Self-attention on one sentence, with separate W_q and W_k. Is the score of token i for token j the "
         "same as the score of j for i, S(i, j) = S(j, i)?",
         kind::choice,
         {"Yes: a dot product does not care about order", "No, not in general",
          "Only when the two tokens are the same word"},
         {"S(i, j) = q_i·k_j, and S(j, i) = q_j·k_i.", "Is q_i·k_j the same number as q_j·k_i when W_q ≠ W_k?"},
         [] {
             // three tokens, Q = X·W_q and K = X·W_k with W_q ≠ W_k
             const attn::matrix X = mat({{1, 0, 1}, {0, 1, 1}, {1, 1, 0}});
             const attn::matrix W_q = mat({{1, 0}, {0, 2}, {1, 1}}), W_k = mat({{0, 1}, {1, 0}, {2, 1}});
             const attn::matrix S = attn::scores(attn::project(X, W_q), attn::project(X, W_k));
             bool symmetric = true;
             for (std::size_t i = 0; i < 3; ++i)
                 for (std::size_t j = 0; j < 3; ++j) symmetric = symmetric && S(i, j) == S(j, i);
             return std::vector<double>{symmetric ? 0.0 : 1.0};
         },
         0,
         "What token i looks for (q_i = x_i·W_q) is not what it offers (k_i = x_i·W_k), so i can attend "
         "strongly to j while j ignores i. Only W_q = W_k would make S = Q·Qᵀ symmetric.",
         {{[] { return std::vector<double>{0}; },
           "The dot product is symmetric, but S(i, j) = q_i·k_j and S(j, i) = q_j·k_i pair different "
           "vectors: a token's query and its key come from different maps. Only W_q = W_k makes S symmetric."}}},
    };
}

}  // namespace lessons::qkv_dot_product
