// lessons/14_training/example.hpp — the capstone's settings and its probe sequence.
#pragma once

#include <cstddef>
#include <vector>

#include <attn/train.hpp>

namespace lesson14 {

/// Training stops here: mean cross-entropy per symbol on the held-out sequences.
inline constexpr double target_loss = 0.05;
inline constexpr std::size_t max_steps = 1000;

/// A fixed sequence to draw the attention map for: every symbol once, in a scrambled order.
inline std::vector<std::size_t> probe() { return {3, 7, 1, 9, 0, 4, 8, 2, 6, 5}; }

/// Trains until the held-out loss is below target_loss (checked every 10 steps) or max_steps.
/// Returns the steps taken.
inline std::size_t train_to_target(attn::toy_trainer& t) {
    while (t.steps() < max_steps) {
        for (int k = 0; k < 10; ++k) t.step();
        if (t.evaluate().loss < target_loss) break;
    }
    return t.steps();
}

}  // namespace lesson14
