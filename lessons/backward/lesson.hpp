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

/// The finite difference of element (i, j) of Q, K or V against the backward pass, at
/// h = 1e-1 .. 1e-9, as the absolute error in float32 and in float64.
struct fd_check {
    double analytic;
    std::vector<double> h, e32, e64;
    ATTN_FIELDS(analytic, h, e32, e64)
};
inline fd_check check(const attn::matrix64& Q, const attn::matrix64& K, const attn::matrix64& V,
                      const attn::matrix64& dO, const std::string& which, std::size_t i, std::size_t j, bool causal) {
    if (which != "Q" && which != "K" && which != "V") throw attn::value_error("check: which must be Q, K or V");
    const attn::grad_of w = which == "Q" ? attn::grad_of::Q : which == "K" ? attn::grad_of::K : attn::grad_of::V;
    const attn::matrix64& X = w == attn::grad_of::Q ? Q : w == attn::grad_of::K ? K : V;
    attn::require_whole_in("row", double(i), 0, double(X.shape(0)) - 1);
    attn::require_whole_in("column", double(j), 0, double(X.shape(1)) - 1);
    const auto g = attn::attention_backward(Q, K, V, dO, causal);
    const attn::matrix Qf = xt::cast<float>(Q), Kf = xt::cast<float>(K), Vf = xt::cast<float>(V), dOf = xt::cast<float>(dO);
    const auto gf = attn::attention_backward<float>(Qf, Kf, Vf, dOf, causal);
    const auto pick = [&](const auto& G) { return w == attn::grad_of::Q ? G.dQ(i, j) : w == attn::grad_of::K ? G.dK(i, j) : G.dV(i, j); };
    fd_check r{pick(g), {}, {}, {}};
    for (int p = 1; p <= 9; ++p) {
        const double h = std::pow(10.0, -p);
        r.h.push_back(h);
        r.e32.push_back(std::abs(double(attn::finite_difference<float>(Qf, Kf, Vf, dOf, w, i, j, float(h), causal)) - double(pick(gf))));
        r.e64.push_back(std::abs(attn::finite_difference(Q, K, V, dO, w, i, j, h, causal) - pick(g)));
    }
    return r;
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
