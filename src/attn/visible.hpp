// attn/visible.hpp — which keys a query may see: the one rule masks draw and kernels skip by.
//
// Teaches (lessons 06 and 12, used by every kernel from lesson 07 on): with
// n_q queries and n_k keys, the queries are the LAST n_q positions of the
// sequence, so query i sits at position p = i + n_k - n_q ("bottom-right"
// alignment, as FlashAttention-2 since 2.1 and PyTorch's causal_lower_right
// define it). Causal: query i sees keys 0..p. A window of w: keys within w-1
// positions of p (behind only, when causal). That is what decoding against a
// cache (n_q = 1) and chunked prefill (a chunk of n_q new tokens after
// n_k - n_q cached ones) need. When n_q > n_k, the first n_q - n_k queries
// have no key at or before them: they see nothing, and their output is 0 as
// lesson 06 defines a fully masked row.
// The keys a query sees are always one contiguous run [first, last), and both
// ends only move right as i grows: that is what lets the tiled kernel skip
// whole blocks.
// Leaves out: arbitrary masks (mask.hpp), which no kernel takes.
#pragma once

#include <algorithm>
#include <cstddef>

namespace attn {

/// The keys one query sees: [first, last), empty when first == last.
struct key_span {
    std::size_t first = 0, last = 0;
    std::size_t size() const { return last - first; }
};

// [visible_keys]
/// Keys query i of n_q sees among n_k, causal and/or within a window of w (0 = no window).
inline key_span visible_keys(std::size_t i, std::size_t n_q, std::size_t n_k, bool causal, std::size_t w = 0) {
    const long long p = static_cast<long long>(i) + static_cast<long long>(n_k) - static_cast<long long>(n_q);
    const long long n = static_cast<long long>(n_k);
    long long first = 0, last = n;             // everything, unless a rule says otherwise
    if (causal) last = std::min(last, p + 1);  // keys 0..p: none ahead of the query
    if (w != 0) {
        const long long ww = static_cast<long long>(w);
        first = std::max(first, p - ww + 1);         // at most w-1 positions back
        if (!causal) last = std::min(last, p + ww);  // and w-1 ahead
    }
    if (last <= first) return {0, 0};
    return {static_cast<std::size_t>(first), static_cast<std::size_t>(last)};
}
// [visible_keys]

/// Whether query i (of n_q) sees key j (of n_k) under the same rules.
inline bool sees(std::size_t i, std::size_t j, std::size_t n_q, std::size_t n_k, bool causal, std::size_t w = 0) {
    const key_span s = visible_keys(i, n_q, n_k, causal, w);
    return j >= s.first && j < s.last;
}

/// The (query, key) pairs the rules let through, counted row by row: O(n_q).
inline double visible_pairs(std::size_t n_q, std::size_t n_k, bool causal, std::size_t w = 0) {
    double pairs = 0;
    for (std::size_t i = 0; i < n_q; ++i) pairs += double(visible_keys(i, n_q, n_k, causal, w).size());
    return pairs;
}

/// The query rows that see no key at all (their output is 0).
inline std::size_t blind_rows(std::size_t n_q, std::size_t n_k, bool causal, std::size_t w = 0) {
    std::size_t rows = 0;
    for (std::size_t i = 0; i < n_q; ++i) rows += visible_keys(i, n_q, n_k, causal, w).size() == 0;
    return rows;
}

}  // namespace attn
