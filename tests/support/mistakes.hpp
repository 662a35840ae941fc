// tests/support/mistakes.hpp — the common mistakes, recognised by what they output.
//
// A learner's wrong answer is rarely random: it is one of a handful of slips that every
// course on attention sees. Each function here computes, in float64 (or, where the slip is
// about float32's range, in float32), what a given input produces under one such slip, and
// says what that looks like. A suite names the slips its test could reveal:
//
//   CHECK_THAT(impl::attention(Q, K, V),
//              AllClose(oracle::attention(Q, K, V), 1e-6, 1e-5)
//                  .naming({mistakes::missing_scale(Q, K, V), mistakes::softmax_over_columns(Q, K, V)}));
//
// and a failing output that matches one of them is reported by name ("looks like a missing
// 1/√d_k: ..."), as Exercism's analysers do, instead of as a list of wrong numbers.
// tests/mistakes.cpp feeds a deliberately wrong version of each through the matcher.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <attn/mask.hpp>
#include <attn/tensor.hpp>

#include "oracle.hpp"

namespace mistakes {

using attn::matrix;
using attn::matrix64;

/// One slip: its name, what it looks like and what to change, and what it outputs for the
/// test's input.
struct known {
    std::string name;
    std::string advice;
    matrix64 gives;
};

namespace detail {
/// Each column of S normalised, in float64.
inline matrix64 softmax_columns(const matrix64& S) {
    const matrix64 T = xt::transpose(S);
    return xt::transpose(oracle::softmax_rows(T));
}
inline matrix64 scores(const matrix& Q, const matrix& K, double scale) {
    matrix64 S = oracle::matmul_bt(Q, K);
    S *= scale;
    return S;
}
inline double inv_sqrt(const matrix& Q) { return 1.0 / std::sqrt(double(Q.shape(1))); }
}  // namespace detail

/// Q·Kᵀ/√d_k computed as K·Qᵀ: the scores transposed, S(i, j) = k_i·q_j.
inline known transposed_k(const matrix& Q, const matrix& K, double scale = 1) {
    matrix64 S = oracle::matmul_bt(K, Q);
    S *= scale;
    return {"transposed scores (K·Qᵀ instead of Q·Kᵀ)",
            "S(i, j) came out as key i against query j. Row i of S belongs to query i: take row i of Q and "
            "row j of K.",
            S};
}

/// Q·Kᵀ without the 1/√d_k.
inline known missing_scale(const matrix& Q, const matrix& K) {
    return {"a missing 1/√d_k",
            "every score is √d_k times too large. Divide Q·Kᵀ by √d_k, where d_k is the width of Q and K.",
            detail::scores(Q, K, 1)};
}

/// softmax(Q·Kᵀ)·V, unscaled, optionally masked.
inline known missing_scale(const matrix& Q, const matrix& K, const matrix& V, const attn::mask* M = nullptr) {
    matrix64 S = detail::scores(Q, K, 1);
    if (M)
        for (std::size_t i = 0; i < S.shape(0); ++i)
            for (std::size_t j = 0; j < S.shape(1); ++j)
                if (!(*M)(i, j)) S(i, j) = -std::numeric_limits<double>::infinity();
    return {"a missing 1/√d_k",
            "the weights are too sharp, as if the scores were √d_k times too large. Scale Q·Kᵀ by 1/√d_k "
            "before the softmax.",
            oracle::matmul(oracle::softmax_rows(S), oracle::to64(V))};
}

/// exp(z_j)/Σ exp(z_k) in float32 without subtracting the maximum: exp overflows past about 88.7.
inline known no_max_subtracted(const matrix& S) {
    matrix64 P = xt::zeros<double>({S.shape(0), S.shape(1)});
    for (std::size_t i = 0; i < S.shape(0); ++i) {
        float l = 0;
        for (std::size_t j = 0; j < S.shape(1); ++j) l += std::exp(S(i, j));
        for (std::size_t j = 0; j < S.shape(1); ++j) P(i, j) = std::exp(S(i, j)) / l;
    }
    return {"no maximum subtracted",
            "large scores give inf/inf = NaN (and very negative ones 0/0): exp overflows a float past about "
            "88.7. Subtract the row's maximum from every score before exp; the result does not change.",
            P};
}

/// Each column of S normalised instead of each row.
inline known softmax_over_columns(const matrix& S) {
    return {"a softmax over the wrong axis",
            "the columns sum to 1 instead of the rows. Each query's row is one distribution over the keys: "
            "normalise along a row.",
            detail::softmax_columns(oracle::to64(S))};
}

/// softmax over columns inside attention: P's columns sum to 1, then P·V.
inline known softmax_over_columns(const matrix& Q, const matrix& K, const matrix& V) {
    return {"a softmax over the wrong axis",
            "the weights of each key (a column of P) sum to 1 instead of each query's (a row). Normalise "
            "every row of the scores.",
            oracle::matmul(detail::softmax_columns(detail::scores(Q, K, detail::inv_sqrt(Q))), oracle::to64(V))};
}

/// The mask applied after the softmax: the disallowed weights zeroed, the rest left as they were.
inline known mask_after_softmax(const matrix& Q, const matrix& K, const matrix& V, const attn::mask& M) {
    matrix64 P = oracle::softmax_rows(detail::scores(Q, K, detail::inv_sqrt(Q)));
    for (std::size_t i = 0; i < P.shape(0); ++i)
        for (std::size_t j = 0; j < P.shape(1); ++j)
            if (!M(i, j)) P(i, j) = 0;
    return {"the mask applied after the softmax",
            "the disallowed weights are 0 but the allowed ones were normalised over every key, so the rows "
            "sum to less than 1. Put -inf into the scores before the softmax.",
            oracle::matmul(P, oracle::to64(V))};
}

/// The online softmax with the running sum never rescaled when the maximum grows.
inline known forgotten_rescale(const attn::vector& z) {
    matrix64 p = xt::zeros<double>({std::size_t(1), z.size()});
    double m = -std::numeric_limits<double>::infinity(), l = 0;
    for (float x : z) {
        m = std::max(m, double(x));
        if (m > -std::numeric_limits<double>::infinity()) l += std::exp(x - m);  // l·exp(m_old - m) forgotten
    }
    if (l > 0)
        for (std::size_t j = 0; j < z.size(); ++j) p(0, j) = std::exp(z(j) - m) / l;
    return {"a rescale forgotten when the maximum grows",
            "the weights sum to more than 1 whenever a later score is larger than an earlier one: the terms "
            "summed before the maximum grew were measured against the old maximum. Multiply the running sum "
            "by exp(m_old - m_new) before adding.",
            p};
}

/// Online (or tiled) attention whose running sum and output are never rescaled when a row's
/// maximum grows, over key blocks of Bc (Bc = 1: key by key). Causal is bottom-right.
inline known forgotten_rescale(const matrix& Q, const matrix& K, const matrix& V, std::size_t Bc, bool causal = false) {
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_v = V.shape(1);
    const double s = detail::inv_sqrt(Q), ninf = -std::numeric_limits<double>::infinity();
    const matrix64 S = detail::scores(Q, K, s);
    matrix64 O = xt::zeros<double>({n_q, d_v});
    for (std::size_t i = 0; i < n_q; ++i) {
        double m = ninf, l = 0;
        std::vector<double> o(d_v, 0.0);
        for (std::size_t k0 = 0; k0 < n_k; k0 += Bc) {
            const std::size_t k1 = std::min(k0 + Bc, n_k);
            for (std::size_t j = k0; j < k1; ++j)
                if (!causal || j + n_q <= i + n_k) m = std::max(m, S(i, j));
            if (m == ninf) continue;
            for (std::size_t j = k0; j < k1; ++j) {
                if (causal && j + n_q > i + n_k) continue;
                const double p = std::exp(S(i, j) - m);
                l += p;  // l·exp(m_old - m) forgotten
                for (std::size_t x = 0; x < d_v; ++x) o[x] += p * V(j, x);
            }
        }
        if (l > 0)
            for (std::size_t x = 0; x < d_v; ++x) O(i, x) = o[x] / l;
    }
    return {"a rescale forgotten when the maximum grows",
            "rows whose maximum grows in a later key block come out wrong: what was summed before was "
            "measured against the old maximum. When m grows, multiply both l and the output row by "
            "exp(m_old - m_new) before adding the new block.",
            O};
}

}  // namespace mistakes
