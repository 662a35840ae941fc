// lessons/training/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/train.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::training {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"pattern",
         "A one-layer attention model learns to reverse a sequence of length n. Which key should query i attend to?",
         kind::choice,
         {"key i (the diagonal)", "key n − 1 − i (the anti-diagonal)", "key 0 (the first column)", "every key equally"},
         {"Output position i must copy the input token that ends up there.",
          "Reversed, position i holds the token from position n − 1 − i."},
         [] {
             // The target of the reverse task at position 0 comes from the last input position.
             const std::vector<std::size_t> x{0, 1, 2, 3, 4, 5};
             const std::vector<std::size_t> y = attn::toy_target(attn::toy_task::reverse, x);
             return std::vector<double>{y[0] == x.back() ? 1.0 : 0.0};
         },
         0,
         "The anti-diagonal: run the capstone's trainer on 'reverse' and watch it appear in the heatmap."},
        {"first-loss",
         "Before training, every logit is near 0, so each prediction is uniform over the 10 symbols. What "
         "is the cross-entropy per symbol, to two decimals?",
         kind::number,
         {},
         {"Cross-entropy is −ln of the probability given to the right answer.", "Each symbol gets 1/10."},
         [] {
             const attn::vector p = attn::softmax(xt::zeros<float>({10}));
             return std::vector<double>{-std::log(double(p(0)))};
         },
         0.005,
         "ln 10 ≈ 2.30. The lesson's model starts slightly above it (2.62), because its random initial "
         "logits are not exactly 0.",
         {{[] { return std::vector<double>{0.1}; },
           "0.1 is the probability of the right symbol. The loss is −ln of it: ln 10 ≈ 2.30."}}},
        {"adam-step",
         "Adam's very first step (t = 1), learning rate 0.01, on a parameter with gradient g = 5: by how "
         "much does the parameter move, to four decimals?",
         kind::number,
         {},
         {"After one step m = 0.1·g and v = 0.001·g², then both are bias-corrected.",
          "m̂ = g and v̂ = g², so the step is lr·g/|g|."},
         [] {
             attn::matrix p = xt::zeros<float>({1, 1}), g = xt::ones<float>({1, 1}) * 5.0f;
             attn::matrix m = xt::zeros<float>({1, 1}), v = xt::zeros<float>({1, 1});
             attn::adam_update(p, g, m, v, 1, 0.01f);
             return std::vector<double>{-double(p(0, 0))};
         },
         0.00005,
         "0.0100: Adam's steps are about lr whatever the gradient's scale, which is why one learning rate "
         "serves every parameter.",
         {{[] { return std::vector<double>{0.01 * 0.1 / std::sqrt(0.001)}; },
           "0.0316 is the step without the bias correction: m = 0.1·g and √v = √0.001·|g| make it 3.16·lr. "
           "Dividing by 1 − β^t removes the pull towards the zero initial moments."},
          {[] { return std::vector<double>{0.05}; },
           "0.05 is lr·g, a plain gradient-descent step. Adam divides by √v̂ ≈ |g|, so the step is about lr."}}},
    };
}

}  // namespace lessons::training
