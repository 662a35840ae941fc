// tests/support/kernels.hpp — every forward implementation in the library, for suites that run
// them all on the same inputs (tests/edge_cases.cpp, tests/shapes.cpp).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/kernels/naive.hpp>
#include <attn/kernels/online.hpp>
#include <attn/kernels/tiled.hpp>
#include <attn/mask.hpp>
#include <attn/tiled.hpp>

namespace testing {

struct forward_kernel {
    std::string name;
    std::function<attn::matrix(const attn::matrix&, const attn::matrix&, const attn::matrix&, bool causal)> run;
};

/// The references, the readable tiled loop (Br×Bc blocks) and every kernel, unmasked or causal
/// (bottom-right when n_q ≠ n_k). v4_window runs with a window wider than the sequence, which is
/// no window at all, so it must agree with the rest.
inline std::vector<forward_kernel> forward_kernels(std::size_t Br, std::size_t Bc) {
    namespace k = attn::kernels;
    using M = const attn::matrix&;
    return {
        {"causal_attention / attention",
         [](M Q, M K, M V, bool c) { return c ? attn::causal_attention(Q, K, V) : attn::attention(Q, K, V); }},
        {"tiled_attention " + std::to_string(Br) + "x" + std::to_string(Bc),
         [=](M Q, M K, M V, bool c) { return attn::tiled_attention(Q, K, V, Br, Bc, c); }},
        {"v1_naive", [](M Q, M K, M V, bool c) { return k::v1_naive(Q, K, V, c); }},
        {"v2_online", [](M Q, M K, M V, bool c) { return k::v2_online(Q, K, V, c); }},
        {"v3_tiled", [](M Q, M K, M V, bool c) { return k::v3_tiled(Q, K, V, c); }},
        {"v4_simd", [](M Q, M K, M V, bool c) { return k::v4_simd(Q, K, V, c); }},
        {"v4_simd, 2 threads", [](M Q, M K, M V, bool c) { return k::v4_simd(Q, K, V, c, 2); }},
        {"v4_window, w = n_k + n_q (no window)",
         [](M Q, M K, M V, bool c) { return k::v4_window(Q, K, V, K.shape(0) + Q.shape(0), c); }},
    };
}

}  // namespace testing
