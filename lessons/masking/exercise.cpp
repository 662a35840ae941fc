// lessons/masking/exercise.cpp — your turn: lesson 06.
//
// Write the six functions marked TODO(masking): the causal masks (square, and
// for n_q queries that come after n_k - n_q earlier tokens), the padding mask,
// their combination, masking the scores, and masked attention.
// Signatures are the library's (src/attn/mask.hpp);
// lessons/masking/test.cpp runs against these.
//
//   attnlab check 6    build and run the tests against this file
//   attnlab hint 6     a hint if you are stuck (ask again for the next)
//   attnlab lesson 6   the walkthrough, with every intermediate number
//
// attn::scaled_scores, attn::softmax_rows and attn::weighted_sum (lessons 02
// and 03) are yours to use. Checks are given.
#include <cstddef>
#include <limits>
#include <string>

#include <attn/attention.hpp>
#include <attn/mask.hpp>  // for the attn::mask type and attn::attention_steps
#include <attn/shape.hpp>
#include <attn/softmax.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::mask;
using attn::matrix;
using attn::real;

/// (n, n): true where key j ≤ query i.
mask causal_mask(std::size_t n) {
    if (n == 0) throw attn::value_error("causal_mask: n is 0; a sequence needs at least one token");
    mask M = xt::zeros<bool>({n, n});
    // TODO(masking): allow every key at or before the query.
    return M;
}

/// (n_q, n_k): the queries are the last n_q positions, so query i sits at position
/// i + n_k - n_q and sees the keys at or before it. Rows before the first key see nothing.
mask causal_mask(std::size_t n_q, std::size_t n_k) {
    if (n_q == 0 || n_k == 0) throw attn::value_error("causal_mask: a mask needs at least one row and column");
    mask M = xt::zeros<bool>({n_q, n_k});
    // TODO(masking): allow key j where j ≤ i + n_k - n_q. Careful: with std::size_t,
    // i + n_k - n_q is not negative when n_q > n_k, it wraps around; keep both sides positive.
    return M;
}

/// (n_q, n_k): true where key j < valid, for every query.
mask padding_mask(std::size_t n_q, std::size_t n_k, std::size_t valid) {
    if (n_q == 0 || n_k == 0) throw attn::value_error("padding_mask: a mask needs at least one row and column");
    if (valid > n_k) throw attn::value_error("padding_mask: more real keys than keys");
    mask M = xt::zeros<bool>({n_q, n_k});
    // TODO(masking): allow the first `valid` keys in every row.
    return M;
}

/// Allowed where both a and b allow.
mask combine(const mask& a, const mask& b) {
    attn::require_shapes(a.shape() == b.shape(), "combine", "a", a, "b", b, "masks combine element by element");
    mask M = xt::zeros<bool>(a.shape());
    // TODO(masking): M(i, j) = a(i, j) && b(i, j).
    return M;
}

/// S with every disallowed score replaced by fill. S and M are (n_q, n_k).
matrix apply_mask(const matrix& S, const mask& M, real fill = -std::numeric_limits<real>::infinity()) {
    attn::require_shapes(S.shape() == M.shape(), "apply_mask", "S", S, "mask", M, "the mask needs one entry per score");
    matrix out = S;
    // TODO(masking): set out(i, j) = fill where M(i, j) is false.
    (void)fill;  // silences "unused parameter" until you use it: delete this line
    return out;
}

/// softmax(mask(Q·Kᵀ/√d_k))·V; a fully masked query gets output 0.
matrix masked_attention(const matrix& Q, const matrix& K, const matrix& V, const mask& M) {
    attn::require_shapes(K.shape(0) == V.shape(0), "masked_attention", "K", K, "V", V,
                         "K and V need one row per key, the same number of rows");
    // TODO(masking): scaled scores, apply_mask, softmax_rows, weighted_sum.
    (void)M;  // silences "unused parameter" until you use it: delete this line
    return xt::zeros<real>({Q.shape(0), V.shape(1)});
}

}  // namespace exercise
