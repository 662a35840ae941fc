// attn/kernels/naive.hpp — v1_naive: the textbook kernel over raw storage.
//
// Teaches (lesson 07): the three passes of attention as most people first
// write them: S = Q·Kᵀ/√d_k into an n_q×n_k buffer, a softmax over each row of
// S, then O = P·V. Plain loops over contiguous row-major floats, no xtensor in
// the hot loops, so the timing is the algorithm's and not the container's. With
// `causal`, only the keys a query may see are scored and mixed (keys 0..i when
// n_q = n_k; the queries are the last n_q positions otherwise, attn/visible.hpp):
// half the FLOPs, but the buffer is still n² floats. Counters, when asked for,
// record the work done.
// Leaves out: tiling, SIMD and threads (lesson 09's v3_tiled and v4_simd).
// Run it: `attnlab lesson 7`; timed by build/native/bench/bench_attention --benchmark_filter=naive
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "../cost.hpp"  // require_memory
#include "../shape.hpp"
#include "../tensor.hpp"
#include "../visible.hpp"
#include "common.hpp"

namespace attn::kernels {

// [naive]
/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), O (n_q, d_v): row-major, contiguous.
/// S is a workspace of at least n_q·n_k floats (reused across calls by benchmarks).
inline void naive_attention(const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k,
                            std::size_t d_k, std::size_t d_v, bool causal, float* S, counters* count = nullptr) {
    const float scale = 1.0f / std::sqrt(static_cast<float>(d_k));
    double pairs = 0;
    for (std::size_t i = 0; i < n_q; ++i) {
        const float* q = Q + i * d_k;
        float* s = S + i * n_k;                                   // s is row i of S, (n_k)
        const key_span seen = visible_keys(i, n_q, n_k, causal);  // keys [0, n_k), or 0..p causal
        float m = -std::numeric_limits<float>::infinity();
        for (std::size_t j = seen.first; j < seen.last; ++j) {  // s_j = q_i · k_j / √d_k
            const float* k = K + j * d_k;
            float dot = 0;
            for (std::size_t c = 0; c < d_k; ++c) dot += q[c] * k[c];
            s[j] = dot * scale;
            m = std::max(m, s[j]);
        }
        float l = 0;  // p_j = exp(s_j - m), l = Σ p_j
        for (std::size_t j = seen.first; j < seen.last; ++j) l += s[j] = std::exp(s[j] - m);
        float* o = O + i * d_v;  // o_i = Σ_j p_j·v_j / l; 0 if it sees no key
        std::fill(o, o + d_v, 0.0f);
        for (std::size_t j = seen.first; j < seen.last; ++j) {
            const float p = s[j] / l;
            const float* v = V + j * d_v;
            for (std::size_t c = 0; c < d_v; ++c) o[c] += p * v[c];
        }
        pairs += double(seen.size());
    }
    if (count) {
        count->flops += 2 * pairs * double(d_k) + 2 * pairs * double(d_v);
        count->exps += pairs;
        count->peak_bytes = std::max(count->peak_bytes, double(n_q) * double(n_k) * sizeof(float));
    }
}
// [naive]

/// v1_naive on matrices: checks shapes and values, refuses a score matrix over `limit_bytes`.
inline matrix v1_naive(const matrix& Q, const matrix& K, const matrix& V, bool causal = false,
                       counters* count = nullptr, double limit_bytes = 8.0 * (1ull << 30)) {
    detail::check_kernel_inputs("v1_naive", Q, K, V);
    const double s_bytes = double(Q.shape(0)) * double(K.shape(0)) * sizeof(float);
    require_memory("the naive kernel's score matrix", s_bytes, limit_bytes);
    std::vector<float> S(Q.shape(0) * K.shape(0));  // the n_q×n_k buffer that makes it O(n²) in memory
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    naive_attention(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1), causal,
                    S.data(), count);
    return O;
}

}  // namespace attn::kernels
