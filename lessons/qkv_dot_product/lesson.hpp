// lessons/qkv_dot_product/lesson.hpp — lesson 01's C++ API: what its walkthrough, page and tests call.
//
// Four tokens, small whole-number weights: every number in the walkthrough can
// be checked by hand, and every one is exact in float32. The walkthrough, the
// page's first preset, the tests and the browser test all start from here.
#pragma once

#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/scores.hpp>

namespace lessons::qkv_dot_product {

struct example {
    std::vector<std::string> tokens;  // n = 4
    attn::matrix X;                   // (n, d_model) = (4, 4): one embedding row per token
    attn::matrix W_q;                 // (d_model, d_k) = (4, 3)
    attn::matrix W_k;                 // (d_model, d_k) = (4, 3)
    attn::matrix W_v;                 // (d_model, d_v) = (4, 3)
    ATTN_FIELDS(tokens, X, W_q, W_k, W_v)
};

inline example fixed_example() {
    return {
        {"the", "cat", "sat", "down"},
        {{1, 0, 1, 0}, {0, 2, 0, 1}, {1, 1, 0, 0}, {0, 0, 1, 2}},
        {{1, 0, 1}, {0, 1, 0}, {1, 0, 0}, {0, 1, 1}},
        {{0, 1, 0}, {1, 0, 1}, {0, 1, 1}, {1, 0, 0}},
        {{1, 0, 0}, {0, 0.5, 0}, {0, 0, 1}, {0.5, 0.5, 0.5}},
    };
}

/// The playground's one computation: Q, K, V (n, d) and S = Q·Kᵀ (n, n).
struct projected {
    attn::matrix Q, K, V, S;
    ATTN_FIELDS(Q, K, V, S)
};

inline projected compute(const attn::matrix& X, const attn::matrix& W_q, const attn::matrix& W_k,
                         const attn::matrix& W_v) {
    const attn::qkv p = attn::project_qkv(X, W_q, W_k, W_v);
    return {p.Q, p.K, p.V, attn::scores(p.Q, p.K)};
}

/// What `attnlab example 1 --json` prints and the browser test checks the page against.
struct values {
    std::vector<std::string> tokens;
    attn::matrix X, W_q, W_k, W_v, Q, K, V, S;
    ATTN_FIELDS(tokens, X, W_q, W_k, W_v, Q, K, V, S)
};

inline values example_values() {
    const example ex = fixed_example();
    const projected p = compute(ex.X, ex.W_q, ex.W_k, ex.W_v);
    return {ex.tokens, ex.X, ex.W_q, ex.W_k, ex.W_v, p.Q, p.K, p.V, p.S};
}

}  // namespace lessons::qkv_dot_product
