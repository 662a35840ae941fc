// lessons/01_qkv_dot_product/example.hpp — the lesson's fixed example.
//
// Four tokens, small whole-number weights: every number in the walkthrough can
// be checked by hand, and every one is exact in float32. The demo, the page's
// first preset, the tests and the browser test all start from this one place.
#pragma once

#include <string>
#include <vector>

#include <attn/tensor.hpp>

namespace lesson01 {

struct example {
    std::vector<std::string> tokens;  // n = 4
    attn::matrix X;    // (n, d_model) = (4, 4): one embedding row per token
    attn::matrix W_q;  // (d_model, d_k) = (4, 3)
    attn::matrix W_k;  // (d_model, d_k) = (4, 3)
    attn::matrix W_v;  // (d_model, d_v) = (4, 3)
};

inline example fixed_example() {
    return {
        {"the", "cat", "sat", "down"},
        {{1, 0, 1, 0},
         {0, 2, 0, 1},
         {1, 1, 0, 0},
         {0, 0, 1, 2}},
        {{1, 0, 1},
         {0, 1, 0},
         {1, 0, 0},
         {0, 1, 1}},
        {{0, 1, 0},
         {1, 0, 1},
         {0, 1, 1},
         {1, 0, 0}},
        {{1, 0, 0},
         {0, 0.5, 0},
         {0, 0, 1},
         {0.5, 0.5, 0.5}},
    };
}

}  // namespace lesson01
