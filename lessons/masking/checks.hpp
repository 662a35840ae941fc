// lessons/masking/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/mask.hpp>
#include <attn/softmax.hpp>

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
        {"mask-after",
         "Instead of −∞ before the softmax: take the softmax over every key, set the future keys' weights to "
         "0, then divide each row by its new sum. Is the result the same P?",
         kind::choice,
         {"Yes, exactly the same weights", "No: the future keys leak into the weights",
          "No: the rows no longer sum to 1"},
         {"Write the softmax's weights as e^(s_j) / Z, with Z summed over every key.",
          "After zeroing and renormalising, what happens to Z?"},
         [] {
             const attn::matrix S = mat({{1, 2, 3}, {0.5f, -1, 2}, {2, 0, 1}});
             const attn::mask M = attn::causal_mask(3);
             const attn::matrix before = attn::softmax_rows(attn::apply_mask(S, M));
             attn::matrix after = attn::softmax_rows(S);
             for (std::size_t i = 0; i < 3; ++i) {
                 double sum = 0;
                 for (std::size_t j = 0; j < 3; ++j) sum += after(i, j) *= M(i, j);
                 for (std::size_t j = 0; j < 3; ++j) after(i, j) /= sum;
             }
             return std::vector<double>{xt::amax(xt::abs(before - after))() < 1e-6 ? 0.0 : 1.0};
         },
         0,
         "The same: Z cancels when each row is divided by its new sum (LLMs from Scratch shows both ways). "
         "−∞ before the softmax does it in one step and never computes the exponentials it throws away.",
         {{[] { return std::vector<double>{1}; },
           "Every future weight is set to 0, and dividing by the new sum cancels the old denominator: what "
           "is left is exactly the softmax over the allowed keys. Nothing leaks."},
          {[] { return std::vector<double>{2}; },
           "That happens if you zero the weights and stop. Dividing each row by its new sum restores a "
           "distribution, the very one −∞ gives."}}},
        {"no-renormalise",
         "Four equal scores, softmax, then the last two weights set to 0 and nothing else. What does the row "
         "sum to?",
         kind::number,
         {},
         {"softmax(0, 0, 0, 0) gives 0.25 each.", "Two of them are left."},
         [] {
             attn::vector p = attn::softmax(vec({0, 0, 0, 0}));
             p(2) = p(3) = 0;
             return std::vector<double>{xt::sum(p)()};
         },
         0.005,
         "0.5: a mask applied after the softmax without renormalising leaves rows that are no longer "
         "distributions, and every output is shrunk towards 0.",
         {{[] { return std::vector<double>{1}; },
           "It would be 1 with −∞ before the softmax (each of the two keys left gets 0.5). Zeroing weights "
           "afterwards removes their mass: 0.25 + 0.25 = 0.5."}}},
    };
}

}  // namespace lessons::masking
