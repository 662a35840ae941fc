// attn/linear.hpp — lesson 19: linear attention, its recurrent form, and what it cannot do.
//
// Teaches: replace the softmax's e^(q·k/√d) by a product of features,
// sim(q, k) = φ(q)·φ(k) with φ(x) = elu(x) + 1 > 0 (Katharopoulos et al.
// 2020, eq. 7). Then the weights never need to be formed: row i of the output
// is φ(q_i)ᵀ(Σ_j φ(k_j) v_jᵀ) / φ(q_i)ᵀ(Σ_j φ(k_j)), and the two sums,
// S = φ(K)ᵀV (d_k × d_v) and z = φ(K)ᵀ1 (d_k), are computed once for every
// query: O(n·d_k·d_v) instead of O(n²·d). Causal, the sums run over j ≤ i and
// grow by one token at a time, S_i = S_{i−1} + φ(k_i)v_iᵀ: an RNN whose state
// is a fixed d_k × d_v matrix (eq. 16-20), which is also the bridge to
// state-space models (Gu and Dao 2023 make the update depend on the input).
// The price: a fixed state cannot hold n arbitrary pairs exactly, and weights
// without an exponential cannot put all their mass on one key. recall_accuracy
// measures both on an associative-recall task softmax attention solves.
// Leaves out: other feature maps (random features, Choromanski et al. 2021) and
// the decay that later models (RetNet, Mamba) add to the state.
// Run it: `attnlab lesson sparse_linear`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "attention.hpp"
#include "fields.hpp"
#include "kernels/common.hpp"
#include "rng.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

// [feature_map]
/// φ(x) = elu(x) + 1, elementwise: x + 1 for x > 0, e^x otherwise. Always > 0 (until e^x underflows).
/// paper: φ(x) = elu(x) + 1 (Katharopoulos et al. 2020, §3.2)
inline matrix feature_map(const matrix& X) {
    matrix F = X;
    for (auto& x : F) x = x > 0 ? x + 1 : std::exp(x);
    return F;
}
// [feature_map]

namespace detail {

/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), finite, and small enough that no sum of float32 can overflow:
/// every entry of S = Σ_j φ(k_j)v_jᵀ is at most n_k · max φ(k) · max|v|, and every entry of φ(q)ᵀS
/// that times max Σ_c φ(q)_c, so the check bounds n_k · max(1, max Σ_c φ(q)_c) · max φ(k) · max|v|.
inline void check_linear_inputs(const char* where, const matrix& Q, const matrix& K, const matrix& V) {
    kernels::detail::check_kernel_shapes(where, Q, K, V);  // the kernels' own shape and value checks, where they fit
    const double k = kernels::detail::checked_max(where, "K", K, false) + 1;  // φ(k) ≤ |k| + 1
    const double v = kernels::detail::checked_max(where, "V", V, false);
    double q = 0;  // the largest row sum of φ(Q)
    for (std::size_t i = 0; i < Q.shape(0); ++i) {
        double row = 0;
        for (std::size_t c = 0; c < Q.shape(1); ++c) {
            const double x = Q(i, c);
            if (!std::isfinite(x)) throw value_error(kernels::detail::nonfinite_text(where, "Q", i, c, x));
            row += x > 0 ? x + 1 : std::exp(x);
        }
        q = std::max(q, row);
    }
    // The state S = Σ φ(k)vᵀ comes before φ(q) multiplies it: a small φ(q) must not excuse a large S.
    const double bound = double(K.shape(0)) * std::max(q, 1.0) * k * std::max(v, 1.0);
    if (!(bound < double(std::numeric_limits<float>::max())))
        throw value_error(std::string(where) +
                          ": the sums could overflow float32 (n_k·max(1, Σφ(q))·max φ(k)·max|v| = " +
                          std::to_string(bound) + "); scale Q, K or V down");
}

/// O(i, :) = num(i, :) / den, or a value_error when every weight of query i underflowed to 0.
inline void normalise_row(const char* where, std::size_t i, double den, float* o, std::size_t d_v) {
    if (!(den >= double(std::numeric_limits<float>::min())))
        throw value_error(std::string(where) + ": query " + std::to_string(i) +
                          "'s weights underflow float32 (φ(q)·Σφ(k) ≈ 0); its features are all near e^-87, "
                          "scale Q or K up");
    const float inv = float(1.0 / den);
    for (std::size_t e = 0; e < d_v; ++e) o[e] *= inv;
}

}  // namespace detail

// [linear_attention]
/// Linear attention, not causal: S = φ(K)ᵀV and z = φ(K)ᵀ1 once, then o_i = φ(q_i)ᵀS / φ(q_i)·z.
/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v) → (n_q, d_v), in O((n_q + n_k)·d_k·d_v).
/// paper: o_i = φ(q_i)ᵀ(Σ_j φ(k_j)v_jᵀ) / φ(q_i)ᵀ(Σ_j φ(k_j)) (Katharopoulos et al. 2020, §3.2)
inline matrix linear_attention(const matrix& Q, const matrix& K, const matrix& V) {
    detail::check_linear_inputs("linear_attention", Q, K, V);
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_k = Q.shape(1), d_v = V.shape(1);
    const matrix fQ = feature_map(Q), fK = feature_map(K);
    matrix S = xt::zeros<real>({d_k, d_v});
    std::vector<double> z(d_k, 0.0);
    for (std::size_t j = 0; j < n_k; ++j)  // S += φ(k_j) v_jᵀ, z += φ(k_j)
        for (std::size_t c = 0; c < d_k; ++c) {
            const float f = fK(j, c);
            z[c] += f;
            float* s = &S(c, 0);
            const float* v = &V(j, 0);
            for (std::size_t e = 0; e < d_v; ++e) s[e] += f * v[e];
        }
    matrix O = xt::zeros<real>({n_q, d_v});
    for (std::size_t i = 0; i < n_q; ++i) {
        float* o = &O(i, 0);
        double den = 0;
        for (std::size_t c = 0; c < d_k; ++c) {
            const float f = fQ(i, c);
            den += double(f) * z[c];
            const float* s = &S(c, 0);
            for (std::size_t e = 0; e < d_v; ++e) o[e] += f * s[e];
        }
        detail::normalise_row("linear_attention", i, den, o, d_v);
    }
    return O;
}
// [linear_attention]

// [causal_linear_attention]
/// Causal linear attention as an RNN: for each token t in order, S += φ(k_t)v_tᵀ, z += φ(k_t), then
/// o_t = φ(q_t)ᵀS / φ(q_t)·z. The state (S, z) is d_k·(d_v + 1) numbers, whatever n is.
/// Q (n, d_k), K (n, d_k), V (n, d_v) → (n, d_v).
/// paper: S_i = S_{i−1} + φ(k_i)v_iᵀ, z_i = z_{i−1} + φ(k_i) (Katharopoulos et al. 2020, §3.4)
inline matrix causal_linear_attention(const matrix& Q, const matrix& K, const matrix& V) {
    detail::check_linear_inputs("causal_linear_attention", Q, K, V);
    require_shapes(Q.shape(0) == K.shape(0), "causal_linear_attention", "Q", Q, "K", K,
                   "causal: one query per key, token t's query reads keys 0..t");
    const std::size_t n = Q.shape(0), d_k = Q.shape(1), d_v = V.shape(1);
    const matrix fQ = feature_map(Q), fK = feature_map(K);
    matrix S = xt::zeros<real>({d_k, d_v});
    std::vector<double> z(d_k, 0.0);
    matrix O = xt::zeros<real>({n, d_v});
    for (std::size_t t = 0; t < n; ++t) {
        const float* v = &V(t, 0);
        float* o = &O(t, 0);
        double den = 0;
        for (std::size_t c = 0; c < d_k; ++c) {
            const float fk = fK(t, c), fq = fQ(t, c);
            z[c] += fk;
            den += double(fq) * z[c];
            float* s = &S(c, 0);
            for (std::size_t e = 0; e < d_v; ++e) {
                s[e] += fk * v[e];
                o[e] += fq * s[e];
            }
        }
        detail::normalise_row("causal_linear_attention", t, den, o, d_v);
    }
    return O;
}
// [causal_linear_attention]

/// The weights linear attention never forms: A(i, j) = φ(q_i)·φ(k_j) / Σ_j' φ(q_i)·φ(k_j') (j, j' ≤ i
/// when causal). (n_q, n_k); O = A·V. For pictures and checks: it costs what softmax attention costs.
inline matrix linear_weights(const matrix& Q, const matrix& K, bool causal) {
    require_nonempty("linear_weights", "Q", Q);
    require_nonempty("linear_weights", "K", K);
    require_shapes(Q.shape(1) == K.shape(1), "linear_weights", "Q", Q, "K", K, "Q and K need the same d_k");
    if (causal) require_shapes(Q.shape(0) == K.shape(0), "linear_weights", "Q", Q, "K", K, "causal: one query per key");
    const matrix fQ = feature_map(Q), fK = feature_map(K);
    matrix A = xt::zeros<real>({Q.shape(0), K.shape(0)});
    for (std::size_t i = 0; i < Q.shape(0); ++i) {
        double sum = 0;
        const std::size_t last = causal ? i + 1 : K.shape(0);
        std::vector<double> w(last);
        for (std::size_t j = 0; j < last; ++j) {
            for (std::size_t c = 0; c < Q.shape(1); ++c) w[j] += double(fQ(i, c)) * fK(j, c);
            sum += w[j];
        }
        for (std::size_t j = 0; j < last; ++j) A(i, j) = real(sum > 0 ? w[j] / sum : 0);
    }
    return A;
}

/// The recurrent state after the first t tokens: S = Σ φ(k_j)v_jᵀ (d_k, d_v) and z = Σ φ(k_j) (d_k), j < t.
struct linear_state {
    matrix S;
    vector z;
    ATTN_FIELDS(S, z)
};
inline linear_state linear_state_after(const matrix& K, const matrix& V, std::size_t t) {
    require_shapes(K.shape(0) == V.shape(0), "linear_state_after", "K", K, "V", V, "K and V need one row per key");
    require_whole_in("t", double(t), 0, double(K.shape(0)));
    const matrix fK = feature_map(K);
    linear_state s{xt::zeros<real>({K.shape(1), V.shape(1)}), xt::zeros<real>({K.shape(1)})};
    for (std::size_t j = 0; j < t; ++j)
        for (std::size_t c = 0; c < K.shape(1); ++c) {
            s.z(c) += fK(j, c);
            for (std::size_t e = 0; e < V.shape(1); ++e) s.S(c, e) += fK(j, c) * V(j, e);
        }
    return s;
}

/// FLOPs (2 per multiply-add) of linear attention over n tokens: S and z from the keys, then one
/// d_k × d_v product per query, about 4·n·d_k·d_v; and the floats its state holds beyond Q, K, V, O.
struct linear_cost {
    double flops, state_floats, softmax_flops;
    ATTN_FIELDS(flops, state_floats, softmax_flops)
};
inline linear_cost linear_cost_model(std::size_t n, std::size_t d_k, std::size_t d_v, bool causal) {
    const double N = double(n), dk = double(d_k), dv = double(d_v);
    const double pairs = causal ? N * (N + 1) / 2 : N * N;
    return {N * (2 * dk * dv + dk) + N * (2 * dk * dv + 2 * dk), dk * (dv + 1), pairs * 2 * (dk + dv)};
}

/// An associative-recall task (Arora et al. 2023): `pairs` random keys, each with a random value, in
/// one context, then `questions` queries, each a stored key to be answered with its value. Keys are
/// N(0, 1) in d dimensions, values random directions of the same length √d (so that no value is
/// nearer to every output than the others); a query is its key times `sharpness`.
struct recall_task {
    matrix keys, values, queries;
    std::vector<std::size_t> answers;  // the key each query asks for
};
inline recall_task make_recall_task(std::size_t pairs, std::size_t d, std::size_t questions, float sharpness,
                                    std::uint64_t seed) {
    require_whole_in("pairs", double(pairs), 2, 8192);
    require_whole_in("d", double(d), 1, 512);
    require_whole_in("questions", double(questions), 1, 8192);
    require_in("sharpness", sharpness, 0, 64);
    rng g(seed);
    recall_task t{normal_matrix(pairs, d, g), normal_matrix(pairs, d, g), xt::zeros<real>({questions, d}), {}};
    for (std::size_t j = 0; j < pairs; ++j) {
        const double norm = std::sqrt(double(xt::sum(xt::square(xt::row(t.values, j)))()));
        xt::row(t.values, j) *= real(std::sqrt(double(d)) / std::max(norm, 1e-12));
    }
    for (std::size_t q = 0; q < questions; ++q) {
        const std::size_t k = g.below(pairs);
        t.answers.push_back(k);
        xt::row(t.queries, q) = sharpness * xt::row(t.keys, k);
    }
    return t;
}

/// The fraction of a task's queries whose output is nearest (largest dot product) to the value they
/// ask for, by softmax attention or by linear attention over the same queries, keys and values.
inline double recall_accuracy(const recall_task& t, bool linear) {
    const matrix O = linear ? linear_attention(t.queries, t.keys, t.values) : attention(t.queries, t.keys, t.values);
    std::size_t right = 0;
    for (std::size_t q = 0; q < O.shape(0); ++q) {
        std::size_t best = 0;
        double best_dot = -std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < t.values.shape(0); ++j) {
            double dot = 0;
            for (std::size_t e = 0; e < t.values.shape(1); ++e) dot += double(O(q, e)) * t.values(j, e);
            if (dot > best_dot) best_dot = dot, best = j;
        }
        right += best == t.answers[q];
    }
    return double(right) / double(O.shape(0));
}

}  // namespace attn
