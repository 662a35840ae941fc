// lessons/10_grouped_query/example.hpp — one multi-head layer to share K/V heads in.
//
// Lesson 03's six tokens, d_model = 4, and a multi-head layer of h = 4 heads of
// width 4 with seeded random weights (the same on every platform: attn::rng).
// Grouping pools its K and V projections (attn::from_multihead).
#pragma once

#include <string>
#include <vector>

#include <xtensor/xmath.hpp>

#include <attn/format.hpp>
#include <attn/multihead.hpp>
#include <attn/rng.hpp>

#include "../03_scaled_dot_product/example.hpp"

namespace lesson10 {

struct example {
    std::vector<std::string> tokens;  // n = 6
    attn::matrix X;                   // (6, 4)
    attn::mha_weights w;              // W_q, W_k, W_v (4, 16); W_o (16, 4)
    std::size_t heads = 4;
};

inline example fixed_example() {
    const auto e = lesson03::fixed_example();
    attn::rng g(10);
    attn::mha_weights w{attn::normal_matrix(4, 16, g, 1.5), attn::normal_matrix(4, 16, g, 1.5),
                        attn::normal_matrix(4, 16, g, 1.0), attn::normal_matrix(16, 4, g, 0.5)};
    return {e.tokens, e.X, w, 4};
}

/// How far the grouped layer's output A is from the multi-head one B:
/// max |A - B|, and that relative to max |B| (0 when B is all zeros).
inline std::pair<double, double> distance(const attn::matrix& A, const attn::matrix& B) {
    const double d = attn::max_abs_diff(A, B), scale = double(xt::amax(xt::abs(B))());
    return {d, scale > 0 ? d / scale : 0.0};
}

/// Llama 2 70B (Touvron et al. 2023): 80 layers, 64 query heads of 128, 8 K/V heads, float16.
struct model_shape {
    const char* name;
    std::size_t layers, heads, kv_heads, d_head, bytes;
};
inline model_shape llama2_70b() { return {"Llama 2 70B", 80, 64, 8, 128, 2}; }

}  // namespace lesson10
