// attn/kernels/naive.hpp — v1_naive: the textbook kernel over raw storage.
//
// Teaches (lesson 06): the three passes of attention as most people first
// write them: S = Q·Kᵀ/√d_k into an n_q×n_k buffer, a softmax over each row of
// S, then O = P·V. Plain loops over contiguous row-major floats, no xtensor in
// the hot loops, so the timing is the algorithm's and not the container's. With
// `causal`, only keys j ≤ i are scored and mixed: half the FLOPs, but the
// buffer is still n² floats. Counters, when asked for, record the work done.
// Leaves out: tiling, SIMD and threads (lesson 08's v3_tiled and v4_simd).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <cstddef>
#include <limits>
#include <vector>

#include "../cost.hpp"
#include "../shape.hpp"
#include "../tensor.hpp"

namespace attn::kernels {

/// What a kernel actually did, counted as it ran.
struct counters {
    double flops = 0;       // 2 per multiply-add
    double exps = 0;
    double peak_bytes = 0;  // extra memory beyond the inputs and the output
    double tiles = 0;       // tiled kernels: Br×Bc tiles computed (skipped ones are not counted)
};

// [naive]
/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), O (n_q, d_v): row-major, contiguous.
/// S is a workspace of at least n_q·n_k floats (reused across calls by benchmarks).
inline void naive_attention(const float* Q, const float* K, const float* V, float* O, std::size_t n_q,
                            std::size_t n_k, std::size_t d_k, std::size_t d_v, bool causal, float* S,
                            counters* count = nullptr) {
    const float scale = 1.0f / std::sqrt(static_cast<float>(d_k));
    double pairs = 0;
    for (std::size_t i = 0; i < n_q; ++i) {
        const float* q = Q + i * d_k;
        float* s = S + i * n_k;                        // s is row i of S, (n_k)
        const std::size_t n_seen = causal ? std::min(i + 1, n_k) : n_k;
        float m = -std::numeric_limits<float>::infinity();
        for (std::size_t j = 0; j < n_seen; ++j) {     // s_j = q_i · k_j / √d_k
            const float* k = K + j * d_k;
            float dot = 0;
            for (std::size_t c = 0; c < d_k; ++c) dot += q[c] * k[c];
            s[j] = dot * scale;
            m = std::max(m, s[j]);
        }
        float l = 0;                                   // p_j = exp(s_j - m), l = Σ p_j
        for (std::size_t j = 0; j < n_seen; ++j) l += s[j] = std::exp(s[j] - m);
        float* o = O + i * d_v;                        // o_i = Σ_j p_j·v_j / l
        std::fill(o, o + d_v, 0.0f);
        for (std::size_t j = 0; j < n_seen; ++j) {
            const float p = s[j] / l;
            const float* v = V + j * d_v;
            for (std::size_t c = 0; c < d_v; ++c) o[c] += p * v[c];
        }
        pairs += double(n_seen);
    }
    if (count) {
        count->flops += 2 * pairs * double(d_k) + 2 * pairs * double(d_v);
        count->exps += pairs;
        count->peak_bytes = std::max(count->peak_bytes, double(n_q) * double(n_k) * sizeof(float));
    }
}
// [naive]

namespace detail {
/// The kernels' value check, O(n·d) against their O(n²·d) work. Refuses NaN and
/// ±inf, and inputs whose float32 arithmetic could overflow: a dot product q·k
/// (summed before v1 and v2 scale it) can reach max‖q‖·max‖k‖ by Cauchy–Schwarz,
/// an unnormalised output sum n_k·max|v|.
/// Past either, naive_attention would return NaN and the SIMD kernel's clamped
/// exp() zeros: two different wrong answers. A value_error says why instead.
inline void require_kernel_values(const char* where, const matrix& Q, const matrix& K, const matrix& V) {
    auto max_norm = [&](const matrix& M, const char* name) {
        double worst = 0;
        for (std::size_t i = 0; i < M.shape(0); ++i) {
            double sq = 0;
            for (std::size_t c = 0; c < M.shape(1); ++c) {
                const double x = M(i, c);
                if (!std::isfinite(x))
                    throw value_error(std::string(where) + ": " + name + "(" + std::to_string(i) + ", " +
                                      std::to_string(c) + ") is " + (std::isnan(x) ? "nan" : x > 0 ? "inf" : "-inf") +
                                      "; the kernels need finite inputs");
                sq += x * x;
            }
            worst = std::max(worst, std::sqrt(sq));
        }
        return worst;
    };
    const double q = max_norm(Q, "Q"), k = max_norm(K, "K");
    double v = 0;
    for (std::size_t i = 0; i < V.shape(0); ++i)
        for (std::size_t c = 0; c < V.shape(1); ++c) {
            const double x = V(i, c);
            if (!std::isfinite(x))
                throw value_error(std::string(where) + ": V(" + std::to_string(i) + ", " + std::to_string(c) + ") is " +
                                  (std::isnan(x) ? "nan" : x > 0 ? "inf" : "-inf") + "; the kernels need finite inputs");
            v = std::max(v, std::abs(x));
        }
    const double limit = double(std::numeric_limits<float>::max());
    const double score_bound = q * k;
    if (score_bound > limit) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%.3g exceeds float32's %.3g", score_bound, limit);
        throw value_error(std::string(where) + ": scores could overflow float32: max‖q‖·max‖k‖ = " + buf +
                          "; scale Q or K down");
    }
    if (v * double(V.shape(0)) > limit) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%.3g · %zu keys exceeds float32's %.3g", v, V.shape(0), limit);
        throw value_error(std::string(where) + ": the output sums could overflow float32: max|v| = " + buf +
                          "; scale V down");
    }
}
}  // namespace detail

/// v1_naive on matrices: checks shapes, refuses a score matrix over `limit_bytes`.
inline matrix v1_naive(const matrix& Q, const matrix& K, const matrix& V, bool causal = false,
                       counters* count = nullptr, double limit_bytes = 8.0 * (1ull << 30)) {
    require_nonempty("v1_naive", "Q", Q);
    require_nonempty("v1_naive", "V", V);
    require_shapes(Q.shape(1) == K.shape(1), "v1_naive", "Q", Q, "K", K, "Q and K need the same number of columns (d_k)");
    require_shapes(K.shape(0) == V.shape(0), "v1_naive", "K", K, "V", V, "K and V need one row per key");
    if (causal) require_shapes(Q.shape(0) == K.shape(0), "v1_naive", "Q", Q, "K", K, "a causal mask needs n_q = n_k");
    detail::require_kernel_values("v1_naive", Q, K, V);
    const double s_bytes = double(Q.shape(0)) * double(K.shape(0)) * sizeof(float);
    require_memory("the naive kernel's score matrix", s_bytes, limit_bytes);
    std::vector<float> S(Q.shape(0) * K.shape(0));  // the n_q×n_k buffer that makes it O(n²) in memory
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    naive_attention(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1), causal,
                    S.data(), count);
    return O;
}

}  // namespace attn::kernels
