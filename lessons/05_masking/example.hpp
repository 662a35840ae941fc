// lessons/05_masking/example.hpp — lesson 05's fixed example.
//
// Six positions, "the cat sat down <pad> <pad>": four real tokens and two of
// padding. Small whole-number embeddings and weights; causal and padding masks
// over them. `perturb_after` changes every token after a position, for the
// proof that a causal output never sees the future.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <attn/tensor.hpp>

namespace lesson05 {

struct example {
    std::vector<std::string> tokens;  // n = 6
    std::size_t valid;                // 4 real tokens, then padding
    attn::matrix X;                   // (6, 3)
    attn::matrix W_q, W_k, W_v;       // (3, 3) each
};

inline example fixed_example() {
    return {
        {"the", "cat", "sat", "down", "<pad>", "<pad>"},
        4,
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {0, 0, 0}, {0, 0, 0}},
        {{2, 0, 1}, {0, 2, 0}, {1, 1, 2}},
        {{1, 1, 0}, {0, 2, 1}, {2, 0, 1}},
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
    };
}

/// X with every row after position i replaced by fresh values in [-2, 2), seeded.
inline attn::matrix perturb_after(const attn::matrix& X, std::size_t i, std::uint32_t seed) {
    std::mt19937 gen(seed);
    attn::matrix Y = X;
    for (std::size_t r = i + 1; r < X.shape(0); ++r)
        for (std::size_t c = 0; c < X.shape(1); ++c) Y(r, c) = -2.0f + 4.0f * static_cast<float>(gen() >> 8) * 0x1p-24f;
    return Y;
}

}  // namespace lesson05
