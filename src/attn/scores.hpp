// attn/scores.hpp — lesson 01: queries, keys, values and the score matrix.
//
// Teaches: a token embedding x becomes three vectors by three learned linear
// maps, q = x·W_q, k = x·W_k, v = x·W_v; how well query i "matches" key j is
// their dot product, and all of them at once are the score matrix S = Q·Kᵀ.
// Leaves out: biases in the projections (most modern models drop them), the
// 1/√d_k scaling and the softmax (lesson 02), batching (see tensor.hpp).
// Run it: `attnlab lesson 1` prints every step for a small example.
#pragma once

#include <cstddef>

#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

// [dot]
/// a · b = Σ_c a(c)·b(c): large when a and b point the same way.
inline real dot(const vector& a, const vector& b) {
    // a and b are (d): two vectors of the same length
    require_shapes(a.size() == b.size(), "dot", "a", a, "b", b, "a dot product needs two vectors of the same length");
    require_nonempty("dot", "a", a);
    real sum = 0;
    for (std::size_t c = 0; c < a.size(); ++c) sum += a(c) * b(c);
    return sum;
}
// [dot]

// [project]
/// One projection: every token's embedding times the same weight matrix.
/// X is (n, d_model): one row per token. W is (d_model, d_out). Returns (n, d_out).
/// paper: Q = X·W_Q, K = X·W_K, V = X·W_V
inline matrix project(const matrix& X, const matrix& W) {
    require_nonempty("project", "X", X);
    require_nonempty("project", "W", W);
    require_shapes(X.shape(1) == W.shape(0), "project", "X", X, "W", W,
                   "X needs as many columns (d_model) as W has rows");
    const std::size_t n = X.shape(0), d_model = X.shape(1), d_out = W.shape(1);
    matrix Y = xt::zeros<real>({n, d_out});        // Y is (n, d_out): one projected row per token
    for (std::size_t i = 0; i < n; ++i)            // each token
        for (std::size_t c = 0; c < d_out; ++c) {  // each output feature
            real sum = 0;                          // Y(i, c) = Σ_k X(i, k)·W(k, c)
            for (std::size_t k = 0; k < d_model; ++k) sum += X(i, k) * W(k, c);
            Y(i, c) = sum;
        }
    return Y;
}
// [project]

/// The three projections of one sequence.
struct qkv {
    matrix Q;  // (n, d_k): what each token is looking for
    matrix K;  // (n, d_k): what each token offers to be found by
    matrix V;  // (n, d_v): what each token hands over when it is found
};

// [project_qkv]
/// X is (n, d_model); W_q and W_k are (d_model, d_k); W_v is (d_model, d_v).
inline qkv project_qkv(const matrix& X, const matrix& W_q, const matrix& W_k, const matrix& W_v) {
    require_shapes(W_q.shape() == W_k.shape(), "project_qkv", "W_q", W_q, "W_k", W_k,
                   "queries and keys must land in the same space (same d_model and d_k)");
    require_shapes(W_q.shape(0) == W_v.shape(0), "project_qkv", "W_q", W_q, "W_v", W_v,
                   "every weight matrix needs d_model rows");
    return {project(X, W_q), project(X, W_k), project(X, W_v)};
}
// [project_qkv]

// [scores]
/// S = Q·Kᵀ: S(i, j) = q_i · k_j, how strongly query i matches key j.
/// Q is (n_q, d_k), K is (n_k, d_k). Returns S, (n_q, n_k): one row per query.
/// paper: S = Q·Kᵀ, S_ij = q_i·k_j
inline matrix scores(const matrix& Q, const matrix& K) {
    require_nonempty("scores", "Q", Q);
    require_nonempty("scores", "K", K);
    require_shapes(Q.shape(1) == K.shape(1), "scores", "Q", Q, "K", K,
                   "Q and K need the same number of columns (d_k) to take dot products");
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_k = Q.shape(1);
    matrix S = xt::zeros<real>({n_q, n_k});      // S is (n_q, n_k): one row of scores per query
    for (std::size_t i = 0; i < n_q; ++i)        // query i ...
        for (std::size_t j = 0; j < n_k; ++j) {  // ... against key j
            real sum = 0;                        // S(i, j) = Σ_c Q(i, c)·K(j, c) = q_i · k_j
            for (std::size_t c = 0; c < d_k; ++c) sum += Q(i, c) * K(j, c);
            S(i, j) = sum;
        }
    return S;
}
// [scores]

/// The column of row i's largest entry (the first, on a tie): the key query i matches best.
inline std::size_t argmax_row(const matrix& S, std::size_t i) {
    if (i >= S.shape(0) || S.shape(1) == 0)
        throw shape_error("argmax_row: row " + std::to_string(i) + " of " + shape_str(S.shape()));
    std::size_t best = 0;
    for (std::size_t j = 1; j < S.shape(1); ++j)
        if (S(i, j) > S(i, best)) best = j;
    return best;
}

}  // namespace attn
