// attn/kernels/decode.hpp — v5_split_kv: decoding, a few queries against a long KV cache, with the
// keys split across threads and the splits merged as lesson 08 merges two online-softmax states.
//
// Teaches (lessons 08 and 10): while a model writes, each step brings n_q = 1 new query (a few, with
// speculative decoding or grouped heads), and it must read the whole cache of n_k keys and values.
// Tiling over queries (v4_simd) leaves all but one thread idle and a 64-row tile almost empty.
// Flash-decoding (Dao et al. 2023) splits the keys instead: split s of S reads keys [k_s, k_{s+1})
// and keeps, per query, the state of lesson 08,
//   m_s = max_j s_ij,   ℓ_s = Σ_j e^(s_ij − m_s),   o_s = Σ_j e^(s_ij − m_s)·v_j,
// and the S states merge exactly: m = max_s m_s, ℓ = Σ_s ℓ_s·e^(m_s − m), o = Σ_s o_s·e^(m_s − m),
// O = o / ℓ. The work is reading K and V once: 2·n_k·d floats for O(n_q·n_k·d) arithmetic, so
// decoding is limited by memory bandwidth, and its figure is GB/s (bench/bench_attention.cpp).
// Within a split the keys go in chunks of 256: scores for the chunk (one dot product per query and
// key, on the machine's vector registers), the chunk's maximum, one rescale of o, exps, and o += p·V.
// Causal calls see the keys attn/visible.hpp allows (the n_q queries are the last n_q positions).
// Leaves out: a window, masks, and splitting the cache across devices (ring attention).
// Run it: `attnlab compute --kernel decode ...`; build/native/bench/bench_attention --benchmark_filter=decode
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <thread>
#include <vector>

#include "../shape.hpp"
#include "../tensor.hpp"
#include "../visible.hpp"
#include "common.hpp"
#include "simd.hpp"

namespace attn::kernels {

inline constexpr std::size_t decode_chunk = 256;  // keys scored at once within a split

/// One split's state for each of the n_q queries: m and ℓ (n_q), o (n_q, d_v) unnormalised.
struct decode_partial {
    std::vector<float> m, l, o, scores;  // scores: (n_q, decode_chunk), the chunk's
    void fit(std::size_t n_q, std::size_t d_v) {
        m.assign(n_q, std::numeric_limits<float>::lowest());
        l.assign(n_q, 0.0f);
        o.assign(n_q * d_v, 0.0f);
        scores.resize(n_q * decode_chunk);
    }
};

namespace detail {

/// Σ_c a[c]·b[c] over n floats, on vector registers, then a plain sum of the lanes.
inline float dot_simd(const float* a, const float* b, std::size_t n) {
    using namespace simd;
    reg acc0 = zero(), acc1 = zero();
    std::size_t c = 0;
    for (; c + 2 * W <= n; c += 2 * W) {
        acc0 = fma(load(a + c), load(b + c), acc0);
        acc1 = fma(load(a + c + W), load(b + c + W), acc1);
    }
    for (; c + W <= n; c += W) acc0 = fma(load(a + c), load(b + c), acc0);
    float lanes[W];
    store(lanes, add(acc0, acc1));
    float sum = 0;
    for (int k = 0; k < W; ++k) sum += lanes[k];
    for (; c < n; ++c) sum += a[c] * b[c];
    return sum;
}

/// x[j] = e^(x[j] − m) over n floats (simd::exp, lesson 09's); returns their sum.
inline float exp_shifted(float* x, std::size_t n, float m) {
    using namespace simd;
    const reg mv = set1(m);
    reg acc = zero();
    std::size_t j = 0;
    for (; j + W <= n; j += W) {
        const reg e = simd::exp(sub(load(x + j), mv));
        store(x + j, e);
        acc = add(acc, e);
    }
    float lanes[W];
    store(lanes, acc);
    float sum = 0;
    for (int k = 0; k < W; ++k) sum += lanes[k];
    for (; j < n; ++j) sum += x[j] = std::exp(x[j] - m);
    return sum;
}

/// y += a·x over n floats.
inline void axpy_simd(float* y, float a, const float* x, std::size_t n) {
    using namespace simd;
    const reg av = set1(a);
    std::size_t c = 0;
    for (; c + W <= n; c += W) store(y + c, fma(av, load(x + c), load(y + c)));
    for (; c < n; ++c) y[c] += a * x[c];
}

}  // namespace detail

// [decode_split]
/// Keys [k0, k1) for every query, folded into the split's state p (fitted for n_q and d_v).
/// Qs is Q already scaled by 1/√d_k.
inline void decode_split(const float* Qs, const float* K, const float* V, std::size_t n_q, std::size_t n_k,
                         std::size_t d_k, std::size_t d_v, bool causal, std::size_t k0, std::size_t k1,
                         decode_partial& p) {
    for (std::size_t c0 = k0; c0 < k1; c0 += decode_chunk) {
        const std::size_t c1 = std::min(k1, c0 + decode_chunk), bc = c1 - c0;
        for (std::size_t j = 0; j < bc; ++j) {  // s_ij = q_i·k_j / √d_k: each key row read once for every query
            const float* k = K + (c0 + j) * d_k;
            for (std::size_t i = 0; i < n_q; ++i)
                p.scores[i * decode_chunk + j] = detail::dot_simd(Qs + i * d_k, k, d_k);
        }
        for (std::size_t i = 0; i < n_q; ++i) {
            const key_span seen = visible_keys(i, n_q, n_k, causal);
            const std::size_t first = std::max(seen.first, c0), last = std::min(seen.last, c1);
            float* s = p.scores.data() + i * decode_chunk;
            if (first >= last) {  // this query sees none of the chunk
                std::fill(s, s + bc, 0.0f);
                continue;
            }
            float m_chunk = std::numeric_limits<float>::lowest();
            for (std::size_t j = first - c0; j < last - c0; ++j) m_chunk = std::max(m_chunk, s[j]);
            const float m_new = std::max(p.m[i], m_chunk);   // m_new = max(m, max_j s_ij)
            const float rescale = std::exp(p.m[i] - m_new);  // e^(m − m_new): 0 from the start's lowest
            std::fill(s, s + (first - c0), 0.0f);            // keys this query may not see weigh 0
            std::fill(s + (last - c0), s + bc, 0.0f);
            const float sum = detail::exp_shifted(s + (first - c0), last - first, m_new);  // p_ij = e^(s_ij − m_new)
            p.l[i] = p.l[i] * rescale + sum;  // ℓ_new = ℓ·e^(m − m_new) + Σ_j p_ij
            p.m[i] = m_new;
            if (rescale != 1.0f)
                for (std::size_t c = 0; c < d_v; ++c) p.o[i * d_v + c] *= rescale;
        }
        for (std::size_t j = 0; j < bc; ++j) {  // o_i += Σ_j p_ij·v_j: each value row read once for every query
            const float* v = V + (c0 + j) * d_v;
            for (std::size_t i = 0; i < n_q; ++i) {
                const float w = p.scores[i * decode_chunk + j];
                if (w != 0.0f) detail::axpy_simd(p.o.data() + i * d_v, w, v, d_v);
            }
        }
    }
}
// [decode_split]

// [decode_merge]
/// The splits' states as one, then O = o / ℓ (lesson 08's merge, for S states at once).
/// paper: m = max_s m_s, ℓ = Σ_s ℓ_s·e^(m_s − m), O = Σ_s o_s·e^(m_s − m) / ℓ (flash-decoding; Milakov & Gimelshein 2018's merge)
inline void decode_merge(const std::vector<decode_partial>& parts, std::size_t n_q, std::size_t d_v, float* O) {
    for (std::size_t i = 0; i < n_q; ++i) {
        float m = std::numeric_limits<float>::lowest();
        for (const auto& p : parts)
            if (p.l[i] > 0) m = std::max(m, p.m[i]);
        float l = 0;
        float* o = O + i * d_v;
        std::fill(o, o + d_v, 0.0f);
        for (const auto& p : parts) {
            if (!(p.l[i] > 0)) continue;  // a split this query saw nothing of
            const float f = std::exp(p.m[i] - m);
            l += p.l[i] * f;
            detail::axpy_simd(o, f, p.o.data() + i * d_v, d_v);
        }
        const float inv = l > 0 ? 1.0f / l : 0.0f;  // a row that saw no key stays 0
        for (std::size_t c = 0; c < d_v; ++c) o[c] *= inv;
    }
}
// [decode_merge]

/// Keys split `splits` ways (at least `threads`, at most n_k; 0: as many as threads), run on `threads` threads
/// (1 in wasm, where the splits run one after another and still merge), then merged.
/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), O (n_q, d_v): row-major, contiguous.
inline void decode_forward(const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k,
                           std::size_t d_k, std::size_t d_v, bool causal, std::size_t threads = 1,
                           std::size_t splits = 0, std::vector<decode_partial>* workspace = nullptr,
                           counters* count = nullptr) {
#if defined(__wasm__)
    threads = 1;  // no threads in the page's module
#endif
    threads = std::max<std::size_t>(1, threads);
    splits = std::max(splits ? splits : threads, threads);
    splits = std::min(splits, n_k);  // every split holds a key
    threads = std::min(threads, splits);
    std::vector<decode_partial> local;
    std::vector<decode_partial>& parts = workspace ? *workspace : local;
    parts.resize(splits);
    std::vector<float> Qs(Q, Q + n_q * d_k);
    const float scale = 1.0f / std::sqrt(static_cast<float>(d_k));
    for (float& q : Qs) q *= scale;
    auto bound = [&](std::size_t s) { return n_k * s / splits; };  // split s reads keys [bound(s), bound(s + 1))
    auto work = [&](std::size_t t) {
        for (std::size_t s = t; s < splits; s += threads) {
            parts[s].fit(n_q, d_v);
            decode_split(Qs.data(), K, V, n_q, n_k, d_k, d_v, causal, bound(s), bound(s + 1), parts[s]);
        }
    };
    run_on_threads(threads, work);
    decode_merge(parts, n_q, d_v, O);
    if (count) {
        const double pairs = visible_pairs(n_q, n_k, causal, 0);
        count->flops += 2 * pairs * double(d_k + d_v);
        count->exps += pairs + double(splits * n_q);
        count->tiles += double(splits);
        count->peak_bytes =
            std::max(count->peak_bytes, double(splits) * double(n_q) * double(d_v + 2 + decode_chunk) * sizeof(float));
    }
}

/// The matrix entry point: check, allocate O, run.
inline matrix v5_split_kv(const matrix& Q, const matrix& K, const matrix& V, bool causal = false,
                          std::size_t threads = 1, std::size_t splits = 0, counters* count = nullptr) {
    detail::check_kernel_inputs("v5_split_kv", Q, K, V);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    decode_forward(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1), causal,
                   threads, splits, nullptr, count);
    return O;
}

}  // namespace attn::kernels
