// lessons/08_tiled/example.hpp — inputs for lesson 08's demo, page and tests.
#pragma once

#include <cmath>

#include <attn/tensor.hpp>

namespace lesson08 {

/// (rows, cols) of smooth values in [-1, 1], the same everywhere (no RNG to differ).
inline attn::matrix filled(std::size_t rows, std::size_t cols, float seed) {
    attn::matrix m = xt::zeros<float>({rows, cols});
    for (std::size_t k = 0; k < m.size(); ++k) m.data()[k] = std::sin(seed + 0.37f * float(k));
    return m;
}

}  // namespace lesson08
