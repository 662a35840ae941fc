// tests/support/oracle.hpp — float64 references the float32 code is checked against.
//
// Deliberately the most obvious loops, in double: a test compares the library
// (or the learner's exercise) with these under explicit tolerances.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

#include <attn/mask.hpp>
#include <attn/multihead.hpp>
#include <attn/tensor.hpp>

namespace oracle {

using attn::matrix64;

template <class M>
matrix64 to64(const M& m) {
    matrix64 out = xt::zeros<double>({m.shape(0), m.shape(1)});
    for (std::size_t i = 0; i < m.shape(0); ++i)
        for (std::size_t j = 0; j < m.shape(1); ++j) out(i, j) = m(i, j);
    return out;
}

/// A·B in float64. A is (n, k), B is (k, m).
template <class A, class B>
matrix64 matmul(const A& a, const B& b) {
    matrix64 out = xt::zeros<double>({a.shape(0), b.shape(1)});
    for (std::size_t i = 0; i < a.shape(0); ++i)
        for (std::size_t j = 0; j < b.shape(1); ++j)
            for (std::size_t k = 0; k < a.shape(1); ++k)
                out(i, j) += static_cast<double>(a(i, k)) * static_cast<double>(b(k, j));
    return out;
}

/// A·Bᵀ in float64. A is (n, k), B is (m, k).
template <class A, class B>
matrix64 matmul_bt(const A& a, const B& b) {
    matrix64 out = xt::zeros<double>({a.shape(0), b.shape(0)});
    for (std::size_t i = 0; i < a.shape(0); ++i)
        for (std::size_t j = 0; j < b.shape(0); ++j)
            for (std::size_t k = 0; k < a.shape(1); ++k)
                out(i, j) += static_cast<double>(a(i, k)) * static_cast<double>(b(j, k));
    return out;
}

/// Row-wise stable softmax in float64; an all -inf row gives zeros (the library's definition).
inline matrix64 softmax_rows(const matrix64& S) {
    matrix64 P = xt::zeros<double>(S.shape());
    for (std::size_t i = 0; i < S.shape(0); ++i) {
        double m = -std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < S.shape(1); ++j) m = std::max(m, S(i, j));
        if (m == -std::numeric_limits<double>::infinity()) continue;
        double l = 0;
        for (std::size_t j = 0; j < S.shape(1); ++j) l += P(i, j) = std::exp(S(i, j) - m);
        for (std::size_t j = 0; j < S.shape(1); ++j) P(i, j) /= l;
    }
    return P;
}

/// Which keys each query may see, written out from the definition and independently of
/// attn/visible.hpp: the n_q queries are the last n_q of n_k positions, so query i sits at
/// p = i + n_k - n_q; causal allows keys j ≤ p; a window w allows |p - j| < w (j ≤ p when causal).
inline attn::mask visible(std::size_t n_q, std::size_t n_k, bool causal, std::size_t w = 0) {
    attn::mask M = xt::zeros<bool>({n_q, n_k});
    for (long long i = 0; i < static_cast<long long>(n_q); ++i)
        for (long long j = 0; j < static_cast<long long>(n_k); ++j) {
            const long long p = i + static_cast<long long>(n_k) - static_cast<long long>(n_q);
            bool ok = !causal || j <= p;
            if (w != 0) ok = ok && (j <= p ? p - j : j - p) < static_cast<long long>(w);
            M(std::size_t(i), std::size_t(j)) = ok;
        }
    return M;
}

/// softmax(Q·Kᵀ/√d_k, masked)·V in float64. `allowed` may be null (no mask).
template <class M>
matrix64 attention(const M& Q, const M& K, const M& V, const attn::mask* allowed = nullptr) {
    matrix64 S = matmul_bt(Q, K);
    const double scale = 1.0 / std::sqrt(double(Q.shape(1)));
    for (std::size_t i = 0; i < S.shape(0); ++i)
        for (std::size_t j = 0; j < S.shape(1); ++j)
            S(i, j) = (allowed && !(*allowed)(i, j)) ? -std::numeric_limits<double>::infinity() : S(i, j) * scale;
    return matmul(softmax_rows(S), V);
}

/// Linear attention in float64, its weights formed whole (what the kernels never do):
/// A(i, j) = φ(q_i)·φ(k_j) / Σ_j' φ(q_i)·φ(k_j') over keys j, j' ≤ i when causal, φ(x) = elu(x) + 1; O = A·V.
template <class M>
matrix64 linear_attention(const M& Q, const M& K, const M& V, bool causal) {
    auto phi = [](double x) { return x > 0 ? x + 1 : std::exp(x); };
    matrix64 A = xt::zeros<double>({Q.shape(0), K.shape(0)});
    for (std::size_t i = 0; i < Q.shape(0); ++i) {
        double sum = 0;
        for (std::size_t j = 0; j < K.shape(0) && (!causal || j <= i); ++j) {
            for (std::size_t c = 0; c < Q.shape(1); ++c) A(i, j) += phi(Q(i, c)) * phi(K(j, c));
            sum += A(i, j);
        }
        for (std::size_t j = 0; j < K.shape(0); ++j) A(i, j) /= sum;
    }
    return matmul(A, V);
}

/// Multi-head attention in float64, written from the paper's formula directly.
inline matrix64 multihead(const attn::matrix& X_q, const attn::matrix& X_kv, const attn::mha_weights& w,
                          std::size_t heads) {
    const matrix64 Q = matmul(X_q, w.W_q), K = matmul(X_kv, w.W_k), V = matmul(X_kv, w.W_v);
    const std::size_t dk = Q.shape(1) / heads, dv = V.shape(1) / heads;
    matrix64 concat = xt::zeros<double>({X_q.shape(0), V.shape(1)});
    for (std::size_t h = 0; h < heads; ++h) {
        const matrix64 Qh = xt::view(Q, xt::all(), xt::range(h * dk, (h + 1) * dk));
        const matrix64 Kh = xt::view(K, xt::all(), xt::range(h * dk, (h + 1) * dk));
        const matrix64 Vh = xt::view(V, xt::all(), xt::range(h * dv, (h + 1) * dv));
        xt::view(concat, xt::all(), xt::range(h * dv, (h + 1) * dv)) = attention(Qh, Kh, Vh);
    }
    return matmul(concat, w.W_o);
}

}  // namespace oracle
