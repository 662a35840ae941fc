// attn/backward.hpp — lesson 14: the backward pass of scaled dot-product attention.
//
// Teaches: training needs dL/dQ, dL/dK, dL/dV given dO = dL/dO. Walk the
// forward pass backwards, one line each (s = 1/√d_k):
//   S = s·Q·Kᵀ     P = softmax_rows(S)     O = P·V
//   dV = Pᵀ·dO     dP = dO·Vᵀ
//   dS = P ∘ (dP - D),  D_i = Σ_j P_ij dP_ij = Σ_x dO_ix O_ix   (softmax's Jacobian)
//   dQ = s·dS·K    dK = s·dSᵀ·Q
// Checked against central finite differences in float64 (the tests, and the
// page's checker). The plain backward keeps P, n² numbers again. The tiled
// backward of FlashAttention (Dao et al. 2022, §3.1 and appendix B) keeps only
// O and each row's running max m_i and sum l_i from the forward pass;
// FlashAttention-2 (Dao 2023, §3.1.1), and this code, keep one number per row,
// the log-sum-exp L_i = m_i + ln l_i. Either way the backward recomputes
// every tile P_ij = exp(S_ij - L_i) = exp(S_ij - m_i)/l_i when it is needed: more
// arithmetic, O(n) memory, and faster in practice because memory is slower.
// Templates: T = double for checking, float for training (lesson 15).
// Leaves out: dropout, and the parallel split of the tiled backward over key blocks.
// Run it: `attnlab lesson 14`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "fields.hpp"
#include "kernels/common.hpp"  // check_kernel_shapes
#include "shape.hpp"
#include "tensor.hpp"
#include "visible.hpp"

namespace attn {

template <class T>
using tensor2 = xt::xtensor<T, 2>;

template <class T>
struct attention_grads {
    tensor2<T> dQ;  // (n_q, d_k)
    tensor2<T> dK;  // (n_k, d_k)
    tensor2<T> dV;  // (n_k, d_v)
};

template <class T>
struct attention_forward_result {
    tensor2<T> P;    // (n_q, n_k) the weights
    tensor2<T> O;    // (n_q, d_v)
    tensor2<T> lse;  // (n_q, 1): L_i = ln Σ_j exp(S_ij), all the tiled backward keeps of P
};

template <class A, class B>
void check_backward_shapes(const char* where, const A& Q, const A& K, const A& V, const B& dO) {
    kernels::detail::check_kernel_shapes(where, Q, K, V);
    require_shapes(dO.shape(0) == Q.shape(0) && dO.shape(1) == V.shape(1), where, "dO", dO, "V", V,
                   "dO has the output's shape: one row per query, one column per value column");
}

/// The forward pass in T, keeping what the backward passes need.
template <class T>
attention_forward_result<T> attention_forward(const tensor2<T>& Q, const tensor2<T>& K, const tensor2<T>& V,
                                              bool causal = false) {
    kernels::detail::check_kernel_shapes("attention_forward", Q, K, V);
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_k = Q.shape(1), d_v = V.shape(1);
    const T s = T(1) / std::sqrt(T(d_k));
    attention_forward_result<T> r{xt::zeros<T>({n_q, n_k}), xt::zeros<T>({n_q, d_v}),
                                  xt::zeros<T>({n_q, std::size_t(1)})};
    for (std::size_t i = 0; i < n_q; ++i) {
        const key_span seen = visible_keys(i, n_q, n_k, causal);  // causal: keys 0..i + n_k - n_q
        T m = -std::numeric_limits<T>::infinity();
        for (std::size_t j = seen.first; j < seen.last; ++j) {
            T dot = 0;
            for (std::size_t x = 0; x < d_k; ++x) dot += Q(i, x) * K(j, x);
            r.P(i, j) = dot * s;
            m = std::max(m, r.P(i, j));
        }
        T l = 0;  // P stays 0 on the keys the row does not see
        for (std::size_t j = seen.first; j < seen.last; ++j) l += r.P(i, j) = std::exp(r.P(i, j) - m);
        r.lse(i, 0) = m + std::log(l);  // -inf for a row that sees no key: its P and O stay 0
        if (l == 0) continue;
        for (std::size_t j = seen.first; j < seen.last; ++j) r.P(i, j) /= l;
        for (std::size_t j = seen.first; j < seen.last; ++j)
            for (std::size_t x = 0; x < d_v; ++x) r.O(i, x) += r.P(i, j) * V(j, x);
    }
    return r;
}

// [softmax_backward]
/// Through a row softmax: given P and dP (both (n_q, n_k)), dS = P ∘ (dP - rowsum(P ∘ dP)).
/// paper: dS = P ∘ (dP − rowsum(P ∘ dP))
template <class T>
tensor2<T> softmax_backward(const tensor2<T>& P, const tensor2<T>& dP) {
    require_shapes(P.shape() == dP.shape(), "softmax_backward", "P", P, "dP", dP, "dP has P's shape");
    tensor2<T> dS = xt::zeros<T>(P.shape());
    for (std::size_t i = 0; i < P.shape(0); ++i) {
        T D = 0;  // D_i = Σ_j P_ij dP_ij: how much the row's weighted average moves
        for (std::size_t j = 0; j < P.shape(1); ++j) D += P(i, j) * dP(i, j);
        for (std::size_t j = 0; j < P.shape(1); ++j) dS(i, j) = P(i, j) * (dP(i, j) - D);
    }
    return dS;
}
// [softmax_backward]

/// What the backward pass passes through on its way from dO to dQ and dK, for a picture of it.
template <class T>
struct backward_trace {
    tensor2<T> P, dP, dS;  // (n_q, n_k) each: the weights, and the gradients of the weights and of the scores
};

// [backward]
/// dQ, dK, dV of O = softmax(s·Q·Kᵀ [causal])·V, given dO. Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), dO (n_q, d_v).
/// paper: dV = Pᵀ·dO, dP = dO·Vᵀ, dQ = s·dS·K, dK = s·dSᵀ·Q
template <class T>
attention_grads<T> attention_backward(const tensor2<T>& Q, const tensor2<T>& K, const tensor2<T>& V,
                                      const tensor2<T>& dO, bool causal = false, backward_trace<T>* trace = nullptr) {
    check_backward_shapes("attention_backward", Q, K, V, dO);
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_k = Q.shape(1), d_v = V.shape(1);
    const T s = T(1) / std::sqrt(T(d_k));
    const tensor2<T> P = attention_forward(Q, K, V, causal).P;  // (n_q, n_k), kept: n² numbers
    attention_grads<T> g{xt::zeros<T>(Q.shape()), xt::zeros<T>(K.shape()), xt::zeros<T>(V.shape())};
    tensor2<T> dP = xt::zeros<T>({n_q, n_k});  // a key the row does not see has P = 0: no term
    for (std::size_t i = 0; i < n_q; ++i) {
        const key_span seen = visible_keys(i, n_q, n_k, causal);
        for (std::size_t j = seen.first; j < seen.last; ++j)
            for (std::size_t x = 0; x < d_v; ++x) {
                g.dV(j, x) += P(i, j) * dO(i, x);  // dV = Pᵀ·dO
                dP(i, j) += dO(i, x) * V(j, x);    // dP = dO·Vᵀ
            }
    }
    const tensor2<T> dS = softmax_backward(P, dP);  // masked entries have P = 0, so dS = 0 there
    for (std::size_t i = 0; i < n_q; ++i) {
        const key_span seen = visible_keys(i, n_q, n_k, causal);
        for (std::size_t j = seen.first; j < seen.last; ++j)
            for (std::size_t x = 0; x < d_k; ++x) {
                g.dQ(i, x) += s * dS(i, j) * K(j, x);  // dQ = s·dS·K
                g.dK(j, x) += s * dS(i, j) * Q(i, x);  // dK = s·dSᵀ·Q
            }
    }
    if (trace) *trace = {P, dP, dS};
    return g;
}
// [backward]

// [tiled_backward]
/// The same gradients from O and L = lse alone, recomputing each Br×Bc tile of P.
/// Holds one tile (and D) at a time instead of P: O(Br·Bc) extra memory.
/// paper: P_ij = e^(S_ij − L_i), L_i = m_i + ln ℓ_i (Dao 2023, §3.1.1)
template <class T>
attention_grads<T> attention_backward_tiled(const tensor2<T>& Q, const tensor2<T>& K, const tensor2<T>& V,
                                            const tensor2<T>& O, const tensor2<T>& lse, const tensor2<T>& dO,
                                            std::size_t Br, std::size_t Bc, bool causal = false) {
    check_backward_shapes("attention_backward_tiled", Q, K, V, dO);
    require_shapes(O.shape() == dO.shape(), "attention_backward_tiled", "O", O, "dO", dO, "O and dO share a shape");
    require_shapes(lse.shape(0) == Q.shape(0) && lse.shape(1) == 1, "attention_backward_tiled", "lse", lse, "Q", Q,
                   "lse has one entry per query row");
    if (Br == 0 || Bc == 0) throw value_error("attention_backward_tiled: block sizes must be at least 1");
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_k = Q.shape(1), d_v = V.shape(1);
    const T s = T(1) / std::sqrt(T(d_k));
    attention_grads<T> g{xt::zeros<T>(Q.shape()), xt::zeros<T>(K.shape()), xt::zeros<T>(V.shape())};
    std::vector<T> D(n_q, T(0));  // D_i = Σ_x dO_ix O_ix, equal to Σ_j P_ij dP_ij
    for (std::size_t i = 0; i < n_q; ++i)
        for (std::size_t x = 0; x < d_v; ++x) D[i] += dO(i, x) * O(i, x);
    tensor2<T> Pt = xt::zeros<T>({Br, Bc});  // one tile of P, recomputed
    for (std::size_t k0 = 0; k0 < n_k; k0 += Bc)
        for (std::size_t q0 = 0; q0 < n_q; q0 += Br) {
            const std::size_t last_q = std::min(n_q, q0 + Br) - 1;
            if (causal && k0 >= visible_keys(last_q, n_q, n_k, true).last) continue;  // wholly in the future
            for (std::size_t r = 0; r < Br && q0 + r < n_q; ++r)
                for (std::size_t c = 0; c < Bc && k0 + c < n_k; ++c) {
                    const std::size_t i = q0 + r, j = k0 + c;
                    if (!sees(i, j, n_q, n_k, causal)) {
                        Pt(r, c) = 0;
                        continue;
                    }
                    T dot = 0;
                    for (std::size_t x = 0; x < d_k; ++x) dot += Q(i, x) * K(j, x);
                    Pt(r, c) = std::exp(dot * s - lse(i, 0));  // P_ij = exp(S_ij - L_i)
                }
            for (std::size_t r = 0; r < Br && q0 + r < n_q; ++r)
                for (std::size_t c = 0; c < Bc && k0 + c < n_k; ++c) {
                    const std::size_t i = q0 + r, j = k0 + c;
                    T dp = 0;
                    for (std::size_t x = 0; x < d_v; ++x) {
                        g.dV(j, x) += Pt(r, c) * dO(i, x);
                        dp += dO(i, x) * V(j, x);
                    }
                    const T ds = Pt(r, c) * (dp - D[i]);
                    for (std::size_t x = 0; x < d_k; ++x) {
                        g.dQ(i, x) += s * ds * K(j, x);
                        g.dK(j, x) += s * ds * Q(i, x);
                    }
                }
        }
    return g;
}
// [tiled_backward]

/// Which input a finite difference perturbs.
enum class grad_of { Q, K, V };

// [finite_difference]
/// (L(x + h) - L(x - h)) / 2h for L = Σ O ∘ dO and x = element (i, j) of Q, K or V:
/// the number dQ(i, j) (or dK, dV) must equal, to O(h²) plus rounding of order ε/h.
template <class T>
T finite_difference(tensor2<T> Q, tensor2<T> K, tensor2<T> V, const tensor2<T>& dO, grad_of which, std::size_t i,
                    std::size_t j, T h, bool causal = false) {
    check_backward_shapes("finite_difference", Q, K, V, dO);
    tensor2<T>& X = which == grad_of::Q ? Q : which == grad_of::K ? K : V;
    if (i >= X.shape(0) || j >= X.shape(1))
        throw value_error("finite_difference: element (" + std::to_string(i) + ", " + std::to_string(j) +
                          ") is outside " + shape_str(X.shape()));
    if (!(h > 0)) throw value_error("finite_difference: the step h must be > 0");
    auto loss = [&] {
        const tensor2<T> O = attention_forward(Q, K, V, causal).O;
        T L = 0;
        for (std::size_t k = 0; k < O.size(); ++k) L += O.data()[k] * dO.data()[k];
        return L;
    };
    const T x0 = X(i, j);
    X(i, j) = x0 + h;
    const T up = loss();
    X(i, j) = x0 - h;
    const T down = loss();
    X(i, j) = x0;
    return (up - down) / (2 * h);
}
// [finite_difference]

// [check_gradient]
/// The finite difference of element (i, j) of Q, K or V against the backward pass, at
/// h = 1e-1 .. 1e-9, as the absolute error in float32 and in float64.
struct gradient_check {
    double analytic;
    std::vector<double> h, e32, e64;
    ATTN_FIELDS(analytic, h, e32, e64)
};
inline gradient_check check_gradient(const tensor2<double>& Q, const tensor2<double>& K, const tensor2<double>& V,
                                     const tensor2<double>& dO, const std::string& which, std::size_t i, std::size_t j,
                                     bool causal) {
    if (which != "Q" && which != "K" && which != "V") throw value_error("check: which must be Q, K or V");
    const grad_of w = which == "Q" ? grad_of::Q : which == "K" ? grad_of::K : grad_of::V;
    const tensor2<double>& X = w == grad_of::Q ? Q : w == grad_of::K ? K : V;
    require_whole_in("row", double(i), 0, double(X.shape(0)) - 1);
    require_whole_in("column", double(j), 0, double(X.shape(1)) - 1);
    const auto g = attention_backward(Q, K, V, dO, causal);
    const matrix Qf = xt::cast<float>(Q), Kf = xt::cast<float>(K), Vf = xt::cast<float>(V), dOf = xt::cast<float>(dO);
    const auto gf = attention_backward<float>(Qf, Kf, Vf, dOf, causal);
    const auto pick = [&](const auto& G) {
        return w == grad_of::Q ? G.dQ(i, j) : w == grad_of::K ? G.dK(i, j) : G.dV(i, j);
    };
    gradient_check r{pick(g), {}, {}, {}};
    for (int p = 1; p <= 9; ++p) {
        const double h = std::pow(10.0, -p);
        r.h.push_back(h);
        r.e32.push_back(
            std::abs(double(finite_difference<float>(Qf, Kf, Vf, dOf, w, i, j, float(h), causal)) - double(pick(gf))));
        r.e64.push_back(std::abs(finite_difference(Q, K, V, dO, w, i, j, h, causal) - pick(g)));
    }
    return r;
}
// [check_gradient]

}  // namespace attn
