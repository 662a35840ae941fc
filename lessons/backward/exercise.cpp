// lessons/backward/exercise.cpp — your turn: lesson 14.
//
// Write the two functions marked TODO(backward): the backward pass through a
// row softmax, and the whole backward pass of attention. In float64, so the
// tests can hold you to finite differences. The library's versions
// (src/attn/backward.hpp) are templates; these are the double instances.
// lessons/backward/test.cpp runs against these.
//
//   attnlab check 14    build and run the tests against this file
//   attnlab hint 14     a hint if you are stuck (ask again for the next)
//   attnlab lesson 14   the walkthrough: gradients, finite differences, memory
#include <cmath>
#include <cstddef>

#include <attn/backward.hpp>  // attn::attention_grads, attn::attention_forward, attn::check_backward_shapes
#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix64;
using grads = attn::attention_grads<double>;

/// dS = P ∘ (dP − D) with D_i = Σ_j P_ij dP_ij, for P and dP of the same shape (else attn::shape_error).
matrix64 softmax_backward(const matrix64& P, const matrix64& dP) {
    attn::require_shapes(P.shape() == dP.shape(), "softmax_backward", "P", P, "dP", dP, "dP has P's shape");
    matrix64 dS = xt::zeros<double>(P.shape());
    // TODO(backward): the softmax's Jacobian applied to one row of dP at a time, without building
    //   the Jacobian: derive it from ∂p_j/∂s_k, and notice one number per row does most of the work.
    return dS;
}

/// Gradients of O = softmax(s·Q·Kᵀ, causal)·V with s = 1/√d_k, given dO:
///   dV = Pᵀ·dO,  dP = dO·Vᵀ,  dS = softmax_backward(P, dP),  dQ = s·dS·K,  dK = s·dSᵀ·Q.
grads attention_backward(const matrix64& Q, const matrix64& K, const matrix64& V, const matrix64& dO,
                         bool causal = false) {
    attn::check_backward_shapes("attention_backward", Q, K, V, dO);
    const matrix64 P = attn::attention_forward(Q, K, V, causal).P;  // (n_q, n_k): the forward's weights
    grads g{xt::zeros<double>(Q.shape()), xt::zeros<double>(K.shape()), xt::zeros<double>(V.shape())};
    // TODO(backward): run the forward pass backwards: the weighted sum first (V's gradient and P's),
    //   then the softmax (your softmax_backward), then the scaled scores (Q's and K's).
    //   Masked entries need no care: P is 0 there.
    (void)P;  // delete this line
    return g;
}

/// STRETCH (not needed to pass `attnlab check 14`; its tests run with
/// build/native/lessons/backward/backward_exercise_tests "[stretch]"): the same gradients FlashAttention's
/// way, from O and L = lse (n_q, 1) alone, never holding P: visit the Br×Bc tiles, recompute each
/// tile of P from Q, K and L, and add its share into dQ, dK and dV. O(Br·Bc) extra memory.
grads attention_backward_tiled(const matrix64& Q, const matrix64& K, const matrix64& V, const matrix64& O,
                               const matrix64& lse, const matrix64& dO, std::size_t Br, std::size_t Bc,
                               bool causal = false) {
    attn::check_backward_shapes("attention_backward_tiled", Q, K, V, dO);
    if (Br == 0 || Bc == 0) throw attn::value_error("attention_backward_tiled: block sizes must be at least 1");
    grads g{xt::zeros<double>(Q.shape()), xt::zeros<double>(K.shape()), xt::zeros<double>(V.shape())};
    // TODO(backward): first the one number per row that softmax_backward needed, from O and dO
    //   alone (show that it equals the row sum of P∘dP); then, tile by tile, P from the scores and
    //   L, and the same three steps as attention_backward restricted to the tile. Skip tiles the
    //   causal mask hides entirely.
    (void)O, (void)lse, (void)causal;  // delete this line
    return g;
}

}  // namespace exercise
