// lessons/softmax_scaling/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::softmax_scaling {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"softmax",
         "What is softmax(2, 1, 0)? Give three numbers to two decimals, separated by commas.",
         kind::vector,
         {},
         {"Subtract the maximum first: softmax(2, 1, 0) = softmax(0, −1, −2).",
          "e⁰ = 1, e⁻¹ ≈ 0.368, e⁻² ≈ 0.135; divide each by their sum, 1.503."},
         [] {
             const attn::vector p = attn::softmax(vec({2, 1, 0}));
             return std::vector<double>(p.begin(), p.end());
         },
         0.005,
         "The weights are positive and sum to 1; each step of 1 in the scores is a factor e ≈ 2.72 in the weights."},
        {"scale",
         "Random queries and keys with unit-variance entries and d_k = 64: by what factor does lesson 02 divide the scores?",
         kind::number,
         {},
         {"The variance of a sum of d_k independent products of unit variance is d_k.",
          "Divide by the standard deviation."},
         [] {
             const attn::matrix one = xt::ones<float>({1, 64});
             // scaled_scores divides by √d_k: 1·1·64 becomes 64 / factor
             const double s = attn::scaled_scores(one, one)(0, 0);
             return std::vector<double>{64.0 / s};
         },
         0.005,
         "Dividing by √d_k = 8 brings the scores' variance back to 1, whatever d_k is (Vaswani et al. 2017, §3.2.1)."},
    };
}

}  // namespace lessons::softmax_scaling
