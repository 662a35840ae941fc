// attn/window.hpp — lesson 11: sliding-window (local) attention.
//
// Teaches: let each query see only the w keys nearest to it. Causal, that is
// keys i-w+1 .. i; without the causal mask, keys i-w+1 .. i+w-1. The score
// matrix becomes a band: n·w pairs instead of n², so compute grows as O(n·w),
// linear in n, and a decoder's KV cache needs only the last w rows of each
// layer, O(min(n, w)). Information still travels further than w: after L
// layers a token can draw on L·(w-1)+1 positions (Mistral 7B, Jiang et al.
// 2023; Longformer, Beltagy et al. 2020). The tiled kernel (lesson 08) turns
// the band into skipped work: key blocks wholly outside every query's window
// are never loaded (src/attn/kernels/tiled.hpp, v4_window).
// Leaves out: global tokens and dilated windows (Longformer), and the rolling
// buffer cache that a window makes possible.
// Run it: `attnlab lesson 11`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

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

/// (n_q, n_k): the queries are the last n_q positions (lesson 05's bottom-right
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

/// The tiles of an n×n score matrix in blocks of Br×Bc, and which of them a window
/// lets the tiled kernel skip (no key of the tile is visible to any query of it) or
/// must mask (some but not all pairs are visible). Same rule as v4_window.
inline std::vector<tile_visit> window_tiles(std::size_t n, std::size_t w, bool causal, std::size_t Br, std::size_t Bc) {
    check_window("window_tiles", n, w);
    if (Br == 0 || Bc == 0) throw value_error("window_tiles: block sizes must be at least 1");
    std::vector<tile_visit> tiles;
    for (std::size_t q0 = 0; q0 < n; q0 += Br)
        for (std::size_t k0 = 0; k0 < n; k0 += Bc) {
            const std::size_t q1 = std::min(n, q0 + Br), k1 = std::min(n, k0 + Bc);
            std::size_t seen = 0;
            for (std::size_t i = q0; i < q1; ++i)
                for (std::size_t j = k0; j < k1; ++j) seen += in_window(i, j, w, causal);
            tiles.push_back({q0, q1, k0, k1, seen == 0, seen != 0 && seen != (q1 - q0) * (k1 - k0)});
        }
    return tiles;
}

}  // namespace attn
