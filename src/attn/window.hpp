// attn/window.hpp — lesson 12: sliding-window (local) attention.
//
// Teaches: let each query see only the w keys nearest to it. Causal, that is
// keys i-w+1 .. i; without the causal mask, keys i-w+1 .. i+w-1. The score
// matrix becomes a band: n·w pairs instead of n², so compute grows as O(n·w),
// linear in n, and a decoder's KV cache needs only the last w rows of each
// layer, O(min(n, w)). Information still travels further than w: after L
// layers a token can draw on L·(w-1)+1 positions (Mistral 7B, Jiang et al.
// 2023; Longformer, Beltagy et al. 2020). The tiled kernel (lesson 09) turns
// the band into skipped work: key blocks wholly outside every query's window
// are never loaded (src/attn/kernels/tiled.hpp, v4_window).
// The skip rule needs no pair-by-pair look: a tile's pairs have every offset
// i - j from q0 - (k1 - 1) to (q1 - 1) - k0, so comparing that range with the
// window's (window_tile) says skip, mask or compute in O(1). And a causal
// decoder keeps only the last w keys and values: a rolling buffer of w rows,
// token t in row t mod w (rolling_cache, as Mistral 7B does).
// Leaves out: global tokens and dilated windows (Longformer).
// Run it: `attnlab lesson 12`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "kv_cache.hpp"
#include "mask.hpp"
#include "shape.hpp"
#include "tensor.hpp"
#include "tiled.hpp"

namespace attn {

inline void check_window(const char* where, std::size_t n, std::size_t w) {
    if (n == 0) throw value_error(std::string(where) + ": n is 0; a sequence needs at least one token");
    if (w == 0) throw value_error(std::string(where) + ": a window of 0 keys lets a query see nothing; w ≥ 1");
}

// [in_window]
/// Whether query i sees key j: at most w-1 positions back, and (causal) none ahead,
/// or (not causal) at most w-1 ahead.
inline bool in_window(std::size_t i, std::size_t j, std::size_t w, bool causal) {
    if (j <= i) return i - j < w;
    return !causal && j - i < w;
}
// [in_window]

// [window_mask]
/// (n, n): true where query i sees key j. w ≥ n (causal) is the plain causal mask.
/// paper: M_ij = [0 ≤ i − j < w] (causal sliding window); kernels: v4_window
inline mask window_mask(std::size_t n, std::size_t w, bool causal = true) {
    check_window("window_mask", n, w);
    mask M = xt::zeros<bool>({n, n});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) M(i, j) = in_window(i, j, w, causal);
    return M;
}
// [window_mask]

/// (n_q, n_k): the queries are the last n_q positions (lesson 06's bottom-right
/// alignment), so query i is at position i + n_k - n_q; the window is measured from there.
inline mask window_mask(std::size_t n_q, std::size_t n_k, std::size_t w, bool causal) {
    check_window("window_mask", n_q, w);
    if (n_k == 0) throw value_error("window_mask: n_k is 0; there must be at least one key");
    mask M = xt::zeros<bool>({n_q, n_k});
    for (std::size_t i = 0; i < n_q; ++i) {
        const long long p = static_cast<long long>(i + n_k) - static_cast<long long>(n_q);  // position of query i
        for (std::size_t j = 0; j < n_k; ++j) {
            const long long back = p - static_cast<long long>(j);  // > 0: key j is behind the query
            M(i, j) = back >= 0 ? back < static_cast<long long>(w) : !causal && -back < static_cast<long long>(w);
        }
    }
    return M;
}

/// The number of (query, key) pairs a window lets through, counted without building the mask.
inline double window_pairs(std::size_t n, std::size_t w, bool causal = true) {
    check_window("window_pairs", n, w);
    double pairs = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t back = std::min(i + 1, w);                        // keys i-w+1..i that exist
        const std::size_t ahead = causal ? 0 : std::min(n - 1 - i, w - 1);  // keys i+1..i+w-1 that exist
        pairs += double(back + ahead);
    }
    return pairs;
}

/// Positions a token can draw on through `layers` stacked causal windows of w: L·(w-1) + 1.
inline std::size_t receptive_field(std::size_t layers, std::size_t w) {
    if (layers == 0 || w == 0) throw value_error("receptive_field: layers and w must be at least 1");
    return layers * (w - 1) + 1;
}

/// softmax(window_mask(Q·Kᵀ/√d_k))·V: the reference every windowed kernel is tested against.
/// With n_q ≠ n_k the queries are the last n_q positions (bottom-right).
inline matrix window_attention(const matrix& Q, const matrix& K, const matrix& V, std::size_t w, bool causal = true) {
    require_nonempty("window_attention", "K", K);
    return masked_attention(Q, K, V, window_mask(Q.shape(0), K.shape(0), w, causal));
}

// [window_tile]
/// Tile [q0, q1) × [k0, k1) under a window: skipped when no pair is in the window, masked when some
/// but not all are, from the range of offsets i - j the tile holds (every offset between its least
/// and its greatest occurs). O(1): no pair is looked at. Causal: 0 ≤ i - j < w; else |i - j| < w.
inline tile_visit window_tile(std::size_t q0, std::size_t q1, std::size_t k0, std::size_t k1, std::size_t w,
                              bool causal) {
    if (q0 >= q1 || k0 >= k1 || w == 0) throw value_error("window_tile: the tile must be non-empty and w ≥ 1");
    const long long lo = (long long)q0 - (long long)(k1 - 1), hi = (long long)(q1 - 1) - (long long)k0;
    const long long allow_lo = causal ? 0 : 1 - (long long)w, allow_hi = (long long)w - 1;
    const bool none = hi < allow_lo || lo > allow_hi;
    const bool all = lo >= allow_lo && hi <= allow_hi;
    return {q0, q1, k0, k1, none, !none && !all};
}
// [window_tile]

/// The tiles of an n×n score matrix in blocks of Br×Bc, and which of them a window
/// lets the tiled kernel skip (no key of the tile is visible to any query of it) or
/// must mask (some but not all pairs are visible). Same rule as v4_window.
inline std::vector<tile_visit> window_tiles(std::size_t n, std::size_t w, bool causal, std::size_t Br, std::size_t Bc) {
    check_window("window_tiles", n, w);
    if (Br == 0 || Bc == 0) throw value_error("window_tiles: block sizes must be at least 1");
    std::vector<tile_visit> tiles;
    for (std::size_t q0 = 0; q0 < n; q0 += Br)
        for (std::size_t k0 = 0; k0 < n; k0 += Bc) {
            tiles.push_back(window_tile(q0, std::min(n, q0 + Br), k0, std::min(n, k0 + Bc), w, causal));
        }
    return tiles;
}

/// A causal sliding-window decoder's cache: w rows, whatever the length. Token t's key and value
/// go to row t mod w, overwriting token t - w's, which no later query may see.
struct rolling_cache {
    kv_cache cache;        // w rows; cache.length = min(tokens seen, w)
    std::size_t seen = 0;  // tokens appended so far
    rolling_cache(std::size_t w, std::size_t d_k, std::size_t d_v) : cache(w, d_k, d_v) {}
    std::size_t window() const { return cache.capacity(); }
};

// [rolling_append]
/// Caches token `seen` in row seen mod w; returns that row. The softmax does not care in which
/// order the rows sit, so lesson 10's decode_step reads the buffer as it is.
inline std::size_t rolling_append(rolling_cache& c, const vector& k, const vector& v) {
    detail::require_token(c.cache, k, v, "rolling_append");
    const std::size_t row = c.seen % c.window();
    xt::row(c.cache.K, row) = k;
    xt::row(c.cache.V, row) = v;
    c.cache.length = std::min(c.seen + 1, c.window());
    ++c.seen;
    return row;
}
// [rolling_append]

/// Decodes a sequence through a rolling cache of w rows: equals causal window attention.
inline matrix rolling_decode_all(const matrix& Q, const matrix& K, const matrix& V, std::size_t w) {
    require_nonempty("rolling_decode_all", "Q", Q);
    require_shapes(Q.shape() == K.shape(), "rolling_decode_all", "Q", Q, "K", K,
                   "each token has one query and one key of the same width");
    require_shapes(K.shape(0) == V.shape(0), "rolling_decode_all", "K", K, "V", V,
                   "each token has one key and one value");
    check_window("rolling_decode_all", Q.shape(0), w);
    rolling_cache c(w, K.shape(1), V.shape(1));
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    for (std::size_t t = 0; t < Q.shape(0); ++t) {
        rolling_append(c, xt::row(K, t), xt::row(V, t));
        xt::row(O, t) = decode_step(c.cache, xt::row(Q, t));
    }
    return O;
}

}  // namespace attn
