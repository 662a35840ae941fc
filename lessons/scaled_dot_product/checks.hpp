// lessons/scaled_dot_product/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
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
        {"blend",
         "Attention gives query i the output o_i. Must o_i be one of V's rows?",
         kind::choice,
         {"Yes: attention picks the value of the best-matching key", "No: it is a weighted average of V's rows",
          "No: it can be any vector at all"},
         {"o_i = Σ_j P(i, j)·v_j.", "The weights are positive and sum to 1."},
         [] {
             // the uniform example above: equal scores over V = (1), (2), (6)
             const attn::matrix V = mat({{1}, {2}, {6}});
             const attn::matrix O = attn::attention(mat({{1, 0}}), mat({{1, 0}, {1, 0}, {1, 0}}), V);
             bool is_a_row = false;
             for (std::size_t j = 0; j < 3; ++j) is_a_row = is_a_row || O(0, 0) == V(j, 0);
             return std::vector<double>{is_a_row ? 0.0 : 1.0};
         },
         0,
         "A weighted average: o_i lies between V's rows (in their convex hull), and is one of them only when "
         "a single weight is 1.",
         {{[] { return std::vector<double>{0}; },
           "That would be hard attention, an argmax. Softmax gives every key some weight, so o_i is a blend "
           "of the values, a row of V only in the limit of one dominant score."},
          {[] { return std::vector<double>{2}; },
           "The weights are positive and sum to 1, so o_i is an average of V's rows: it stays inside their "
           "convex hull, never beyond the largest or below the smallest entry."}}},
        {"cross-shape",
         "Cross-attention: 3 decoder tokens attend over 7 encoder tokens, with d_v = 4. What shape is the "
         "output? Rows, then columns.",
         kind::vector,
         {},
         {"One output row per query.", "The keys decide how many weights each row has, not how many rows."},
         [] {
             const attn::matrix O =
                 attn::cross_attention(xt::zeros<float>({3, 2}), xt::zeros<float>({7, 2}), xt::ones<float>({2, 2}),
                                       xt::ones<float>({2, 2}), xt::ones<float>({2, 4}));
             return std::vector<double>{double(O.shape(0)), double(O.shape(1))};
         },
         0,
         "(3, 4): each of the 3 decoder queries gets one average of the 7 encoder values.",
         {{[] {
               return std::vector<double>{7, 4};
           },
           "7 is the number of keys: it sets the length of each row of P, (3, 7). The output has one row "
           "per query, (3, 4)."},
          {[] {
               return std::vector<double>{3, 7};
           },
           "(3, 7) is P, the weights. The output multiplies P by V (7, 4), leaving (3, 4)."}}},
    };
}

}  // namespace lessons::scaled_dot_product
