// attn/kernels/online.hpp — v2_online: attention in one pass over the keys per query.
//
// Teaches (lesson 08): the online softmax applied to attention. For each query
// the kernel keeps m, l and an unnormalised output o; each key's score updates
// m and l, o is rescaled by the same factor and gets exp(s - m)·v added. At the
// end o / l is the output. Extra memory: d_v floats per query, not n.
// Causal calls see the keys attn/visible.hpp allows (bottom-right when n_q ≠ n_k).
// Leaves out: blocking over queries and keys for cache reuse (v3_tiled).
// Run it: `attnlab lesson 8`; timed by build/native/bench/bench_attention --benchmark_filter=online
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "../shape.hpp"
#include "../tensor.hpp"
#include "../visible.hpp"
#include "common.hpp"

namespace attn::kernels {

// [v2_online]
/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), O (n_q, d_v): row-major, contiguous.
inline void online_attention(const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k,
                             std::size_t d_k, std::size_t d_v, bool causal, counters* count = nullptr) {
    const float scale = 1.0f / std::sqrt(static_cast<float>(d_k));
    double pairs = 0;
    for (std::size_t i = 0; i < n_q; ++i) {
        const float* q = Q + i * d_k;
        float* o = O + i * d_v;  // o accumulates Σ_j exp(s_j - m)·v_j, rescaled as m grows
        std::fill(o, o + d_v, 0.0f);
        float m = -std::numeric_limits<float>::infinity(), l = 0;
        const key_span seen = visible_keys(i, n_q, n_k, causal);
        for (std::size_t j = seen.first; j < seen.last; ++j) {
            const float* k = K + j * d_k;
            float s = 0;
            for (std::size_t c = 0; c < d_k; ++c) s += q[c] * k[c];
            s *= scale;
            const float m_new = std::max(m, s);         // m_new = max(m, s_j)
            const float rescale = std::exp(m - m_new);  // e^(m - m_new)
            const float p = std::exp(s - m_new);        // e^(s_j - m_new)
            l = l * rescale + p;                        // l_new = l·e^(m - m_new) + e^(s_j - m_new)
            const float* v = V + j * d_v;
            for (std::size_t c = 0; c < d_v; ++c) o[c] = o[c] * rescale + p * v[c];
            m = m_new;
        }
        const float inv = l > 0 ? 1.0f / l : 0.0f;  // a row that saw nothing stays 0
        for (std::size_t c = 0; c < d_v; ++c) o[c] *= inv;
        pairs += double(seen.size());
    }
    if (count) {
        count->flops += 2 * pairs * double(d_k) + 2 * pairs * double(d_v);
        count->exps += 2 * pairs;                     // a rescale exp per key as well as the score's
        count->rescale_mults += pairs * double(d_v);  // and the d_v-wide output rescaled per key
        count->peak_bytes = std::max(count->peak_bytes, 2.0 * sizeof(float));  // m and l; o is the output itself
    }
}
// [v2_online]

inline matrix v2_online(const matrix& Q, const matrix& K, const matrix& V, bool causal = false,
                        counters* count = nullptr) {
    detail::check_kernel_inputs("v2_online", Q, K, V);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    online_attention(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1), causal,
                     count);
    return O;
}

}  // namespace attn::kernels
