// lessons/13_backward/example.hpp — a small attention call to differentiate.
#pragma once

#include <attn/backward.hpp>
#include <attn/train.hpp>  // attn::rng

namespace lesson13 {

struct example {
    attn::matrix64 Q, K, V, dO;  // (4, 3) each: n = 4 tokens, d = 3
};

inline attn::matrix64 seeded(std::size_t rows, std::size_t cols, attn::rng& g) {
    attn::matrix64 M = xt::zeros<double>({rows, cols});
    for (auto& x : M) x = g.normal();
    return M;
}

inline example fixed_example() {
    attn::rng g(13);
    example e;
    e.Q = seeded(4, 3, g);
    e.K = seeded(4, 3, g);
    e.V = seeded(4, 3, g);
    e.dO = seeded(4, 3, g);  // dL/dO: as if L = Σ O ∘ dO
    return e;
}

}  // namespace lesson13
