// attn/sparse.hpp — lesson 19: sparse attention patterns, and what a tiled kernel saves on each.
//
// Teaches: keep the softmax, but let each query see only a chosen set of keys,
// fixed before any data is seen. The Sparse Transformer (Child et al. 2019,
// §4.3) splits the causal triangle into a local part and a strided one:
// query i sees the l keys before it and every l-th key further back
// (strided), or its own run of l keys and the last c keys of every earlier
// run (fixed); with l ≈ √n each query sees O(√n) keys, O(n√n) in all. BigBird
// (Zaheer et al. 2020, §2) mixes three kinds of keys for an encoder: a few
// global tokens that see and are seen by everyone, a sliding window, and a
// few random keys per query, and implements them in blocks. The kernel's view
// (attn/tile_plan.hpp): it computes whole 64×64 tiles, so a pattern saves time
// only when its pairs gather into whole tiles. The strided pattern key by key
// touches every tile below the diagonal and saves nothing; written in blocks
// (a block of queries sees whole blocks of keys) it skips most of them.
// Leaves out: patterns that depend on the data (Reformer's hashing, routing),
// which no fixed plan can describe.
// Run it: `attnlab lesson sparse_linear`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fields.hpp"
#include "mask.hpp"
#include "rng.hpp"
#include "shape.hpp"
#include "tile_plan.hpp"
#include "tiled.hpp"
#include "visible.hpp"

namespace attn {

namespace detail {
inline void check_pattern(const char* where, std::size_t n, std::size_t l) {
    if (n == 0) throw value_error(std::string(where) + ": n is 0; a sequence needs at least one token");
    if (n > 65536) throw value_error(std::string(where) + ": n = " + std::to_string(n) + " is past 65536 tokens");
    if (l == 0) throw value_error(std::string(where) + ": a stride or block of 0 keys; it must be at least 1");
}
}  // namespace detail

// [strided_mask]
/// Child et al.'s strided pattern, causal: query i sees key j ≤ i when i − j < l (the last l keys,
/// itself included) or when (i − j) is a multiple of l (every l-th key back). (n, n).
/// paper: A_i = {j ≤ i : i − j < l or (i − j) mod l = 0} (Child et al. 2019, strided); kernels: v4_sparse
inline mask strided_mask(std::size_t n, std::size_t l) {
    detail::check_pattern("strided_mask", n, l);
    mask M = xt::zeros<bool>({n, n});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= i; ++j) M(i, j) = i - j < l || (i - j) % l == 0;
    return M;
}
// [strided_mask]

/// Child et al.'s fixed pattern, causal: query i sees key j ≤ i in its own run of l keys
/// (⌊j/l⌋ = ⌊i/l⌋), and the last c keys of every run (j mod l ≥ l − c), the "summary" keys. (n, n).
/// paper: A_i = {j ≤ i : ⌊j/l⌋ = ⌊i/l⌋ or j mod l ≥ l − c} (Child et al. 2019, fixed); kernels: v4_sparse
inline mask fixed_mask(std::size_t n, std::size_t l, std::size_t c) {
    detail::check_pattern("fixed_mask", n, l);
    if (c == 0 || c > l)
        throw value_error("fixed_mask: c = " + std::to_string(c) + " summary keys per run of " + std::to_string(l) +
                          "; it must be from 1 to l");
    mask M = xt::zeros<bool>({n, n});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= i; ++j) M(i, j) = j / l == i / l || j % l >= l - c;
    return M;
}

/// A pattern over blocks: block query row r sees block key column s when B(r, s); each block is `size`
/// tokens. What block-sparse kernels take (and BigBird's implementation is written in).
struct block_pattern {
    std::size_t n = 0, size = 0;  // tokens, tokens per block
    mask blocks;                  // (⌈n/size⌉, ⌈n/size⌉)
    bool causal = false;          // within a block, keys after the query are hidden as well
};

// [expand]
/// The token-level mask of a block pattern: query i sees key j when their blocks see each other
/// (and j ≤ i, causal). (n, n).
inline mask expand(const block_pattern& p) {
    mask M = xt::zeros<bool>({p.n, p.n});
    for (std::size_t i = 0; i < p.n; ++i)
        for (std::size_t j = 0; j < p.n; ++j) M(i, j) = p.blocks(i / p.size, j / p.size) && (!p.causal || j <= i);
    return M;
}
// [expand]

/// The strided pattern in blocks of b tokens, causal: block r sees block s ≤ r when r − s < l_blocks
/// or (r − s) is a multiple of l_blocks.
inline block_pattern strided_blocks(std::size_t n, std::size_t b, std::size_t l_blocks) {
    detail::check_pattern("strided_blocks", n, b);
    detail::check_pattern("strided_blocks", n, l_blocks);
    const std::size_t nb = (n + b - 1) / b;
    block_pattern p{n, b, xt::zeros<bool>({nb, nb}), true};
    for (std::size_t r = 0; r < nb; ++r)
        for (std::size_t s = 0; s <= r; ++s) p.blocks(r, s) = r - s < l_blocks || (r - s) % l_blocks == 0;
    return p;
}

// [bigbird_blocks]
/// BigBird's pattern in blocks of b tokens (not causal): the first `global` blocks see every block and
/// are seen by every block; each block sees the `window` blocks centred on it (window odd); and each
/// other block sees `random` more blocks drawn without repeats from those it does not see yet (seeded).
/// paper: global + window + random blocks (Zaheer et al. 2020, §2); kernels: v4_sparse
inline block_pattern bigbird_blocks(std::size_t n, std::size_t b, std::size_t window, std::size_t global,
                                    std::size_t random, std::uint64_t seed = 1) {
    detail::check_pattern("bigbird_blocks", n, b);
    if (window % 2 == 0)
        throw value_error("bigbird_blocks: the window is " + std::to_string(window) +
                          " blocks; it must be odd, centred on the query's block");
    const std::size_t nb = (n + b - 1) / b;
    block_pattern p{n, b, xt::zeros<bool>({nb, nb}), false};
    for (std::size_t r = 0; r < nb; ++r)
        for (std::size_t s = 0; s < nb; ++s) {
            const std::size_t gap = r > s ? r - s : s - r;
            p.blocks(r, s) = r < global || s < global || gap <= window / 2;
        }
    rng g(seed);
    for (std::size_t r = global; r < nb; ++r) {
        std::vector<std::size_t> unseen;
        for (std::size_t s = 0; s < nb; ++s)
            if (!p.blocks(r, s)) unseen.push_back(s);
        for (std::size_t k = 0; k < random && !unseen.empty(); ++k) {
            const std::size_t pick = g.below(unseen.size());
            p.blocks(r, unseen[pick]) = true;
            unseen.erase(unseen.begin() + std::ptrdiff_t(pick));
        }
    }
    return p;
}
// [bigbird_blocks]

/// What a pattern costs: its pairs against the full (causal or not) matrix's, and its 64×64 tiles,
/// computed (full or partial) and skipped, against the tiles the kernel would compute without it.
struct pattern_cost {
    double pairs, dense_pairs;
    std::size_t tiles, computed, partial, dense_tiles;
    ATTN_FIELDS(pairs, dense_pairs, tiles, computed, partial, dense_tiles)
};

/// The costs of a plan against the full (causal) matrix's: its pairs and non-empty tiles counted by
/// attn/visible.hpp's rule, block by block, with no n_q × n_k mask made for them.
inline pattern_cost sparse_cost(const tile_plan& plan, bool causal) {
    std::size_t dense_tiles = 0;
    for (std::size_t q0 = 0; q0 < plan.n_q; q0 += plan.Br) {  // the block's last query sees the most keys
        const key_span s = visible_keys(std::min(plan.n_q, q0 + plan.Br) - 1, plan.n_q, plan.n_k, causal);
        dense_tiles += (s.last + plan.Bc - 1) / plan.Bc;
    }
    return {plan.pairs, visible_pairs(plan.n_q, plan.n_k, causal), plan.tiles(), plan.computed(), plan.partial(),
            dense_tiles};
}
inline pattern_cost sparse_cost(const mask& M, bool causal, std::size_t Br = 64, std::size_t Bc = 64) {
    return sparse_cost(plan_tiles(M, Br, Bc), causal);
}

/// The tiles of a plan as lesson 09's pictures draw them (skipped, masked = partial), row by row.
inline std::vector<tile_visit> plan_visits(const tile_plan& plan) {
    std::vector<tile_visit> out;
    for (std::size_t qb = 0; qb < plan.q_blocks(); ++qb) {
        const std::size_t q0 = qb * plan.Br, q1 = std::min(plan.n_q, q0 + plan.Br);
        std::size_t at = 0;
        for (std::size_t kb = 0; kb < plan.k_blocks(); ++kb) {
            const std::size_t k0 = kb * plan.Bc, k1 = std::min(plan.n_k, k0 + plan.Bc);
            const auto& row = plan.visits[qb];
            const bool visited = at < row.size() && row[at].k_block == kb;
            out.push_back({q0, q1, k0, k1, !visited, visited && row[at].partial});
            at += visited;
        }
    }
    return out;
}

}  // namespace attn
