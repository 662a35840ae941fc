// attn/kernels/sparse.hpp — v4_sparse: the tiled SIMD kernel over any mask, skipping its empty tiles.
//
// Teaches (lesson 19): lesson 09's kernel skipped the tiles above the diagonal
// and lesson 12's those outside a band, each by a rule written for its
// pattern. For an arbitrary pattern (a block-sparse stride, BigBird's global,
// window and random blocks) the kernel takes a plan instead
// (attn/tile_plan.hpp): per block of 64 queries, the key blocks that hold a
// visible pair, and whether each needs its hidden scores set to −∞. Tiles the
// mask leaves empty are never loaded, so the time follows the tiles computed,
// not n². A pattern written in 64-key blocks has no partial tile off the
// diagonal; one written key by key may leave every tile partial and save nothing.
// Run it: `attnlab lesson sparse_linear`; timed beside the others by
//   build/native/bench/bench_attention --benchmark_filter=sparse
#pragma once

#include <cstddef>

#include "../mask.hpp"
#include "../shape.hpp"
#include "../tensor.hpp"
#include "../tile_plan.hpp"
#include "common.hpp"
#include "tiled.hpp"

namespace attn::kernels {

namespace detail {
/// v4_sparse's work once the inputs are checked: plan `allowed`'s tiles, then run v4_simd's kernel by the plan.
inline matrix sparse_forward(const matrix& Q, const matrix& K, const matrix& V, const mask& allowed,
                             std::size_t threads, counters* count) {
    const tile_plan plan = plan_tiles(allowed, tile_Br, tile_Bc);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    tiled_forward<vector_ops>(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1), V.shape(1),
                              false, threads, nullptr, count, 0, &plan);
    return O;
}
}  // namespace detail

// [v4_sparse]
/// softmax(Q·Kᵀ/√d_k, hidden where !allowed)·V with v4_simd's registers, computing only the
/// 64×64 tiles `allowed` leaves non-empty. Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), allowed (n_q, n_k).
/// A query that sees no key gets the zero vector (lesson 06).
inline matrix v4_sparse(const matrix& Q, const matrix& K, const matrix& V, const mask& allowed, std::size_t threads = 1,
                        counters* count = nullptr) {
    detail::check_kernel_inputs("v4_sparse", Q, K, V);
    require_mask_shape("v4_sparse", allowed.shape(), Q.shape(0), K.shape(0));
    return detail::sparse_forward(Q, K, V, allowed, threads, count);
}
// [v4_sparse]

}  // namespace attn::kernels
