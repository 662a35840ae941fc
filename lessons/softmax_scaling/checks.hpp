// lessons/softmax_scaling/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
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
        {"vanish",
         "One score is far above the others, so softmax is almost one-hot: p ≈ (1, 0, 0). Which gradients "
         "through the softmax vanish?",
         kind::choice,
         {"Only the losing scores'; the winner still learns", "All of them, the winner's included",
          "None: softmax gradients never vanish"},
         {"The softmax's Jacobian is diag(p) − p·pᵀ.",
          "Its diagonal entries are p_j(1 − p_j). What is that at p_j = 1?"},
         [] {
             // dS for a near one-hot row, pushed by a unit gradient on each weight in turn
             const attn::vector p = attn::softmax(vec({30, 0, 0}));
             double largest = 0;
             for (std::size_t k = 0; k < 3; ++k)
                 for (std::size_t j = 0; j < 3; ++j)
                     largest = std::max(largest, double(std::abs(p(j) * (float(j == k) - p(k)))));
             return std::vector<double>{largest < 1e-6 ? 1.0 : 0.0};
         },
         0,
         "Every entry of diag(p) − p·pᵀ goes to 0 as p becomes one-hot, the winner's p(1 − p) included: "
         "large unscaled scores stall learning everywhere, which is what 1/√d_k prevents.",
         {{[] { return std::vector<double>{0}; },
           "The winner's own entry is p(1 − p), which is 0 at p = 1 too: the whole Jacobian diag(p) − p·pᵀ "
           "vanishes, not only the losers' part."},
          {[] { return std::vector<double>{2}; },
           "They do vanish: each entry of diag(p) − p·pᵀ is a product with a p_j or a (1 − p_j), and "
           "near one-hot every one of those products is near 0."}}},
        {"hot",
         "Four scores, and the temperature T grows without bound. What does the entropy of softmax(z / T) "
         "tend to, in nats, to two decimals?",
         kind::number,
         {},
         {"As T grows, z / T flattens towards (0, 0, 0, 0).",
          "The entropy of a uniform distribution over n outcomes is ln n."},
         [] {
             return std::vector<double>{attn::entropy(attn::softmax(vec({2, 1, 0.1f, -1}), 1e6f))};
         },
         0.005,
         "ln 4 ≈ 1.39: a hot softmax spreads its weight evenly, the most uncertain it can be.",
         {{[] { return std::vector<double>{0}; },
           "0 is the other limit, T → 0, where the softmax becomes one-hot. A large T divides the scores "
           "towards equality: the weights become uniform."}}},
    };
}

}  // namespace lessons::softmax_scaling
