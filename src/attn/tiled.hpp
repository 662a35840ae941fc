// attn/tiled.hpp — lesson 09: tiled attention, FlashAttention-2's forward pass (Dao 2023, Algorithm 1).
//
// Teaches: cut Q into blocks of Br rows and K, V into blocks of Bc rows. For
// each query block keep, per row, lesson 08's online_row (m, l and an
// unnormalised output); visit the key blocks one by one: score a Br×Bc tile
// (score_tile), fold each of its rows into that row's state (fold_row: the
// rescale of O_i once per row per tile, not per key), and divide by l once at
// the end (finalize). Query blocks outside, key blocks inside, one
// normalisation at the end: that order is FlashAttention-2's. FlashAttention
// (Dao et al. 2022, Algorithm 1) put the key blocks outside and renormalised
// O_i at every step, keeping m and l in main memory: tiled_attention_fa1 below,
// for contrast. Nothing larger than a tile is ever held, so the extra memory is
// O(Br·Bc + Br·d_v) whatever n is, and every loaded K_j, V_j serves Br queries.
// With a causal mask, tiles wholly above the diagonal are skipped, not computed
// (with n_q ≠ n_k the queries are the last n_q positions, so the diagonal runs
// into the bottom-right corner: query i is at position p = i + n_k - n_q).
// Sequence lengths need not be multiples of the block sizes.
// This is the readable reference, in xtensor; src/attn/kernels/tiled.hpp has
// the fast versions, tested against it.
// Leaves out: the backward pass (lesson 14) and GPU shared memory.
// Run it: `attnlab lesson 9`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "fields.hpp"
#include "online.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

/// One visit of the tiled loop, for the page's step-through.
struct tile_visit {
    std::size_t q0, q1;  // query rows [q0, q1)
    std::size_t k0, k1;  // key rows [k0, k1)
    bool skipped;        // no query of the block may see any key of the tile (causal: above the diagonal)
    bool masked;         // some but not all pairs are visible (causal: the tile straddles the diagonal)
    ATTN_FIELDS(q0, q1, k0, k1, skipped, masked)
};

/// The visits, in the loop's order (query blocks outer, key blocks inner), as the grid the pages
/// draw (lessons 09, 12 and 19): 0 where the tile is skipped, 1 where it is partly masked, 2 where
/// it is computed whole.
inline std::vector<std::vector<int>> tile_grid(const std::vector<tile_visit>& visits, std::size_t k_blocks) {
    if (k_blocks == 0 || visits.size() % k_blocks)
        throw value_error("tile_grid: " + std::to_string(visits.size()) + " visits are not rows of " +
                          std::to_string(k_blocks) + " key blocks");
    std::vector<std::vector<int>> grid(visits.size() / k_blocks, std::vector<int>(k_blocks));
    for (std::size_t k = 0; k < visits.size(); ++k)
        grid[k / k_blocks][k % k_blocks] = visits[k].skipped ? 0 : visits[k].masked ? 1 : 2;
    return grid;
}

/// One query row's state just after the tiled loop folded one tile into it: what lesson 09's
/// walk-through prints and a step-through draws (m, ℓ and O_i live).
struct row_step {
    std::size_t visit;   // the tile: its index among the visits
    std::size_t row;     // the query row
    vector s;            // the row's scores in this tile (−∞ where masked)
    real rescale, m, l;  // e^(m_old − m) applied to ℓ and o; the running maximum and sum after the tile
    vector o;            // the running output row, not yet divided by ℓ
    ATTN_FIELDS(visit, row, s, rescale, m, l, o)
};

// [score_tile]
/// The tile S_ij = Q_i·K_jᵀ/√d_k of query rows [q0, q1) and key rows [k0, k1), (q1 - q0, k1 - k0),
/// with −∞ where the causal mask hides key j from query i (bottom-right when n_q ≠ n_k).
inline matrix score_tile(const matrix& Q, const matrix& K, std::size_t q0, std::size_t q1, std::size_t k0,
                         std::size_t k1, bool causal = false) {
    require_shapes(Q.shape(1) == K.shape(1), "score_tile", "Q", Q, "K", K, "Q and K need the same d_k");
    if (q0 >= q1 || q1 > Q.shape(0) || k0 >= k1 || k1 > K.shape(0))
        throw value_error("score_tile: the tile's rows [" + std::to_string(q0) + ", " + std::to_string(q1) +
                          ") and keys [" + std::to_string(k0) + ", " + std::to_string(k1) +
                          ") must be non-empty and inside Q " + shape_str(Q.shape()) + " and K " +
                          shape_str(K.shape()));
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_k = Q.shape(1);
    const real scale = real(1) / std::sqrt(static_cast<real>(d_k));
    matrix S = xt::zeros<real>({q1 - q0, k1 - k0});
    for (std::size_t r = 0; r < q1 - q0; ++r)
        for (std::size_t c = 0; c < k1 - k0; ++c) {
            const std::size_t i = q0 + r, j = k0 + c;
            if (causal && j + n_q > i + n_k) {  // key j is after query i's position i + n_k - n_q
                S(r, c) = -std::numeric_limits<real>::infinity();
                continue;
            }
            real dot = 0;
            for (std::size_t k = 0; k < d_k; ++k) dot += Q(i, k) * K(j, k);
            S(r, c) = dot * scale;
        }
    return S;
}
// [score_tile]

// [fold_row]
/// Folds one row of a tile (its scores s, (bc)) and the tile's values V_j (bc, d_v) into that query's
/// running state; returns the rescale e^(m − m_new), applied to l and to the d_v-wide output once.
/// paper: m_new = max(m, rowmax(S_ij)), P = e^(S_ij − m_new), ℓ ← e^(m − m_new)ℓ + rowsum(P),
///        O_i ← diag(e^(m − m_new))O_i + P·V_j (Dao 2023, Algorithm 1)
inline real fold_row(online_row& row, const vector& s, const matrix& Vj) {
    if (s.size() != Vj.shape(0) || row.o.size() != Vj.shape(1))
        throw shape_error("fold_row: the scores have " + std::to_string(s.size()) + " keys and o has " +
                          std::to_string(row.o.size()) + " columns, but V_j is " + shape_str(Vj.shape()) +
                          "; they need one score per row of V_j and d_v columns");
    real m_new = row.m;
    for (auto x : s) m_new = std::max(m_new, x);
    if (m_new == -std::numeric_limits<real>::infinity()) return 1;  // nothing visible in this tile yet
    const real rescale = std::exp(row.m - m_new);
    vector p = xt::zeros<real>({s.size()});
    real rowsum = 0;
    for (std::size_t c = 0; c < s.size(); ++c) rowsum += p(c) = std::exp(s(c) - m_new);
    row.l = row.l * rescale + rowsum;
    for (std::size_t v = 0; v < Vj.shape(1); ++v) {
        real acc = row.o(v) * rescale;  // once per row per tile: the online form's price, amortised
        for (std::size_t c = 0; c < s.size(); ++c) acc += p(c) * Vj(c, v);
        row.o(v) = acc;
    }
    row.m = m_new;
    return rescale;
}
// [fold_row]

// [finalize]
/// The output row o / l, once, after the last key block; a row that saw no key is 0.
inline vector finalize(const online_row& row) {
    vector out = xt::zeros<real>({row.o.size()});
    if (row.l > 0) out = row.o / row.l;
    return out;
}
// [finalize]

// [tiled]
/// softmax(Q·Kᵀ/√d_k)·V by tiles. Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v); Br, Bc ≥ 1.
/// paper: query blocks outside, key blocks inside, diag(ℓ)⁻¹ once at the end (Dao 2023, Algorithm 1); kernels: v3_tiled, v4_simd
/// `trace` gets every tile in the order visited; `rows`, each row's state after each tile it folds.
inline matrix tiled_attention(const matrix& Q, const matrix& K, const matrix& V, std::size_t Br, std::size_t Bc,
                              bool causal = false, std::vector<tile_visit>* trace = nullptr,
                              std::vector<row_step>* rows_trace = nullptr) {
    require_nonempty("tiled_attention", "Q", Q);
    require_nonempty("tiled_attention", "V", V);
    require_shapes(Q.shape(1) == K.shape(1), "tiled_attention", "Q", Q, "K", K, "Q and K need the same d_k");
    require_shapes(K.shape(0) == V.shape(0), "tiled_attention", "K", K, "V", V, "K and V need one row per key");
    if (Br == 0 || Bc == 0) throw value_error("tiled_attention: block sizes must be at least 1");
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_v = V.shape(1);
    matrix O = xt::zeros<real>({n_q, d_v});  // O is (n_q, d_v)

    std::size_t visit = 0;
    for (std::size_t q0 = 0; q0 < n_q; q0 += Br) {
        const std::size_t q1 = std::min(q0 + Br, n_q);
        std::vector<online_row> rows(q1 - q0, start_row(d_v));  // m, ℓ and O_i of the block's rows
        for (std::size_t k0 = 0; k0 < n_k; k0 += Bc, ++visit) {
            const std::size_t k1 = std::min(k0 + Bc, n_k);
            // Key j is in query i's future when j > p = i + n_k - n_q, i.e. j + n_q > i + n_k.
            const bool skipped = causal && k0 + n_q > (q1 - 1) + n_k;  // every key after every query of the block
            const bool masked = causal && !skipped && (k1 - 1) + n_q > q0 + n_k;
            if (trace) trace->push_back({q0, q1, k0, k1, skipped, masked});
            if (skipped) continue;
            const matrix S = score_tile(Q, K, q0, q1, k0, k1, causal);
            const matrix Vj = xt::view(V, xt::range(k0, k1), xt::all());
            for (std::size_t r = 0; r < q1 - q0; ++r) {
                const real rescale = fold_row(rows[r], xt::row(S, r), Vj);
                if (rows_trace)
                    rows_trace->push_back({visit, q0 + r, xt::row(S, r), rescale, rows[r].m, rows[r].l, rows[r].o});
            }
        }
        for (std::size_t r = 0; r < q1 - q0; ++r) xt::row(O, q0 + r) = finalize(rows[r]);
    }
    return O;
}
// [tiled]

/// What a step-through of the tiled loop draws after visit `at` (of `visits`, with `rows` the row
/// states tiled_attention traced): the tile, and every row of its query block as the loop left it,
/// with its scores in this tile (empty when the tile was skipped: a skipped tile changes no row).
struct tile_step {
    tile_visit tile;
    std::vector<row_step> rows;  // q0 … q1 - 1 in order; a row no tile has reached yet has m = −∞, ℓ = 0
    ATTN_FIELDS(tile, rows)
};
inline tile_step tiled_step(const std::vector<tile_visit>& visits, const std::vector<row_step>& rows, std::size_t at) {
    if (at >= visits.size())
        throw value_error("tiled_step: step " + std::to_string(at) + " is past the last of the " +
                          std::to_string(visits.size()) + " tiles");
    tile_step out{visits[at], {}};
    const vector none = xt::zeros<real>({std::size_t(0)});
    const std::size_t d_v = rows.empty() ? 0 : rows.front().o.size();
    for (std::size_t i = out.tile.q0; i < out.tile.q1; ++i)
        out.rows.push_back({at, i, none, 1, -std::numeric_limits<real>::infinity(), 0, xt::zeros<real>({d_v})});
    for (const row_step& r : rows)  // in visit order: the last one at or before `at` wins
        if (r.visit <= at && r.row >= out.tile.q0 && r.row < out.tile.q1) {
            row_step& kept = out.rows[r.row - out.tile.q0];
            kept = r;
            if (r.visit != at) kept.s = none, kept.rescale = 1;
        }
    return out;
}

// [tiled_fa1]
/// The same result in FlashAttention-1's order (Dao et al. 2022, Algorithm 1): key blocks outside,
/// query blocks inside; m, ℓ and a normalised O live in main memory (HBM on a GPU) between visits,
/// and every visit renormalises: O_i ← diag(ℓ_new)⁻¹(diag(ℓ)e^(m − m_new)O_i + e^(m̃ − m_new)P̃_ij V_j).
/// `order` gets the tiles in the order visited. Not causal: the contrast is the loop order.
inline matrix tiled_attention_fa1(const matrix& Q, const matrix& K, const matrix& V, std::size_t Br, std::size_t Bc,
                                  std::vector<tile_visit>* order = nullptr) {
    require_nonempty("tiled_attention_fa1", "Q", Q);
    require_nonempty("tiled_attention_fa1", "V", V);
    require_shapes(Q.shape(1) == K.shape(1), "tiled_attention_fa1", "Q", Q, "K", K, "Q and K need the same d_k");
    require_shapes(K.shape(0) == V.shape(0), "tiled_attention_fa1", "K", K, "V", V, "K and V need one row per key");
    if (Br == 0 || Bc == 0) throw value_error("tiled_attention_fa1: block sizes must be at least 1");
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_v = V.shape(1);
    matrix O = xt::zeros<real>({n_q, d_v});  // normalised, in "HBM"
    vector m = xt::full_like(xt::zeros<real>({n_q}), -std::numeric_limits<real>::infinity()),
           l = xt::zeros<real>({n_q});
    for (std::size_t k0 = 0; k0 < n_k; k0 += Bc) {
        const std::size_t k1 = std::min(k0 + Bc, n_k);
        const matrix Vj = xt::view(V, xt::range(k0, k1), xt::all());
        for (std::size_t q0 = 0; q0 < n_q; q0 += Br) {
            const std::size_t q1 = std::min(q0 + Br, n_q);
            if (order) order->push_back({q0, q1, k0, k1, false, false});
            const matrix S = score_tile(Q, K, q0, q1, k0, k1);
            for (std::size_t r = 0; r < q1 - q0; ++r) {
                const std::size_t i = q0 + r;
                online_row tile = start_row(d_v);  // the tile alone: m̃, ℓ̃ and P̃·V_j
                fold_row(tile, xt::row(S, r), Vj);
                const real m_new = std::max(m(i), tile.m);
                const real a = std::exp(m(i) - m_new) * l(i), b = std::exp(tile.m - m_new);
                const real l_new = a + b * tile.l;
                for (std::size_t v = 0; v < d_v; ++v) O(i, v) = (a * O(i, v) + b * tile.o(v)) / l_new;
                m(i) = m_new, l(i) = l_new;
            }
        }
    }
    return O;
}
// [tiled_fa1]

/// Extra floats the tiled loop holds at once: the tile S (Br·Bc), m and l (2·Br), O_i (Br·d_v):
/// O(Br·Bc + Br·d_v), whatever n is.
inline double tiled_extra_bytes(std::size_t Br, std::size_t Bc, std::size_t d_v) {
    return double(Br * Bc + 2 * Br + Br * d_v) * sizeof(real);
}

/// FlashAttention's block sizes and IO count for on-chip memory of M floats (Dao et al. 2022,
/// Algorithm 1 line 1 and Theorem 2): B_c = ⌈M/4d⌉, B_r = min(⌈M/4d⌉, d); standard attention
/// reads and writes Θ(N·d + N²) elements of main memory, the tiled forward Θ(N²d²/M). The theorem
/// holds for d ≤ M ≤ N·d; no kernel can go below reading Q, K, V and writing O once (4·N·d), so
/// `tiled` never does.
struct flash_io {
    double M_floats, Bc, Br;
    double standard, tiled;  // element accesses of main memory, without the Θ's constants
    bool in_range;           // d ≤ M ≤ N·d, where Theorem 2 applies
    ATTN_FIELDS(M_floats, Bc, Br, standard, tiled, in_range)
};
inline flash_io flash_io_model(double sram_bytes, std::size_t N, std::size_t d) {
    if (!(sram_bytes >= 4.0 * double(d) * sizeof(float)) || N == 0 || d == 0)
        throw value_error("flash_io_model: on-chip memory must hold at least 4·d floats, and N, d must be positive");
    const double M = std::floor(sram_bytes / sizeof(float)), n = double(N), dd = double(d);
    const double Bc = std::ceil(M / (4 * dd));
    return {M, Bc, std::min(Bc, dd), n * dd + n * n, std::max(n * n * dd * dd / M, 4 * n * dd), M <= n * dd};
}

}  // namespace attn
