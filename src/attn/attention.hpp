// attn/attention.hpp — lesson 03: scaled dot-product attention, self and cross.
//
// Teaches: Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k)·V. Each query's output is a
// weighted average of the value rows, weighted by how well the query matches
// each key (Vaswani et al. 2017, eq. 1). Self-attention takes Q, K and V from
// one sequence; cross-attention takes Q from one and K, V from another
// (Bahdanau et al. 2014's decoder attending to the encoder).
// Leaves out: heads (lesson 05), masks (lesson 06), and any speed (lessons 07-09).
// Run it: `attnlab lesson 3`.
#pragma once

#include <cstddef>

#include "fields.hpp"
#include "scores.hpp"
#include "shape.hpp"
#include "softmax.hpp"
#include "tensor.hpp"

namespace attn {

// [weighted_sum]
/// O = P·V: output row i is Σ_j P(i, j)·v_j, the values averaged with query i's weights.
/// P is (n_q, n_k), V is (n_k, d_v). Returns O, (n_q, d_v).
/// paper: O = P·V, o_i = Σ_j P_ij·v_j
inline matrix weighted_sum(const matrix& P, const matrix& V) {
    require_nonempty("weighted_sum", "P", P);
    require_nonempty("weighted_sum", "V", V);
    require_shapes(P.shape(1) == V.shape(0), "weighted_sum", "P", P, "V", V,
                   "P needs one column per key and V one row per key");
    const std::size_t n_q = P.shape(0), n_k = P.shape(1), d_v = V.shape(1);
    matrix O = xt::zeros<real>({n_q, d_v});  // O is (n_q, d_v): one output row per query
    for (std::size_t i = 0; i < n_q; ++i)
        for (std::size_t j = 0; j < n_k; ++j) {  // o_i += P(i, j)·v_j
            const real p = P(i, j);
            for (std::size_t c = 0; c < d_v; ++c) O(i, c) += p * V(j, c);
        }
    return O;
}
// [weighted_sum]

/// Every intermediate of one attention call, for pages and demos.
struct attention_steps {
    matrix S;  // (n_q, n_k): Q·Kᵀ / √d_k, the scaled scores
    matrix P;  // (n_q, n_k): softmax of each row of S, the attention weights
    matrix O;  // (n_q, d_v): P·V, the outputs
    ATTN_FIELDS(S, P, O)
};

// [attention]
/// softmax(Q·Kᵀ/√d_k)·V, keeping the steps. Q is (n_q, d_k), K is (n_k, d_k), V is (n_k, d_v).
/// paper: Attention(Q, K, V) = softmax(Q·Kᵀ/√d_k)·V (Vaswani et al. 2017, eq. 1); kernels: v1_naive, v2_online, v3_tiled, v4_simd
inline attention_steps attention_explained(const matrix& Q, const matrix& K, const matrix& V) {
    require_shapes(K.shape(0) == V.shape(0), "attention", "K", K, "V", V,
                   "K and V need one row per key, the same number of rows");
    attention_steps r;
    r.S = scaled_scores(Q, K);   // (n_q, n_k), checks Q against K
    r.P = softmax_rows(r.S);     // (n_q, n_k), rows sum to 1
    r.O = weighted_sum(r.P, V);  // (n_q, d_v)
    return r;
}

/// Attention(Q, K, V) = softmax(Q·Kᵀ/√d_k)·V. Returns (n_q, d_v).
inline matrix attention(const matrix& Q, const matrix& K, const matrix& V) { return attention_explained(Q, K, V).O; }
// [attention]

/// Self-attention: queries, keys and values all from X, (n, d_model). Returns (n, d_v).
inline matrix self_attention(const matrix& X, const matrix& W_q, const matrix& W_k, const matrix& W_v) {
    const qkv p = project_qkv(X, W_q, W_k, W_v);
    return attention(p.Q, p.K, p.V);
}

/// Cross-attention, keeping the steps: queries from X_q, (n_q, d_model); keys and values
/// from X_kv, (n_kv, d_model).
inline attention_steps cross_attention_explained(const matrix& X_q, const matrix& X_kv, const matrix& W_q,
                                                 const matrix& W_k, const matrix& W_v) {
    require_shapes(X_q.shape(1) == X_kv.shape(1), "cross_attention", "X_q", X_q, "X_kv", X_kv,
                   "both sequences need embeddings of the same width (d_model)");
    require_shapes(W_q.shape() == W_k.shape(), "cross_attention", "W_q", W_q, "W_k", W_k,
                   "queries and keys must land in the same space (same d_model and d_k)");
    return attention_explained(project(X_q, W_q), project(X_kv, W_k), project(X_kv, W_v));
}

/// Cross-attention: returns (n_q, d_v), one output per query token.
inline matrix cross_attention(const matrix& X_q, const matrix& X_kv, const matrix& W_q, const matrix& W_k,
                              const matrix& W_v) {
    return cross_attention_explained(X_q, X_kv, W_q, W_k, W_v).O;
}

// [weighted_sum_steps]
/// Output row i built up one key at a time: row j of the result is Σ_{j' ≤ j} P(i, j')·v_j',
/// so its last row is o_i. P is (n_q, n_k), V is (n_k, d_v); returns (n_k, d_v).
inline matrix weighted_sum_steps(const matrix& P, const matrix& V, std::size_t i) {
    require_shapes(P.shape(1) == V.shape(0), "weighted_sum_steps", "P", P, "V", V, "P needs one column per row of V");
    require_whole_in("weighted_sum_steps: the query row", double(i), 0, double(P.shape(0)) - 1);
    matrix partial = xt::zeros<real>({P.shape(1), V.shape(1)});  // (n_k, d_v)
    for (std::size_t j = 0; j < P.shape(1); ++j)
        for (std::size_t c = 0; c < V.shape(1); ++c)
            partial(j, c) = (j ? partial(j - 1, c) : real(0)) + P(i, j) * V(j, c);
    return partial;
}
// [weighted_sum_steps]

}  // namespace attn
