// lessons/positions/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/positions.hpp>
#include <attn/attention.hpp>

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
        {"permute",
         "No position information at all. Swap two tokens of the input to self-attention. What happens to "
         "the outputs?",
         kind::choice,
         {"Their two outputs swap, and every other output stays the same", "Every output changes",
          "Nothing changes at all"},
         {"Self-attention sees its input as a set of vectors.",
          "Does swapping rows of K and V change any weighted sum?"},
         [] {
             const attn::matrix X = mat({{1, 0}, {0, 2}, {1, 1}, {2, -1}});
             attn::matrix Y = X;
             xt::row(Y, 0) = xt::row(X, 2);
             xt::row(Y, 2) = xt::row(X, 0);
             const attn::matrix A = attn::attention(X, X, X), B = attn::attention(Y, Y, Y);
             const bool swapped = xt::amax(xt::abs(xt::row(A, 0) - xt::row(B, 2)))() < 1e-6 &&
                                  xt::amax(xt::abs(xt::row(A, 1) - xt::row(B, 1)))() < 1e-6;
             return std::vector<double>{swapped ? 0.0 : 1.0};
         },
         0,
         "The outputs move with their tokens and nothing else changes: attention is permutation-equivariant, "
         "so 'dog bites man' and 'man bites dog' look alike to it.",
         {{[] { return std::vector<double>{1}; },
           "Each output is a weighted sum over all tokens, and a sum does not depend on the order of its "
           "terms: swapping two tokens only swaps their own outputs."},
          {[] { return std::vector<double>{2}; },
           "The two swapped tokens' outputs trade places: output i belongs to token i, wherever it now is."}}},
        {"rope-offset",
         "RoPE: the same q and k vectors, once at positions (5, 3) and once at positions (12, 10). Are the "
         "two scores equal?",
         kind::choice,
         {"Yes: both pairs are 2 apart", "No: the positions differ"},
         {"RoPE rotates q by 5θ and k by 3θ in each pair of dimensions.",
          "A dot product of rotated vectors depends on the angle between the rotations."},
         [] {
             const attn::vector q = vec({1, 0.5f, -1, 2}), k = vec({0.3f, 1, 2, -0.5f});
             return std::vector<double>{
                 std::abs(attn::rope_score(q, k, 5, 3) - attn::rope_score(q, k, 12, 10)) < 1e-5 ? 0.0 : 1.0};
         },
         0,
         "Equal: q_m·k_n depends on the content and on the signed offset m − n, not on where the pair sits.",
         {{[] { return std::vector<double>{1}; },
           "Rotating q by mθ and k by nθ leaves their dot product depending on (m − n)θ only: 5 − 3 = 12 − 10, "
           "so the two scores are the same."}}},
    };
}

}  // namespace lessons::positions
