// lessons/sliding_window/exercise.cpp — your turn: lesson 12.
//
// Write the five functions marked TODO(sliding_window): whether a query sees a
// key, the window mask, the number of pairs a window lets through, the rule
// that lets the tiled kernel skip a whole tile without looking at its pairs,
// and the rolling buffer that keeps a decoder's cache at w rows for ever.
// Signatures are the library's (src/attn/window.hpp);
// lessons/sliding_window/test.cpp runs against these.
//
//   attnlab check 12    build and run the tests against this file
//   attnlab hint 12     a hint if you are stuck (ask again for the next)
//   attnlab lesson 12   the walkthrough: the band, its cost, the skipped tiles
#include <algorithm>
#include <cstddef>

#include <attn/kv_cache.hpp>
#include <attn/mask.hpp>
#include <attn/tiled.hpp>   // for attn::tile_visit
#include <attn/window.hpp>  // for attn::check_window, attn::rolling_cache
#include <attn/tensor.hpp>

namespace exercise {

using attn::mask;

/// Query i sees key j when j is at most w-1 positions before i (or i itself), and, only
/// when not causal, also when j is at most w-1 positions after i.
bool in_window(std::size_t i, std::size_t j, std::size_t w, bool causal) {
    // TODO(sliding_window): careful with unsigned subtraction: compare i - j only when j <= i.
    (void)i, (void)j, (void)w, (void)causal;  // delete this line
    return true;
}

/// (n, n): M(i, j) = in_window(i, j, w, causal). n = 0 or w = 0 is an attn::value_error.
mask window_mask(std::size_t n, std::size_t w, bool causal = true) {
    attn::check_window("window_mask", n, w);
    mask M = xt::zeros<bool>({n, n});
    // TODO(sliding_window): fill M.
    (void)causal;  // delete this line
    return M;
}

/// How many (i, j) pairs are in the window, without building the mask: for each query,
/// the keys behind it that exist (at most w, itself included) plus, not causal, those ahead.
double window_pairs(std::size_t n, std::size_t w, bool causal = true) {
    attn::check_window("window_pairs", n, w);
    double pairs = 0;
    // TODO(sliding_window): count per query, from how many keys exist behind it and (not causal)
    //   ahead of it, capped by the window; no mask, no loop over keys.
    (void)causal;  // delete this line
    return pairs;
}

/// The tile of queries [q0, q1) and keys [k0, k1) under a window of w: {q0, q1, k0, k1, skipped,
/// masked}, skipped when no pair is in the window, masked when some but not all are. In O(1):
/// the tiled kernel asks this for every tile, so do not loop over the tile's pairs.
/// An empty tile or w = 0 is an attn::value_error.
attn::tile_visit window_tile(std::size_t q0, std::size_t q1, std::size_t k0, std::size_t k1, std::size_t w,
                             bool causal) {
    if (q0 >= q1 || k0 >= k1 || w == 0) throw attn::value_error("window_tile: the tile must be non-empty and w ≥ 1");
    // TODO(sliding_window): which offsets i - j does the tile hold, and which does the window allow?
    //   Compare the two ranges (in signed arithmetic).
    (void)causal;  // delete this line
    return {q0, q1, k0, k1, false, false};
}

/// Caches the next token in a rolling buffer of w rows (c.window()): the row it goes to, returned,
/// is chosen so that the buffer always holds the last w tokens; c.cache.length counts the rows in
/// use and c.seen the tokens appended. Wrong widths are an attn::shape_error.
std::size_t rolling_append(attn::rolling_cache& c, const attn::vector& k, const attn::vector& v) {
    if (k.size() != c.cache.d_k() || v.size() != c.cache.d_v())
        throw attn::shape_error("rolling_append: k or v does not match the cache's widths");
    // TODO(sliding_window): pick the row of the oldest token (or the next free one), write k and v
    //   there, and update the two counts.
    return 0;
}

}  // namespace exercise
