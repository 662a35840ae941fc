// lessons/11_sliding_window/example.hpp — seeded inputs for the window lesson.
#pragma once

#include <cstdint>

#include <attn/tensor.hpp>
#include <attn/rng.hpp>  // the same numbers natively and in the page

namespace lesson11 {

struct qkv {
    attn::matrix Q, K, V;  // (n, d) each
};

/// Q, K, V with entries N(0, 1), from `seed`.
inline qkv seeded(std::size_t n, std::size_t d, std::uint64_t seed) {
    attn::rng g(seed);
    attn::matrix Q = attn::normal_matrix(n, d, g), K = attn::normal_matrix(n, d, g);
    return {Q, K, attn::normal_matrix(n, d, g)};
}

/// Mistral 7B (Jiang et al. 2023): a window of 4096 tokens in each of 32 layers.
inline constexpr std::size_t mistral_window = 4096, mistral_layers = 32;

}  // namespace lesson11
