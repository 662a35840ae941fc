// lessons/backward/exercise.cpp — your turn: lesson 13.
//
// Write the two functions marked TODO(backward): the backward pass through a
// row softmax, and the whole backward pass of attention. In float64, so the
// tests can hold you to finite differences. The library's versions
// (src/attn/backward.hpp) are templates; these are the double instances.
// lessons/backward/test.cpp runs against these.
//
//   attnlab check 13    build and run the tests against this file
//   attnlab hint 13     a hint if you are stuck (ask again for the next)
//   attnlab lesson 13   the walkthrough: gradients, finite differences, memory
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
    // TODO(backward): for each row i: D = Σ_j P(i, j)·dP(i, j); dS(i, j) = P(i, j)·(dP(i, j) − D).
    return dS;
}

/// Gradients of O = softmax(s·Q·Kᵀ, causal)·V with s = 1/√d_k, given dO:
///   dV = Pᵀ·dO,  dP = dO·Vᵀ,  dS = softmax_backward(P, dP),  dQ = s·dS·K,  dK = s·dSᵀ·Q.
grads attention_backward(const matrix64& Q, const matrix64& K, const matrix64& V, const matrix64& dO,
                         bool causal = false) {
    attn::check_backward_shapes("attention_backward", Q, K, V, dO);
    const matrix64 P = attn::attention_forward(Q, K, V, causal).P;  // (n_q, n_k): the forward's weights
    grads g{xt::zeros<double>(Q.shape()), xt::zeros<double>(K.shape()), xt::zeros<double>(V.shape())};
    // TODO(backward): dV and dP with two loops over (i, j, x); dS = softmax_backward(P, dP);
    // then dQ and dK with loops over (i, j, x). Masked entries need no care: P is 0 there.
    (void)P;  // delete this line
    return g;
}

}  // namespace exercise
