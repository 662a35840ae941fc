// attn/tile_plan.hpp — which tiles of the score matrix a mask leaves: the plan a tiled kernel skips by.
//
// Teaches (lesson 19, used by the tiled kernels of lesson 09): a tiled kernel
// (src/attn/kernels/tiled.hpp) works in Br×Bc tiles, so what it can skip is
// not a masked pair but a tile with no visible pair at all. Reading the mask
// once, tile by tile, sorts every tile into one of three kinds: empty
// (skipped, never loaded), full (computed with no mask) and partial (computed,
// then its hidden scores set to −∞). A pattern is cheap for a kernel when its
// visible pairs gather into few tiles: lesson 12's band does, a stride of one
// key in every l does not (every tile holds some of its pairs), the same
// stride written in blocks does (src/attn/sparse.hpp).
// Leaves out: the patterns themselves (sparse.hpp, window.hpp) and the kernel (kernels/sparse.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mask.hpp"
#include "shape.hpp"

namespace attn {

/// One tile a query block visits: its key block, and whether some of its pairs are hidden.
struct block_visit {
    std::uint32_t k_block;
    bool partial;
};

/// The tiles of an (n_q, n_k) mask in blocks of Br queries × Bc keys.
struct tile_plan {
    std::size_t n_q = 0, n_k = 0, Br = 0, Bc = 0;
    const mask* allowed = nullptr;                 // what partial tiles read: the caller keeps it alive
    std::vector<std::vector<block_visit>> visits;  // per query block, its non-empty key blocks in order
    double pairs = 0;                              // visible (query, key) pairs in all

    std::size_t q_blocks() const { return visits.size(); }
    std::size_t k_blocks() const { return Bc ? (n_k + Bc - 1) / Bc : 0; }
    std::size_t tiles() const { return q_blocks() * k_blocks(); }
    std::size_t computed() const {
        std::size_t c = 0;
        for (const auto& row : visits) c += row.size();
        return c;
    }
    std::size_t partial() const {
        std::size_t c = 0;
        for (const auto& row : visits)
            for (const block_visit& v : row) c += v.partial;
        return c;
    }
};

// [plan_tiles]
/// Reads M once: a tile with no visible pair is skipped, one with every pair visible is full, the
/// rest are partial. O(n_q·n_k); the kernel's work is then O(computed tiles).
inline tile_plan plan_tiles(const mask& M, std::size_t Br = 64, std::size_t Bc = 64) {
    if (M.size() == 0) throw value_error("plan_tiles: the mask has no elements");
    if (Br == 0 || Bc == 0) throw value_error("plan_tiles: block sizes must be at least 1");
    tile_plan p{M.shape(0), M.shape(1), Br, Bc, &M, {}, 0};
    const std::size_t kb = p.k_blocks();
    std::vector<std::size_t> seen(kb);
    for (std::size_t q0 = 0; q0 < p.n_q; q0 += Br) {
        const std::size_t q1 = std::min(p.n_q, q0 + Br);
        std::fill(seen.begin(), seen.end(), 0);
        for (std::size_t i = q0; i < q1; ++i)
            for (std::size_t j = 0; j < p.n_k; ++j) seen[j / Bc] += M(i, j);
        std::vector<block_visit> row;
        for (std::size_t b = 0; b < kb; ++b) {
            if (!seen[b]) continue;
            const std::size_t size = (q1 - q0) * (std::min(p.n_k, (b + 1) * Bc) - b * Bc);
            row.push_back({static_cast<std::uint32_t>(b), seen[b] != size});
            p.pairs += double(seen[b]);
        }
        p.visits.push_back(std::move(row));
    }
    return p;
}
// [plan_tiles]

/// A shape_error naming both shapes unless a mask of `mask_shape` fits scores of (n_q, n_k).
template <class Shape>
void require_mask_shape(const char* where, const Shape& mask_shape, std::size_t n_q, std::size_t n_k) {
    if (mask_shape[0] != n_q || mask_shape[1] != n_k)
        throw shape_error(std::string(where) + ": the mask is " + shape_str(mask_shape) + " but Q·Kᵀ is (" +
                          std::to_string(n_q) + ", " + std::to_string(n_k) +
                          "); the mask needs one row per query and one column per key");
}

/// Throws a shape_error naming both shapes unless `plan` was made for (n_q, n_k) in Br×Bc tiles.
inline void require_plan(const char* where, const tile_plan& plan, std::size_t n_q, std::size_t n_k, std::size_t Br,
                         std::size_t Bc) {
    require_mask_shape(where, std::array<std::size_t, 2>{plan.n_q, plan.n_k}, n_q, n_k);
    if (plan.Br != Br || plan.Bc != Bc)
        throw value_error(std::string(where) + ": the plan's tiles are " + std::to_string(plan.Br) + "×" +
                          std::to_string(plan.Bc) + ", the kernel's " + std::to_string(Br) + "×" + std::to_string(Bc));
}

}  // namespace attn
