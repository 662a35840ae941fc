// lessons/09_kv_cache/example.hpp — the sentence to decode, one token at a time.
//
// Lesson 03's "the cat sat on the mat" and its projections, decoded left to
// right: the prompt "the cat sat" is prefilled, then "on the mat" decoded.
#pragma once

#include <string>
#include <vector>

#include <attn/scores.hpp>
#include <attn/tensor.hpp>

#include "../03_scaled_dot_product/example.hpp"

namespace lesson09 {

struct example {
    std::vector<std::string> tokens;  // n = 6
    attn::matrix Q, K, V;             // (6, 4) each: X·W_q, X·W_k, X·W_v
    std::size_t prompt = 3;           // tokens prefilled in one pass
};

inline example fixed_example() {
    const auto e = lesson03::fixed_example();
    const attn::qkv p = attn::project_qkv(e.X, e.W_q, e.W_k, e.W_v);
    return {e.tokens, p.Q, p.K, p.V, 3};
}

/// A model shaped like Llama 2 7B (Touvron et al. 2023): 32 layers, 32 heads of 128, float16.
struct model_shape {
    const char* name;
    std::size_t layers, heads, kv_heads, d_head, context, bytes;
};
inline model_shape llama2_7b() { return {"Llama 2 7B", 32, 32, 32, 128, 4096, 2}; }

}  // namespace lesson09
