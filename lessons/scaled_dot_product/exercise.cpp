// lessons/scaled_dot_product/exercise.cpp — your turn: lesson 03.
//
// Write the four functions marked TODO(scaled_dot_product): the weighted sum of values,
// attention itself, and its self and cross forms. Signatures are the
// library's (src/attn/attention.hpp); lessons/scaled_dot_product/test.cpp
// runs against these.
//
//   attnlab check 3    build and run the tests against this file
//   attnlab hint 3     a hint if you are stuck (ask again for the next)
//   attnlab lesson 3   the walkthrough, with every intermediate number
//
// From earlier lessons you may use attn::project, attn::project_qkv,
// attn::scaled_scores and attn::softmax_rows. Shape checks are given.
#include <cstddef>

#include <attn/scores.hpp>
#include <attn/shape.hpp>
#include <attn/softmax.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;
using attn::real;

/// O = P·V. P is (n_q, n_k), V is (n_k, d_v). Returns (n_q, d_v).
matrix weighted_sum(const matrix& P, const matrix& V) {
    attn::require_nonempty("weighted_sum", "P", P);
    attn::require_nonempty("weighted_sum", "V", V);
    attn::require_shapes(P.shape(1) == V.shape(0), "weighted_sum", "P", P, "V", V,
                         "P needs one column per key and V one row per key");
    matrix O = xt::zeros<real>({P.shape(0), V.shape(1)});  // O is (n_q, d_v)
    // TODO(scaled_dot_product): O(i, c) = Σ_j P(i, j) · V(j, c).
    return O;
}

/// softmax(Q·Kᵀ/√d_k)·V. Q is (n_q, d_k), K is (n_k, d_k), V is (n_k, d_v).
matrix attention(const matrix& Q, const matrix& K, const matrix& V) {
    attn::require_shapes(K.shape(0) == V.shape(0), "attention", "K", K, "V", V,
                         "K and V need one row per key, the same number of rows");
    // TODO(scaled_dot_product): scaled scores, softmax of each row, weighted sum of V.
    return xt::zeros<real>({Q.shape(0), V.shape(1)});
}

/// Q, K and V all from X, (n, d_model).
matrix self_attention(const matrix& X, const matrix& W_q, const matrix& W_k, const matrix& W_v) {
    // TODO(scaled_dot_product): project X three ways, then attend.
    (void)W_q, (void)W_k;  // silences "unused parameter" until you use them: delete this line
    return xt::zeros<real>({X.shape(0), W_v.shape(1)});
}

/// Q from X_q, (n_q, d_model); K and V from X_kv, (n_kv, d_model).
matrix cross_attention(const matrix& X_q, const matrix& X_kv, const matrix& W_q, const matrix& W_k, const matrix& W_v) {
    attn::require_shapes(X_q.shape(1) == X_kv.shape(1), "cross_attention", "X_q", X_q, "X_kv", X_kv,
                         "both sequences need embeddings of the same width (d_model)");
    attn::require_shapes(W_q.shape() == W_k.shape(), "cross_attention", "W_q", W_q, "W_k", W_k,
                         "queries and keys must land in the same space (same d_model and d_k)");
    // TODO(scaled_dot_product): queries from X_q, keys and values from X_kv, then attend.
    (void)X_kv;  // silences "unused parameter" until you use it: delete this line
    return xt::zeros<real>({X_q.shape(0), W_v.shape(1)});
}

}  // namespace exercise
