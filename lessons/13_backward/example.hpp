// lessons/13_backward/example.hpp — a small attention call to differentiate.
#pragma once

#include <attn/backward.hpp>
#include <attn/rng.hpp>

namespace lesson13 {

struct example {
    attn::matrix64 Q, K, V, dO;  // (4, 3) each: n = 4 tokens, d = 3
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

}  // namespace lesson13
