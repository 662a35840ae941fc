// tests/support/random.hpp — seeded, reproducible inputs.
#pragma once

#include <cstdint>
#include <random>

#include <attn/tensor.hpp>

namespace testing {

/// (rows, cols) of independent uniform values in [lo, hi), the same for a seed.
inline attn::matrix random_matrix(std::size_t rows, std::size_t cols, std::uint32_t seed, float lo = -1.0f,
                                  float hi = 1.0f) {
    std::mt19937 gen(seed);
    attn::matrix m = xt::zeros<float>({rows, cols});  // m is (rows, cols)
    // Our own mapping from 32 random bits to [lo, hi): std::uniform_real_distribution
    // differs between libstdc++ (native) and libc++ (Emscripten).
    for (auto& x : m) x = lo + (hi - lo) * static_cast<float>(gen() >> 8) * 0x1p-24f;
    return m;
}

inline attn::vector random_vector(std::size_t n, std::uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
    attn::matrix m = random_matrix(1, n, seed, lo, hi);
    return xt::xtensor<float, 1>(xt::row(m, 0));
}

}  // namespace testing
