// attn/mask.hpp — lesson 06: masks. Causal, padding, combined, and what -inf means.
//
// Teaches: a mask says which keys each query may look at. Masked scores are set
// to -inf before the softmax, so exp(-inf) = 0 gives them exactly zero weight.
// Causal masks (a decoder may not look ahead: key j ≤ query i) and padding
// masks (keys past a sequence's real length are filler) combine with AND.
// With fewer queries than keys (decoding against a cache, a prompt fed in
// chunks) the queries are the last n_q positions, so query i sits at position
// i + n_k - n_q and the causal mask is the lower triangle aligned to the
// bottom-right corner (attn/visible.hpp holds that rule for every kernel).
// A large negative constant such as -1e9 instead of -inf behaves the same while
// a row keeps one allowed key, but a row with every key masked then becomes a
// uniform average of what it should not see. This library defines a fully
// masked row's weights as all zeros, and so its output as the zero vector.
// future_influence proves the causal mask: outputs at or before a position do not move, not
// by one bit, when every token after it changes.
// Leaves out: the sliding-window mask (lesson 12) and the tiled kernel's skipping
// of masked blocks (lesson 09).
// Run it: `attnlab lesson 6`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "attention.hpp"
#include "rng.hpp"
#include "shape.hpp"
#include "softmax.hpp"
#include "tensor.hpp"

namespace attn {

/// (n_q, n_k) of bool: true where query i may attend to key j.
using mask = xt::xtensor<bool, 2>;

// [causal_mask]
/// Query i sees keys 0..i: the lower triangle, diagonal included. (n, n).
inline mask causal_mask(std::size_t n) {
    if (n == 0) throw value_error("causal_mask: n is 0; a sequence needs at least one token");
    mask M = xt::zeros<bool>({n, n});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= i; ++j) M(i, j) = true;
    return M;
}

/// n_q queries after n_k - n_q earlier tokens: query i is at position p = i + n_k - n_q
/// and sees keys 0..p. (n_q, n_k); rows with p < 0 (more queries than keys) see nothing.
/// paper: M_ij = [j ≤ i + n_k − n_q] (bottom-right causal); kernels: every kernel, causal = true
inline mask causal_mask(std::size_t n_q, std::size_t n_k) {
    if (n_q == 0 || n_k == 0)
        throw value_error("causal_mask: (" + std::to_string(n_q) + ", " + std::to_string(n_k) + ") has no elements");
    mask M = xt::zeros<bool>({n_q, n_k});
    for (std::size_t i = 0; i < n_q; ++i)
        for (std::size_t j = 0; j < n_k; ++j) M(i, j) = j + n_q <= i + n_k;  // j ≤ p, without negative numbers
    return M;
}
// [causal_mask]

/// Keys at positions ≥ valid are padding, for every query: (n_q, n_k).
inline mask padding_mask(std::size_t n_q, std::size_t n_k, std::size_t valid) {
    if (n_q == 0 || n_k == 0)
        throw value_error("padding_mask: (" + std::to_string(n_q) + ", " + std::to_string(n_k) + ") has no elements");
    if (valid > n_k)
        throw value_error("padding_mask: " + std::to_string(valid) + " real keys but only " + std::to_string(n_k) +
                          " keys in all");
    mask M = xt::zeros<bool>({n_q, n_k});
    for (std::size_t i = 0; i < n_q; ++i)
        for (std::size_t j = 0; j < valid; ++j) M(i, j) = true;
    return M;
}

/// Both masks must allow a pair for the combination to allow it.
inline mask combine(const mask& a, const mask& b) {
    require_shapes(a.shape() == b.shape(), "combine", "a", a, "b", b, "masks combine element by element");
    mask M = a;
    for (std::size_t k = 0; k < M.size(); ++k) M.data()[k] = a.data()[k] && b.data()[k];
    return M;
}

// [apply_mask]
/// S with every disallowed score replaced by `fill` (default -inf). S and M are (n_q, n_k).
inline matrix apply_mask(const matrix& S, const mask& M, real fill = -std::numeric_limits<real>::infinity()) {
    require_shapes(S.shape() == M.shape(), "apply_mask", "S", S, "mask", M, "the mask needs one entry per score");
    matrix out = S;
    for (std::size_t i = 0; i < S.shape(0); ++i)
        for (std::size_t j = 0; j < S.shape(1); ++j)
            if (!M(i, j)) out(i, j) = fill;
    return out;
}
// [apply_mask]

// [masked_attention]
/// softmax(mask(Q·Kᵀ/√d_k))·V. A query whose keys are all masked gets weights 0
/// and output 0 (with fill = -inf; see the file comment for a finite fill).
/// paper: softmax(mask(Q·Kᵀ/√d_k))·V, masked scores −∞
inline attention_steps masked_attention_explained(const matrix& Q, const matrix& K, const matrix& V, const mask& M,
                                                  real fill = -std::numeric_limits<real>::infinity()) {
    require_shapes(K.shape(0) == V.shape(0), "masked_attention", "K", K, "V", V,
                   "K and V need one row per key, the same number of rows");
    attention_steps r;
    r.S = apply_mask(scaled_scores(Q, K), M, fill);  // (n_q, n_k), masked scores are `fill`
    r.P = softmax_rows(r.S);                         // (n_q, n_k), masked weights are exactly 0
    r.O = weighted_sum(r.P, V);                      // (n_q, d_v)
    return r;
}

inline matrix masked_attention(const matrix& Q, const matrix& K, const matrix& V, const mask& M) {
    return masked_attention_explained(Q, K, V, M).O;
}

/// Causal attention; with n_q ≠ n_k the queries are the last n_q positions (bottom-right).
inline matrix causal_attention(const matrix& Q, const matrix& K, const matrix& V) {
    require_nonempty("causal_attention", "Q", Q);
    require_nonempty("causal_attention", "K", K);
    return masked_attention(Q, K, V, causal_mask(Q.shape(0), K.shape(0)));
}
// [masked_attention]

// [future_influence]
/// X with every row after position i replaced by fresh values in [-2, 2), seeded.
inline matrix perturb_after(const matrix& X, std::size_t i, std::uint64_t seed) {
    rng g(seed);
    matrix Y = X;
    for (std::size_t r = i + 1; r < X.shape(0); ++r)
        for (std::size_t c = 0; c < X.shape(1); ++c) Y(r, c) = static_cast<float>(-2.0 + 4.0 * g.uniform());
    return Y;
}

/// Every token after `position` replaced: how far the outputs at and before it moved (upto),
/// and after it (after). Under the causal mask `upto` is exactly 0.
struct future_change {
    double upto, after;
    matrix O_after;  // the outputs with the future replaced
    ATTN_FIELDS(upto, after, O_after)
};
inline future_change future_influence(const matrix& X, const matrix& W_q, const matrix& W_k, const matrix& W_v,
                                      const mask& M, std::size_t position) {
    require_whole_in("position", double(position), 0, double(X.shape(0)) - 1);
    const qkv a = project_qkv(X, W_q, W_k, W_v);
    const qkv b = project_qkv(perturb_after(X, position, 7), W_q, W_k, W_v);
    const matrix Oa = masked_attention(a.Q, a.K, a.V, M), Ob = masked_attention(b.Q, b.K, b.V, M);
    future_change c{0, 0, Ob};
    for (std::size_t r = 0; r < Oa.shape(0); ++r)
        for (std::size_t col = 0; col < Oa.shape(1); ++col) {
            double& worst = r <= position ? c.upto : c.after;
            worst = std::max(worst, std::abs(double(Oa(r, col)) - double(Ob(r, col))));
        }
    return c;
}
// [future_influence]

}  // namespace attn
