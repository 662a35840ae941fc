// lessons/backward/lesson.hpp — lesson 13's C++ API: a small attention call to differentiate,
// its gradients, and the finite-difference check of any one of them in float32 and float64.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <attn/backward.hpp>
#include <attn/fields.hpp>
#include <attn/rng.hpp>

namespace lessons::backward {

struct example {
    attn::matrix64 Q, K, V, dO;  // (4, 3) each: n = 4 tokens, d = 3
    ATTN_FIELDS(Q, K, V, dO)
};

inline example fixed_example() {
    attn::rng g(13);
    example e;
    e.Q = attn::normal_matrix<double>(4, 3, g);
    e.K = attn::normal_matrix<double>(4, 3, g);
    e.V = attn::normal_matrix<double>(4, 3, g);
    e.dO = attn::normal_matrix<double>(4, 3, g);  // dL/dO: as if L = Σ O ∘ dO
    return e;
}

/// The weights and the three gradients, in float64.
struct gradients {
    attn::matrix64 P, dQ, dK, dV;
    ATTN_FIELDS(P, dQ, dK, dV)
};
inline gradients grads(const attn::matrix64& Q, const attn::matrix64& K, const attn::matrix64& V,
                       const attn::matrix64& dO, bool causal) {
    const auto g = attn::attention_backward(Q, K, V, dO, causal);
    return {attn::attention_forward(Q, K, V, causal).P, g.dQ, g.dK, g.dV};
}

/// What `attnlab example 13 --json` prints: the example and its gradients.
struct values {
    attn::matrix64 dQ, dK, dV, Q, K, V, dO;
    ATTN_FIELDS(dQ, dK, dV, Q, K, V, dO)
};
inline values example_values() {
    const example e = fixed_example();
    const gradients g = grads(e.Q, e.K, e.V, e.dO, false);
    return {g.dQ, g.dK, g.dV, e.Q, e.K, e.V, e.dO};
}

}  // namespace lessons::backward
