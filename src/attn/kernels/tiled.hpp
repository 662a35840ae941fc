// attn/kernels/tiled.hpp — v3_tiled and v4_simd: the tiled forward pass over raw storage.
//
// Teaches (lesson 08): the same algorithm as attn::tiled_attention, arranged
// for a CPU. A query block of Br = 64 rows is transposed (and scaled by 1/√d_k)
// once, into Qt (d_k × Br); each key block of Bc = 64 keys then produces the
// tile transposed, Sᵀ = K_j·Qt, one row per key and a register of queries per
// step. That layout makes the online softmax of lesson 07 run across a
// register of queries at once, with no horizontal reductions. Two
// register-blocked micro-kernels do the arithmetic, 4 rows × 4 registers at a
// time with AVX-512's 32 registers, 4 × 2 with 16 (AVX2, SIMD128): Sᵀ = K_j·Qt,
// then O_i += P·V_j. Everything a thread holds is one
// workspace of d_k·Br + Bc·Br + Br·d_v + 3·Br floats, about 48 KiB at d = 64,
// whatever n is. Causal tiles above the diagonal are never visited; masked
// scores on the diagonal become exactly zero weights.
//
//   v3_tiled: the kernel with W = 1, plain blocked loops (what the compiler makes of them).
//   v4_simd:  the kernel with attn::simd's registers: AVX-512, AVX2, SIMD128.
//   v4_window: v4_simd with a sliding window (lesson 11): key blocks outside
//              every query's window are skipped, the band's edge tiles masked.
// All split query blocks over `threads` std::threads natively (one in wasm).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <thread>
#include <vector>

#include "../shape.hpp"
#include "../tensor.hpp"
#include "../window.hpp"  // in_window, window_pairs
#include "naive.hpp"  // counters
#include "simd.hpp"

// Keep the micro-kernels' accumulators in registers: fully unroll their fixed-size loops.
#if defined(__clang__)
#define ATTN_UNROLL _Pragma("clang loop unroll(full)")
#elif defined(__GNUC__)
#define ATTN_UNROLL _Pragma("GCC unroll 16")
#else
#define ATTN_UNROLL
#endif

namespace attn::kernels {

/// Plain floats: v3_tiled's "registers".
struct scalar_ops {
    static constexpr int W = 1;
    using reg = float;
    static reg load(const float* p) { return *p; }
    static void store(float* p, reg v) { *p = v; }
    static reg set1(float x) { return x; }
    static reg zero() { return 0.0f; }
    static reg mul(reg a, reg b) { return a * b; }
    static reg sub(reg a, reg b) { return a - b; }
    static reg add(reg a, reg b) { return a + b; }
    static reg fma(reg a, reg b, reg c) { return a * b + c; }
    static reg max(reg a, reg b) { return std::max(a, b); }
    static reg exp(reg x) { return std::exp(x); }
    static float hmax(reg a) { return a; }
    static float hsum(reg a) { return a; }
    static void keep(reg&) {}
    static constexpr int registers = 16;
};

/// The vector registers of attn/kernels/simd.hpp: v4_simd's.
struct vector_ops {
    static constexpr int W = simd::W;
    using reg = simd::reg;
    static reg load(const float* p) { return simd::load(p); }
    static void store(float* p, reg v) { simd::store(p, v); }
    static reg set1(float x) { return simd::set1(x); }
    static reg zero() { return simd::zero(); }
    static reg mul(reg a, reg b) { return simd::mul(a, b); }
    static reg sub(reg a, reg b) { return simd::sub(a, b); }
    static reg add(reg a, reg b) { return simd::add(a, b); }
    static reg fma(reg a, reg b, reg c) { return simd::fma(a, b, c); }
    static reg max(reg a, reg b) { return simd::max(a, b); }
    static reg exp(reg x) { return simd::exp(x); }
    static float hmax(reg a) { return simd::hmax(a); }
    static float hsum(reg a) { return simd::hsum(a); }
    static void keep(reg& a) { simd::keep(a); }
    static constexpr int registers = simd::registers;
};

inline constexpr std::size_t tile_Br = 64;  // query rows per block
inline constexpr std::size_t tile_Bc = 64;  // keys per block

/// One thread's scratch: reused across calls when the caller keeps it.
struct tiled_workspace {
    std::vector<float> Qt, St, Oi, m, l, rescale;
    void fit(std::size_t d_k, std::size_t d_v) {
        Qt.resize(d_k * tile_Br);     // (d_k, Br): the query block, transposed and pre-scaled by 1/√d_k
        St.resize(tile_Bc * tile_Br); // (Bc, Br): the tile's scores, then weights, one row per key
        Oi.resize(tile_Br * d_v);     // (Br, d_v): the unnormalised output block
        m.resize(tile_Br);            // (Br) running max per query
        l.resize(tile_Br);            // (Br) running sum per query
        rescale.resize(tile_Br);      // (Br) e^(m - m_new) for this tile
        tiles = 0;
    }
    std::size_t tiles = 0;  // tiles computed (not skipped) since fit()
    double bytes() const {
        return double(Qt.size() + St.size() + Oi.size() + m.size() + l.size() + rescale.size()) * sizeof(float);
    }
};

template <class V>
struct tiled_kernel {
    using reg = typename V::reg;
    static constexpr int W = V::W;
    // A micro-kernel step holds R·NV accumulators, NV loaded operands and one broadcast in
    // registers: 4·4 + 4 + 1 = 21 fits AVX-512's 32, while 16 (AVX2, SIMD128) takes 4·2 + 2 + 1 = 11.
    // (4·4 on AVX2 spilled two accumulators to the stack on every step.) Plain floats: 16 columns.
    static constexpr int R = 4;  // rows per micro-kernel step
    static constexpr int NV = W == 1 ? 16 : (V::registers >= 32 ? 4 : 2);  // registers per row
    static_assert(W == 1 || R * NV + NV + 1 <= V::registers, "a micro-kernel step must fit the register file");
    static constexpr std::size_t G = std::size_t(NV) * W;
    static_assert(tile_Br % G == 0 && tile_Bc % R == 0 && tile_Br % R == 0, "tiles must hold whole micro-kernel steps");
    // At or below any real score, yet finite, so that e^(m - m_new) is never e^(-inf + inf).
    // (It was -1e30 once: rows whose every score lay below that came out as zeros.)
    static constexpr float m_start = std::numeric_limits<float>::lowest();

    const float *Q, *K, *Vm;
    float* O;
    std::size_t n_q, n_k, d_k, d_v;
    bool causal;
    std::size_t window = 0;  // lesson 11: each query sees the `window` nearest keys; 0 = no window

    /// Whether query i sees key j under this call's causal mask and window.
    bool sees(std::size_t i, std::size_t j) const {
        if (causal && j > i) return false;
        return window == 0 || in_window(i, j, window, causal);
    }

    // [micro_qk]
    /// Sᵀ(c..c+3, g..g+G) = K(k0+c..k0+c+3, :)·Qt(:, g..g+G): 4 keys × NV registers of queries.
    /// Transposing Q once per query block (not K once per tile) makes every score row a
    /// sum of rows of Qt: broadcast one key element, multiply a register of queries.
    void qk(tiled_workspace& w, const float* Kj, std::size_t c, std::size_t g) const {
        reg acc[R][NV];
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) acc[a][v] = V::zero();
        for (std::size_t k = 0; k < d_k; ++k) {
            const float* qt = w.Qt.data() + k * tile_Br + g;
            reg qv[NV];
            ATTN_UNROLL for (int v = 0; v < NV; ++v) {
                qv[v] = V::load(qt + v * W);
                V::keep(qv[v]);  // one load, R uses (simd::keep)
            }
            ATTN_UNROLL for (int a = 0; a < R; ++a) {
                const reg kk = V::set1(Kj[(c + a) * d_k + k]);
                ATTN_UNROLL for (int v = 0; v < NV; ++v) acc[a][v] = V::fma(kk, qv[v], acc[a][v]);
            }
        }
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) V::store(w.St.data() + (c + a) * tile_Br + g + v * W, acc[a][v]);
    }
    // [micro_qk]

    // [micro_pv]
    /// Oi(r..r+3, c0..c0+G) += Pᵀ(0..bc, r..r+3)ᵀ·V_j(0..bc, c0..c0+G).
    void pv(tiled_workspace& w, const float* Vj, std::size_t bc, std::size_t r, std::size_t c0) const {
        reg acc[R][NV];
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) acc[a][v] = V::load(w.Oi.data() + (r + a) * d_v + c0 + v * W);
        for (std::size_t c = 0; c < bc; ++c) {
            const float* vr = Vj + c * d_v + c0;
            reg vv[NV];
            ATTN_UNROLL for (int v = 0; v < NV; ++v) {
                vv[v] = V::load(vr + v * W);
                V::keep(vv[v]);
            }
            ATTN_UNROLL for (int a = 0; a < R; ++a) {
                const reg p = V::set1(w.St[c * tile_Br + r + a]);
                ATTN_UNROLL for (int v = 0; v < NV; ++v) acc[a][v] = V::fma(p, vv[v], acc[a][v]);
            }
        }
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) V::store(w.Oi.data() + (r + a) * d_v + c0 + v * W, acc[a][v]);
    }
    // [micro_pv]

    /// One query block [q0, q1) against every visible key block.
    void block(tiled_workspace& w, std::size_t q0, std::size_t q1) const {
        const std::size_t br = q1 - q0;
        const float scale = 1.0f / std::sqrt(static_cast<float>(d_k));
        const float neg_inf = -std::numeric_limits<float>::infinity();
        for (std::size_t k = 0; k < d_k; ++k)  // Qt = (Q_i/√d_k)ᵀ, zero past br: padding, never read back
            for (std::size_t r = 0; r < tile_Br; ++r) w.Qt[k * tile_Br + r] = r < br ? Q[(q0 + r) * d_k + k] * scale : 0.0f;
        std::fill(w.Oi.begin(), w.Oi.end(), 0.0f);
        std::fill(w.m.begin(), w.m.end(), m_start);
        std::fill(w.l.begin(), w.l.end(), 0.0f);
        const std::size_t d_vec = d_v - d_v % G;  // columns the PV micro-kernel covers; the rest is scalar

        // [window_skip]
        std::size_t k_first = 0;  // a window: blocks wholly before q0's first visible key are skipped
        if (window != 0 && q0 + 1 > window) k_first = (q0 + 1 - window) / tile_Bc * tile_Bc;
        for (std::size_t k0 = k_first; k0 < n_k; k0 += tile_Bc) {
            if (causal && k0 > q1 - 1) break;  // this key block and every later one is in the future
            if (window != 0 && !causal && k0 > q1 + window - 2) break;  // past the last query's window
            // [window_skip]
            ++w.tiles;
            const std::size_t bc = std::min(tile_Bc, n_k - k0);
            const float* Kj = K + k0 * d_k;
            const float* Vj = Vm + k0 * d_v;
            // Sᵀ = K_j·(Q_i/√d_k)ᵀ, whole steps of R keys, then the last few keys one at a time
            const std::size_t whole = bc - bc % R;
            for (std::size_t c = 0; c < whole; c += R)
                for (std::size_t g = 0; g < tile_Br; g += G) qk(w, Kj, c, g);
            for (std::size_t c = whole; c < bc; ++c)
                for (std::size_t r = 0; r < tile_Br; ++r) {
                    float dot = 0;
                    for (std::size_t k = 0; k < d_k; ++k) dot += Kj[c * d_k + k] * w.Qt[k * tile_Br + r];
                    w.St[c * tile_Br + r] = dot;
                }
            if (window != 0) {  // the band's edge tiles: mask what falls outside some query's window
                const bool edge = q1 - 1 >= k0 + window || k0 + bc - 1 > q0;
                if (edge)
                    for (std::size_t c = 0; c < bc; ++c)
                        for (std::size_t r = 0; r < br; ++r)
                            if (!sees(q0 + r, k0 + c)) w.St[c * tile_Br + r] = neg_inf;
            } else if (causal && k0 + bc - 1 > q0) {  // a diagonal tile: key k0+c is the future for queries before it
                for (std::size_t c = 0; c < bc; ++c)
                    for (std::size_t r = 0; r < br && q0 + r < k0 + c; ++r) w.St[c * tile_Br + r] = neg_inf;
            }

            // The online softmax, a register of queries at a time: no horizontal reductions.
            for (std::size_t g = 0; g < tile_Br; g += W) {
                reg mx = V::load(w.m.data() + g);  // m_new = max(m, rowmax(S_ij))
                for (std::size_t c = 0; c < bc; ++c) mx = V::max(mx, V::load(w.St.data() + c * tile_Br + g));
                const reg m_old = V::load(w.m.data() + g);
                V::store(w.rescale.data() + g, V::exp(V::sub(m_old, mx)));  // e^(m - m_new)
                reg sum = V::zero();
                for (std::size_t c = 0; c < bc; ++c) {  // Pᵀ = exp(Sᵀ - m_new), rowsum(P)
                    float* s = w.St.data() + c * tile_Br + g;
                    const reg p = V::exp(V::sub(V::load(s), mx));
                    V::store(s, p);
                    sum = V::add(sum, p);
                }
                // l_new = e^(m - m_new)·l + rowsum(P)
                V::store(w.l.data() + g, V::fma(V::load(w.rescale.data() + g), V::load(w.l.data() + g), sum));
                V::store(w.m.data() + g, mx);
            }
            for (std::size_t r = 0; r < br; ++r) {  // O_i = diag(e^(m - m_new))·O_i ...
                if (w.rescale[r] == 1.0f) continue;  // this row's max did not move: nothing to rescale
                const reg f = V::set1(w.rescale[r]);
                float* o = w.Oi.data() + r * d_v;
                std::size_t c = 0;
                for (; c < d_vec; c += W) V::store(o + c, V::mul(V::load(o + c), f));
                for (; c < d_v; ++c) o[c] *= w.rescale[r];
            }
            for (std::size_t r = 0; r < tile_Br; r += R)  // ... + P·V_j
                for (std::size_t c0 = 0; c0 < d_vec; c0 += G) pv(w, Vj, bc, r, c0);
            for (std::size_t r = 0; r < br; ++r)  // columns past the last whole group, if d_v is not a multiple of G
                for (std::size_t c = 0; c < bc; ++c)
                    for (std::size_t v = d_vec; v < d_v; ++v) w.Oi[r * d_v + v] += w.St[c * tile_Br + r] * Vj[c * d_v + v];
        }
        for (std::size_t r = 0; r < br; ++r) {  // O_i = diag(l)⁻¹·O_i
            const float inv = w.l[r] > 0 ? 1.0f / w.l[r] : 0.0f;
            for (std::size_t v = 0; v < d_v; ++v) O[(q0 + r) * d_v + v] = w.Oi[r * d_v + v] * inv;
        }
    }
};

/// The tiled forward pass with V's registers, over `threads` threads (1 in wasm).
/// `workspaces` may be kept by the caller to reuse memory across calls.
template <class V>
void tiled_forward(const float* Q, const float* K, const float* Vm, float* O, std::size_t n_q, std::size_t n_k,
                   std::size_t d_k, std::size_t d_v, bool causal, std::size_t threads = 1,
                   std::vector<tiled_workspace>* workspaces = nullptr, counters* count = nullptr,
                   std::size_t window = 0) {
#if defined(__wasm__)
    threads = 1;  // no threads in the page's module
#endif
    const std::size_t blocks = (n_q + tile_Br - 1) / tile_Br;
    threads = std::max<std::size_t>(1, std::min(threads, blocks));
    std::vector<tiled_workspace> local;
    std::vector<tiled_workspace>& ws = workspaces ? *workspaces : local;
    if (ws.size() < threads) ws.resize(threads);
    for (std::size_t t = 0; t < threads; ++t) ws[t].fit(d_k, d_v);
    const tiled_kernel<V> kernel{Q, K, Vm, O, n_q, n_k, d_k, d_v, causal, window};
    auto work = [&](std::size_t t) {  // blocks t, t + threads, ...: causal rows grow, so interleave
        for (std::size_t b = t; b < blocks; b += threads) kernel.block(ws[t], b * tile_Br, std::min(n_q, (b + 1) * tile_Br));
    };
    if (threads == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
        work(0);
        for (auto& th : pool) th.join();
    }
    if (count) {
        const attention_cost c = attention_cost_model(n_q, n_k, d_k, d_v, causal);
        const double pairs = window != 0 ? window_pairs(n_q, window, causal) : c.pairs;
        count->flops += 2 * pairs * double(d_k + d_v);
        count->exps += pairs;
        for (std::size_t t = 0; t < threads; ++t) count->tiles += double(ws[t].tiles);
        count->peak_bytes = std::max(count->peak_bytes, ws[0].bytes() * double(threads));
    }
}

namespace detail {
inline void check_kernel_shapes(const char* where, const matrix& Q, const matrix& K, const matrix& V, bool causal) {
    require_nonempty(where, "Q", Q);
    require_nonempty(where, "V", V);
    require_shapes(Q.shape(1) == K.shape(1), where, "Q", Q, "K", K, "Q and K need the same number of columns (d_k)");
    require_shapes(K.shape(0) == V.shape(0), where, "K", K, "V", V, "K and V need one row per key");
    if (causal) require_shapes(Q.shape(0) == K.shape(0), where, "Q", Q, "K", K, "a causal mask needs n_q = n_k");
    require_kernel_values(where, Q, K, V);
}
}  // namespace detail

inline matrix v3_tiled(const matrix& Q, const matrix& K, const matrix& V, bool causal = false, std::size_t threads = 1,
                       counters* count = nullptr) {
    detail::check_kernel_shapes("v3_tiled", Q, K, V, causal);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    tiled_forward<scalar_ops>(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1),
                              causal, threads, nullptr, count);
    return O;
}

inline matrix v4_simd(const matrix& Q, const matrix& K, const matrix& V, bool causal = false, std::size_t threads = 1,
                      counters* count = nullptr) {
    detail::check_kernel_shapes("v4_simd", Q, K, V, causal);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    tiled_forward<vector_ops>(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1),
                              causal, threads, nullptr, count);
    return O;
}

// [v4_window]
/// Sliding-window attention (lesson 11) with v4_simd's registers: query i sees keys
/// i-w+1..i (causal) or i-w+1..i+w-1. Q, K (n, d_k), V (n, d_v).
inline matrix v4_window(const matrix& Q, const matrix& K, const matrix& V, std::size_t window, bool causal = true,
                        std::size_t threads = 1, counters* count = nullptr) {
    detail::check_kernel_shapes("v4_window", Q, K, V, false);
    require_shapes(Q.shape(0) == K.shape(0), "v4_window", "Q", Q, "K", K, "a window is measured in positions: n_q = n_k");
    check_window("v4_window", Q.shape(0), window);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    tiled_forward<vector_ops>(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1),
                              causal, threads, nullptr, count, window);
    return O;
}
// [v4_window]

}  // namespace attn::kernels
