// attn/kernels/tiled.hpp — v3_tiled and v4_simd: the tiled forward pass over raw storage.
//
// Teaches (lesson 09): the same algorithm as attn::tiled_attention, arranged
// for a CPU. A query block of Br = 64 rows is transposed (and scaled by 1/√d_k)
// once, into Qt (d_k × Br); each key block of Bc = 64 keys then produces the
// tile transposed, Sᵀ = K_j·Qt, one row per key and a register of queries per
// step. That layout makes the online softmax of lesson 08 run across a
// register of queries at once, with no horizontal reductions. Two
// register-blocked micro-kernels do the arithmetic, 4 rows × 4 registers at a
// time with AVX-512's 32 registers, 4 × 2 with 16 (AVX2, SIMD128): Sᵀ = K_j·Qt,
// then O_i += P·V_j. Everything a thread holds is one
// workspace of d_k·Br + Bc·Br + Br·d_v + 3·Br floats, about 48 KiB at d = 64,
// whatever n is. Each query block visits only the key blocks its queries may
// see (attn/visible.hpp: causal, a window, and the queries as the last n_q
// positions when n_q ≠ n_k); tiles on the edge of what they see are masked,
// and masked scores become exactly zero weights. Any n_q, n_k, d_k and d_v.
//
//   v3_tiled:  the kernel with W = 1, plain blocked loops (what the compiler makes of them).
//   v4_simd:   the kernel with attn::simd's registers: AVX-512, AVX2, SIMD128.
//   v4_window: v4_simd with a sliding window (lesson 12): key blocks outside
//              every query's window are skipped, the band's edge tiles masked.
// All split query blocks over `threads` std::threads natively (one in wasm).
// Run it: `attnlab lesson 9`; timed side by side with the others by
//   build/native/bench/bench_attention --benchmark_filter='simd|tiled'   (docs/performance.md)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <thread>
#include <vector>

#include "../shape.hpp"
#include "../tensor.hpp"
#include "../tile_plan.hpp"
#include "../visible.hpp"
#include "common.hpp"
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
    static reg exp2(reg x) { return std::exp2(x); }
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
    static reg exp2(reg x) { return simd::exp2_nonpositive(x); }  // the softmax's x − max ≤ 0 only
    static void keep(reg& a) { simd::keep(a); }
    static constexpr int registers = simd::registers;
};

inline constexpr std::size_t tile_Br = 64;  // query rows per block
inline constexpr std::size_t tile_Bc = 64;  // keys per block

/// One thread's scratch: reused across calls when the caller keeps it.
struct tiled_workspace {
    std::vector<float> Qt, St, Oi, m, l, rescale;
    void fit(std::size_t d_k, std::size_t d_v) {
        Qt.resize(d_k * tile_Br);      // (d_k, Br): the query block, transposed and pre-scaled by 1/√d_k
        St.resize(tile_Bc * tile_Br);  // (Bc, Br): the tile's scores, then weights, one row per key
        Oi.resize(tile_Br * d_v);      // (Br, d_v): the unnormalised output block
        m.resize(tile_Br);             // (Br) running max per query
        l.resize(tile_Br);             // (Br) running sum per query
        rescale.resize(tile_Br);       // (Br) e^(m - m_new) for this tile
        tiles = rescaled_rows = row_tiles = 0;
    }
    std::size_t tiles = 0;          // tiles computed (not skipped) since fit()
    std::size_t row_tiles = 0;      // Σ over those tiles of their rows: one rescale exp each
    std::size_t rescaled_rows = 0;  // rows whose max grew in a tile: d_v multiplies each
    double bytes() const {
        return double(Qt.size() + St.size() + Oi.size() + m.size() + l.size() + rescale.size()) * sizeof(float);
    }
};

template <class Ops>
struct tiled_kernel {
    using reg = typename Ops::reg;
    static constexpr int W = Ops::W;
    // A micro-kernel step holds R·NV accumulators, NV loaded operands and one broadcast in
    // registers: 4·4 + 4 + 1 = 21 fits AVX-512's 32, while 16 (AVX2, SIMD128) takes 4·2 + 2 + 1 = 11.
    // Plain floats: 16 columns.
    static constexpr int R = 4;                                              // rows per micro-kernel step
    static constexpr int NV = W == 1 ? 16 : (Ops::registers >= 32 ? 4 : 2);  // registers per row
    static_assert(W == 1 || R * NV + NV + 1 <= Ops::registers, "a micro-kernel step must fit the register file");
    static constexpr std::size_t G = std::size_t(NV) * W;
    static_assert(tile_Br % G == 0 && tile_Bc % R == 0 && tile_Br % R == 0, "tiles must hold whole micro-kernel steps");
    // The micro-kernels compiled for d = 64 and 128 (qk<64>, pv<64, 64>, ...): vector registers only.
    // v3_tiled's plain floats gain nothing from them and cost the compiler most (16 columns a step).
    static constexpr bool fixed_widths = W > 1;
    // At or below any real score, yet finite, so that e^(m - m_new) is never e^(-inf + inf).
    static constexpr float m_start = std::numeric_limits<float>::lowest();

    const float *Q, *K, *V;
    float* O;
    std::size_t n_q, n_k, d_k, d_v;
    bool causal;
    std::size_t window = 0;           // lesson 12: each query sees the `window` nearest keys; 0 = no window
    const tile_plan* plan = nullptr;  // lesson 19: the tiles an arbitrary mask leaves (then causal, window unused)

    key_span keys_of(std::size_t i) const { return visible_keys(i, n_q, n_k, causal, window); }

    // [micro_qk]
    /// Sᵀ(c..c+3, g..g+G) = K(k0+c..k0+c+3, :)·Qt(:, g..g+G): 4 keys × NV registers of queries.
    /// Transposing Q once per query block (not K once per tile) makes every score row a
    /// sum of rows of Qt: broadcast one key element, multiply a register of queries.
    /// DK is d_k fixed when the kernel is compiled (64 or 128: scores() picks) or 0, read as it
    /// runs: fixed, the loop has a known count and the four key rows fixed offsets (3 % faster).
    template <std::size_t DK = 0>
    void qk(tiled_workspace& w, const float* Kj, std::size_t c, std::size_t g) const {
        const std::size_t d_k = DK ? DK : this->d_k;
        reg acc[R][NV];
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) acc[a][v] = Ops::zero();
        for (std::size_t k = 0; k < d_k; ++k) {
            const float* qt = w.Qt.data() + k * tile_Br + g;
            reg qv[NV];
            ATTN_UNROLL for (int v = 0; v < NV; ++v) {
                qv[v] = Ops::load(qt + v * W);
                Ops::keep(qv[v]);  // one load, R uses (simd::keep)
            }
            ATTN_UNROLL for (int a = 0; a < R; ++a) {
                const reg kk = Ops::set1(Kj[(c + a) * d_k + k]);
                ATTN_UNROLL for (int v = 0; v < NV; ++v) acc[a][v] = Ops::fma(kk, qv[v], acc[a][v]);
            }
        }
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) Ops::store(w.St.data() + (c + a) * tile_Br + g + v * W, acc[a][v]);
    }
    // [micro_qk]

    // [micro_pv]
    /// Oi(r..r+3, c0..c0+G) += Pᵀ(0..bc, r..r+3)ᵀ·V_j(0..bc, c0..c0+G). DV and BC fix d_v and a
    /// whole tile's bc when the kernel is compiled, as DK does in qk(); 0 reads them as it runs.
    template <std::size_t DV = 0, std::size_t BC = 0>
    void pv(tiled_workspace& w, const float* Vj, std::size_t bc_, std::size_t r, std::size_t c0) const {
        const std::size_t d_v = DV ? DV : this->d_v, bc = BC ? BC : bc_;
        reg acc[R][NV];
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) acc[a][v] = Ops::load(w.Oi.data() + (r + a) * d_v + c0 + v * W);
        for (std::size_t c = 0; c < bc; ++c) {
            const float* vr = Vj + c * d_v + c0;
            reg vv[NV];
            ATTN_UNROLL for (int v = 0; v < NV; ++v) {
                vv[v] = Ops::load(vr + v * W);
                Ops::keep(vv[v]);
            }
            ATTN_UNROLL for (int a = 0; a < R; ++a) {
                const reg p = Ops::set1(w.St[c * tile_Br + r + a]);
                ATTN_UNROLL for (int v = 0; v < NV; ++v) acc[a][v] = Ops::fma(p, vv[v], acc[a][v]);
            }
        }
        for (int a = 0; a < R; ++a)
            for (int v = 0; v < NV; ++v) Ops::store(w.Oi.data() + (r + a) * d_v + c0 + v * W, acc[a][v]);
    }
    // [micro_pv]

    /// Qt = (Q_i/√d_k)ᵀ, (d_k, Br); m_i = lowest, ℓ_i = 0, O_i = 0.
    void start_block(tiled_workspace& w, std::size_t q0, std::size_t br) const {
        const float scale = 1.0f / std::sqrt(static_cast<float>(d_k));
        for (std::size_t k = 0; k < d_k; ++k)  // zero past br: padding, computed but never read back
            for (std::size_t r = 0; r < tile_Br; ++r)
                w.Qt[k * tile_Br + r] = r < br ? Q[(q0 + r) * d_k + k] * scale : 0.0f;
        std::fill(w.Oi.begin(), w.Oi.end(), 0.0f);
        std::fill(w.m.begin(), w.m.end(), m_start);
        std::fill(w.l.begin(), w.l.end(), 0.0f);
    }

    /// S_ijᵀ = K_j·Qtᵀᵀ, (bc, Br): whole steps of R keys, then the last few keys one at a time.
    /// The usual head widths, 64 and 128, take a micro-kernel compiled for them.
    void scores(tiled_workspace& w, const float* Kj, std::size_t bc) const {
        const std::size_t whole = bc - bc % R;
        for (std::size_t c = 0; c < whole; c += R)
            for (std::size_t g = 0; g < tile_Br; g += G) {
                if constexpr (fixed_widths) {
                    if (d_k == 64) {
                        qk<64>(w, Kj, c, g);
                        continue;
                    }
                    if (d_k == 128) {
                        qk<128>(w, Kj, c, g);
                        continue;
                    }
                }
                qk(w, Kj, c, g);
            }
        for (std::size_t c = whole; c < bc; ++c)
            for (std::size_t r = 0; r < tile_Br; ++r) {
                float dot = 0;
                for (std::size_t k = 0; k < d_k; ++k) dot += Kj[c * d_k + k] * w.Qt[k * tile_Br + r];
                w.St[c * tile_Br + r] = dot;
            }
    }

    /// S_ij(r, c) = -inf where query q0+r may not see key k0+c (an edge or partial tile only).
    void mask(tiled_workspace& w, std::size_t q0, std::size_t br, std::size_t k0, std::size_t bc) const {
        constexpr float hidden = -std::numeric_limits<float>::infinity();
        for (std::size_t r = 0; r < br; ++r) {
            if (plan) {
                for (std::size_t c = 0; c < bc; ++c)
                    if (!(*plan->allowed)(q0 + r, k0 + c)) w.St[c * tile_Br + r] = hidden;
                continue;
            }
            const key_span seen = keys_of(q0 + r);
            for (std::size_t c = 0; c < bc; ++c)
                if (k0 + c < seen.first || k0 + c >= seen.last) w.St[c * tile_Br + r] = hidden;
        }
    }

    /// The online softmax, a register of queries at a time (no horizontal reductions):
    /// m_new = max(m, rowmax(S_ij)), P_ij = e^(S_ij − m_new) in place of S_ij,
    /// ℓ = e^(m − m_new)·ℓ + rowsum(P_ij), and the factor e^(m − m_new) kept for O_i.
    /// Each e^x is taken as 2^(x·log₂e), which is cheaper (FlashAttention-2's exp2). The scores stay
    /// in natural units: folding log₂e into Qt instead made a score overflow that the kernels'
    /// input check lets through (the fuzzer found it), and x = S − m ≤ 0 scaled afterwards cannot.
    void softmax(tiled_workspace& w, std::size_t bc) const {
        const reg log2e = Ops::set1(1.4426950408889634f);
        for (std::size_t g = 0; g < tile_Br; g += W) {
            const reg m_old = Ops::load(w.m.data() + g);
            reg m_new = m_old;
            for (std::size_t c = 0; c < bc; ++c) m_new = Ops::max(m_new, Ops::load(w.St.data() + c * tile_Br + g));
            const reg rescale = Ops::exp2(Ops::mul(Ops::sub(m_old, m_new), log2e));
            Ops::store(w.rescale.data() + g, rescale);
            reg sum = Ops::zero();
            for (std::size_t c = 0; c < bc; ++c) {
                float* s = w.St.data() + c * tile_Br + g;
                const reg p = Ops::exp2(Ops::mul(Ops::sub(Ops::load(s), m_new), log2e));
                Ops::store(s, p);
                sum = Ops::add(sum, p);
            }
            Ops::store(w.l.data() + g, Ops::fma(rescale, Ops::load(w.l.data() + g), sum));
            Ops::store(w.m.data() + g, m_new);
        }
    }

    /// O_i = diag(e^(m - m_new))·O_i, skipping rows whose max did not move.
    void rescale(tiled_workspace& w, std::size_t br) const {
        const std::size_t d_vec = d_v - d_v % W;
        for (std::size_t r = 0; r < br; ++r) {
            if (w.rescale[r] == 1.0f) continue;
            ++w.rescaled_rows;
            const reg f = Ops::set1(w.rescale[r]);
            float* o = w.Oi.data() + r * d_v;
            std::size_t c = 0;
            for (; c < d_vec; c += W) Ops::store(o + c, Ops::mul(Ops::load(o + c), f));
            for (; c < d_v; ++c) o[c] *= w.rescale[r];
        }
    }

    /// O_i += P_ij·V_j: whole groups of G columns by the micro-kernel (compiled for d_v = 64 and 128
    /// on a whole tile), the rest (d_v not a multiple of G) by loops.
    void accumulate(tiled_workspace& w, const float* Vj, std::size_t br, std::size_t bc) const {
        const std::size_t d_vec = d_v - d_v % G;
        for (std::size_t r = 0; r < tile_Br; r += R)
            for (std::size_t c0 = 0; c0 < d_vec; c0 += G) {
                if constexpr (fixed_widths) {
                    if (d_v == 64 && bc == tile_Bc) {
                        pv<64, tile_Bc>(w, Vj, bc, r, c0);
                        continue;
                    }
                    if (d_v == 128 && bc == tile_Bc) {
                        pv<128, tile_Bc>(w, Vj, bc, r, c0);
                        continue;
                    }
                }
                pv(w, Vj, bc, r, c0);
            }
        for (std::size_t r = 0; r < br; ++r)
            for (std::size_t c = 0; c < bc; ++c)
                for (std::size_t v = d_vec; v < d_v; ++v) w.Oi[r * d_v + v] += w.St[c * tile_Br + r] * Vj[c * d_v + v];
    }

    /// O = diag(ℓ)⁻¹·O_i; a row that saw no key stays 0.
    void finish_block(tiled_workspace& w, std::size_t q0, std::size_t br) const {
        for (std::size_t r = 0; r < br; ++r) {
            const float inv = w.l[r] > 0 ? 1.0f / w.l[r] : 0.0f;
            for (std::size_t v = 0; v < d_v; ++v) O[(q0 + r) * d_v + v] = w.Oi[r * d_v + v] * inv;
        }
    }

    /// One tile: the scores of keys [k0, k0 + bc) for the block's rows, masked if `edge`, folded into m, ℓ and O_i.
    void tile(tiled_workspace& w, std::size_t q0, std::size_t br, std::size_t k0, bool edge) const {
        ++w.tiles;
        w.row_tiles += br;
        const std::size_t bc = std::min(tile_Bc, n_k - k0);
        scores(w, K + k0 * d_k, bc);
        if (edge) mask(w, q0, br, k0, bc);
        softmax(w, bc);
        rescale(w, br);
        accumulate(w, V + k0 * d_v, br, bc);
    }

    /// One query block [q0, q1) against every key block any of its queries may see.
    void block(tiled_workspace& w, std::size_t q0, std::size_t q1) const {
        const std::size_t br = q1 - q0;
        start_block(w, q0, br);
        if (plan) {  // lesson 19: the plan lists the block's key blocks, and which need the mask
            for (const block_visit& v : plan->visits[q0 / tile_Br]) tile(w, q0, br, v.k_block * tile_Bc, v.partial);
            finish_block(w, q0, br);
            return;
        }
        // [block_span]
        // The keys the block sees, [begin, end), and those every query of it sees, [all_first, all_last):
        // tiles outside the first are skipped, tiles inside the second need no mask.
        std::size_t begin = n_k, end = 0, all_first = 0, all_last = n_k;
        for (std::size_t i = q0; i < q1; ++i) {
            const key_span s = keys_of(i);
            if (s.size()) begin = std::min(begin, s.first), end = std::max(end, s.last);
            all_first = std::max(all_first, s.first), all_last = std::min(all_last, s.last);
        }
        for (std::size_t k0 = begin / tile_Bc * tile_Bc; k0 < end; k0 += tile_Bc)
            tile(w, q0, br, k0, k0 < all_first || std::min(k0 + tile_Bc, n_k) > all_last);
        // [block_span]
        finish_block(w, q0, br);
    }
};

/// The tiled forward pass with Ops' registers, over `threads` threads (1 in wasm).
/// `workspaces` may be kept by the caller to reuse memory across calls.
template <class Ops>
void tiled_forward(const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k,
                   std::size_t d_k, std::size_t d_v, bool causal, std::size_t threads = 1,
                   std::vector<tiled_workspace>* workspaces = nullptr, counters* count = nullptr,
                   std::size_t window = 0, const tile_plan* plan = nullptr) {
#if defined(__wasm__)
    threads = 1;  // no threads in the page's module
#endif
    const std::size_t blocks = (n_q + tile_Br - 1) / tile_Br;
    threads = std::max<std::size_t>(1, std::min(threads, blocks));
    std::vector<tiled_workspace> local;
    std::vector<tiled_workspace>& ws = workspaces ? *workspaces : local;
    if (ws.size() < threads) ws.resize(threads);
    for (std::size_t t = 0; t < threads; ++t) ws[t].fit(d_k, d_v);
    if (plan) require_plan("tiled_forward", *plan, n_q, n_k, tile_Br, tile_Bc);
    const tiled_kernel<Ops> kernel{Q, K, V, O, n_q, n_k, d_k, d_v, causal, window, plan};
    auto work = [&](std::size_t t) {  // blocks t, t + threads, ...: causal rows grow, so interleave
        for (std::size_t b = t; b < blocks; b += threads)
            kernel.block(ws[t], b * tile_Br, std::min(n_q, (b + 1) * tile_Br));
    };
    run_on_threads(threads, work);
    if (count) {
        const double pairs = plan ? plan->pairs : visible_pairs(n_q, n_k, causal, window);
        count->flops += 2 * pairs * double(d_k + d_v);
        count->exps += pairs;
        for (std::size_t t = 0; t < threads; ++t) {
            count->tiles += double(ws[t].tiles);
            count->exps += double(ws[t].row_tiles);  // e^(m_old - m_new): once per row per tile, not per key
            count->rescale_mults += double(ws[t].rescaled_rows) * double(d_v);
        }
        count->peak_bytes = std::max(count->peak_bytes, ws[0].bytes() * double(threads));
    }
}

/// The matrix entry point of v3_tiled, v4_simd and v4_window: check, allocate O, run.
template <class Ops>
matrix tiled(const char* where, const matrix& Q, const matrix& K, const matrix& V, bool causal, std::size_t threads,
             counters* count, std::size_t window = 0) {
    detail::check_kernel_inputs(where, Q, K, V);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    tiled_forward<Ops>(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1), causal,
                       threads, nullptr, count, window);
    return O;
}

inline matrix v3_tiled(const matrix& Q, const matrix& K, const matrix& V, bool causal = false, std::size_t threads = 1,
                       counters* count = nullptr) {
    return tiled<scalar_ops>("v3_tiled", Q, K, V, causal, threads, count);
}

inline matrix v4_simd(const matrix& Q, const matrix& K, const matrix& V, bool causal = false, std::size_t threads = 1,
                      counters* count = nullptr) {
    return tiled<vector_ops>("v4_simd", Q, K, V, causal, threads, count);
}

// [v4_window]
/// Sliding-window attention (lesson 12) with v4_simd's registers: query i (at position
/// p = i + n_k - n_q) sees keys p-w+1..p (causal) or p-w+1..p+w-1. Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v).
inline matrix v4_window(const matrix& Q, const matrix& K, const matrix& V, std::size_t window, bool causal = true,
                        std::size_t threads = 1, counters* count = nullptr) {
    if (window == 0) throw value_error("v4_window: a window of 0 keys lets a query see nothing; w ≥ 1");
    return tiled<vector_ops>("v4_window", Q, K, V, causal, threads, count, window);
}
// [v4_window]

}  // namespace attn::kernels
