// lessons/training/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/train.hpp>

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
    };
}

}  // namespace lessons::training
