// attn/rng.hpp — seeded random numbers that are the same on every platform.
//
// Teaches: nothing about attention; it is why a seed gives the same example,
// and the same training run, natively and in the page. <random>'s engines are
// portable but its distributions are not: libstdc++ (native) and libc++
// (Emscripten) turn the same bits into different normals. So the course draws
// its own: splitmix64 bits, Box-Muller normals.
// Used by lessons 02, 06 and 11-15's examples and lesson 15's trainer; wave_matrix,
// which needs no generator, by the kernels' timing inputs.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "scores.hpp"  // qkv
#include "tensor.hpp"

namespace attn {

/// splitmix64 (Steele, Lea & Flood 2014): the same stream on every compiler and platform,
/// unlike std::normal_distribution.
struct rng {
    std::uint64_t state;
    explicit rng(std::uint64_t seed) : state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1p-53; }  // [0, 1)
    double normal() {                                            // Box-Muller
        const double u = 1.0 - uniform(), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }
    std::size_t below(std::size_t n) { return std::size_t(next() % n); }
};

/// (rows, cols) of N(0, sd²) draws from g, row by row.
template <class T = real>
xt::xtensor<T, 2> normal_matrix(std::size_t rows, std::size_t cols, rng& g, double sd = 1) {
    xt::xtensor<T, 2> M = xt::zeros<T>({rows, cols});
    for (auto& x : M) x = static_cast<T>(sd * g.normal());
    return M;
}

/// Q, K and V of n rows and d columns each, N(0, 1), drawn in that order from `seed`: the seeded
/// inputs of lessons 12 and 19's pages and walkthroughs.
inline qkv normal_qkv(std::size_t n, std::size_t d, std::uint64_t seed) {
    rng g(seed);
    matrix Q = normal_matrix(n, d, g), K = normal_matrix(n, d, g);
    return {Q, K, normal_matrix(n, d, g)};
}

/// (rows, cols) of smooth values in [-1, 1], element k = sin(phase + 0.37·k): the same
/// everywhere with no generator at all. The kernels' timing inputs (lessons 07-09, the benchmarks).
inline matrix wave_matrix(std::size_t rows, std::size_t cols, float phase) {
    matrix M = xt::zeros<real>({rows, cols});
    for (std::size_t k = 0; k < M.size(); ++k) M.data()[k] = std::sin(phase + 0.37f * float(k));
    return M;
}

}  // namespace attn
