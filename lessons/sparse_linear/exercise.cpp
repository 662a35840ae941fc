// lessons/sparse_linear/exercise.cpp — your turn: lesson 19.
//
// Write the three functions marked TODO(sparse_linear): the feature map φ, linear
// attention in its reordered form φ(Q)(φ(K)ᵀV), and its causal form as a recurrence
// over a fixed state. Signatures are the library's (src/attn/linear.hpp);
// lessons/sparse_linear/test.cpp runs against these, and against a float64 oracle
// that forms the n × n weights the whole point is never to form.
//
//   attnlab check sparse_linear    build and run the tests against this file
//   attnlab hint sparse_linear     a hint if you are stuck (ask again for the next)
//   attnlab lesson sparse_linear   the walkthrough: patterns, tiles, the state, the recall gap
#include <cmath>
#include <cstddef>
#include <vector>

#include <attn/linear.hpp>  // for attn::detail::check_linear_inputs and normalise_row
#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;

/// φ(x) = elu(x) + 1 on every entry: x + 1 where x > 0, eˣ elsewhere. Same shape as X.
matrix feature_map(const matrix& X) {
    matrix F = xt::zeros<attn::real>(X.shape());
    // TODO(sparse_linear): fill F, entry by entry.
    return F;
}

/// Not causal: S = φ(K)ᵀV (d_k × d_v) and z = φ(K)ᵀ1 (d_k), summed once over the keys; then
/// row i of the output is φ(q_i)ᵀS / φ(q_i)·z. Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v) → (n_q, d_v).
/// Never form the n_q × n_k weights. The last step of each row is done for you: once o holds
/// φ(q_i)ᵀS and den holds φ(q_i)·z, call attn::detail::normalise_row (it refuses a den that underflowed).
matrix linear_attention(const matrix& Q, const matrix& K, const matrix& V) {
    attn::detail::check_linear_inputs("linear_attention", Q, K, V);
    matrix O = xt::zeros<attn::real>({Q.shape(0), V.shape(1)});
    // TODO(sparse_linear): φ(Q), φ(K); S and z over every key; then each query's row of O.
    return O;
}

/// Causal, as a recurrence: for t = 0, 1, ..., n - 1, first fold token t into the state
/// (S += φ(k_t)v_tᵀ, z += φ(k_t)), then o_t = φ(q_t)ᵀS / φ(q_t)·z. Q, K (n, d_k), V (n, d_v) → (n, d_v).
/// The state never grows: d_k·(d_v + 1) numbers, whatever n is.
matrix causal_linear_attention(const matrix& Q, const matrix& K, const matrix& V) {
    attn::detail::check_linear_inputs("causal_linear_attention", Q, K, V);
    attn::require_shapes(Q.shape(0) == K.shape(0), "causal_linear_attention", "Q", Q, "K", K,
                         "causal: one query per key, token t's query reads keys 0..t");
    matrix O = xt::zeros<attn::real>({Q.shape(0), V.shape(1)});
    // TODO(sparse_linear): keep S (d_k × d_v) and z (d_k) across the tokens; the order matters.
    return O;
}

}  // namespace exercise
