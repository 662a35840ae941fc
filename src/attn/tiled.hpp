// attn/tiled.hpp — lesson 08: tiled attention, the FlashAttention forward pass (Dao et al. 2022).
//
// Teaches: cut Q into blocks of Br rows and K, V into blocks of Bc rows. For
// each query block keep, per row, the online softmax's m and l (lesson 07) and
// an unnormalised output O_i; visit the key blocks one by one, scoring a
// Br×Bc tile, folding it into m and l, rescaling O_i and adding the tile's
// P·V_j. Nothing larger than a tile is ever held, so the extra memory is
// O(Br·Bc) whatever n is, and every loaded K_j, V_j serves Br queries. With a
// causal mask, tiles wholly above the diagonal are skipped, not computed (with
// n_q ≠ n_k the queries are the last n_q positions, so the diagonal runs into
// the bottom-right corner: query i is at position p = i + n_k - n_q).
// Sequence lengths need not be multiples of the block sizes.
// This is the readable reference, in xtensor; src/attn/kernels/tiled.hpp has
// the fast versions, tested against it.
// Leaves out: the backward pass (lesson 13) and GPU shared memory.
// Run it: `attnlab lesson 8`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "fields.hpp"
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

// [tiled]
/// softmax(Q·Kᵀ/√d_k)·V by tiles. Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v); Br, Bc ≥ 1.
/// paper: S_ij = Q_i·K_jᵀ, m, ℓ and O_i per query block (Dao et al. 2022; Dao 2023, Algorithm 1); kernels: v3_tiled, v4_simd
inline matrix tiled_attention(const matrix& Q, const matrix& K, const matrix& V, std::size_t Br, std::size_t Bc,
                              bool causal = false, std::vector<tile_visit>* trace = nullptr) {
    require_nonempty("tiled_attention", "Q", Q);
    require_nonempty("tiled_attention", "V", V);
    require_shapes(Q.shape(1) == K.shape(1), "tiled_attention", "Q", Q, "K", K, "Q and K need the same d_k");
    require_shapes(K.shape(0) == V.shape(0), "tiled_attention", "K", K, "V", V, "K and V need one row per key");
    if (Br == 0 || Bc == 0) throw value_error("tiled_attention: block sizes must be at least 1");
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0), d_v = V.shape(1);
    const real scale = real(1) / std::sqrt(static_cast<real>(Q.shape(1)));
    const real neg_inf = -std::numeric_limits<real>::infinity();
    matrix O = xt::zeros<real>({n_q, d_v});  // O is (n_q, d_v)

    for (std::size_t q0 = 0; q0 < n_q; q0 += Br) {
        const std::size_t q1 = std::min(q0 + Br, n_q), br = q1 - q0;
        const matrix Qi = xt::view(Q, xt::range(q0, q1), xt::all());  // (br, d_k)
        vector m = xt::full_like(xt::zeros<real>({br}), neg_inf);     // (br): running row max
        vector l = xt::zeros<real>({br});                             // (br): running row sum
        matrix Oi = xt::zeros<real>({br, d_v});                       // (br, d_v): unnormalised output

        for (std::size_t k0 = 0; k0 < n_k; k0 += Bc) {
            const std::size_t k1 = std::min(k0 + Bc, n_k), bc = k1 - k0;
            // Key j is in query i's future when j > p = i + n_k - n_q, i.e. j + n_q > i + n_k.
            const bool skipped = causal && k0 + n_q > (q1 - 1) + n_k;  // every key after every query of the block
            const bool masked = causal && !skipped && (k1 - 1) + n_q > q0 + n_k;
            if (trace) trace->push_back({q0, q1, k0, k1, skipped, masked});
            if (skipped) continue;
            const matrix Kj = xt::view(K, xt::range(k0, k1), xt::all());  // (bc, d_k)
            const matrix Vj = xt::view(V, xt::range(k0, k1), xt::all());  // (bc, d_v)

            matrix S = xt::zeros<real>({br, bc});  // S_ij = Q_i·K_jᵀ/√d_k, (br, bc)
            for (std::size_t r = 0; r < br; ++r)
                for (std::size_t c = 0; c < bc; ++c) {
                    real dot = 0;
                    for (std::size_t k = 0; k < Qi.shape(1); ++k) dot += Qi(r, k) * Kj(c, k);
                    S(r, c) = (causal && k0 + c + n_q > q0 + r + n_k) ? neg_inf : dot * scale;
                }
            for (std::size_t r = 0; r < br; ++r) {
                real m_new = m(r);  // m_new = max(m, rowmax(S_ij))
                for (std::size_t c = 0; c < bc; ++c) m_new = std::max(m_new, S(r, c));
                if (m_new == neg_inf) continue;               // nothing visible in this tile yet
                const real rescale = std::exp(m(r) - m_new);  // e^(m - m_new)
                real rowsum = 0;  // P = exp(S - m_new), l_new = e^(m - m_new)·l + rowsum(P)
                for (std::size_t c = 0; c < bc; ++c) rowsum += S(r, c) = std::exp(S(r, c) - m_new);
                l(r) = l(r) * rescale + rowsum;
                for (std::size_t v = 0; v < d_v; ++v) {  // O_i = diag(e^(m - m_new))·O_i + P·V_j
                    real acc = Oi(r, v) * rescale;
                    for (std::size_t c = 0; c < bc; ++c) acc += S(r, c) * Vj(c, v);
                    Oi(r, v) = acc;
                }
                m(r) = m_new;
            }
        }
        for (std::size_t r = 0; r < br; ++r)  // O_i = diag(l)⁻¹·O_i
            for (std::size_t v = 0; v < d_v; ++v) O(q0 + r, v) = l(r) > 0 ? Oi(r, v) / l(r) : 0;
    }
    return O;
}
// [tiled]

/// Extra floats the tiled loop holds at once: the tile S (Br·Bc), m and l (2·Br), O_i (Br·d_v).
inline double tiled_extra_bytes(std::size_t Br, std::size_t Bc, std::size_t d_v) {
    return double(Br * Bc + 2 * Br + Br * d_v) * sizeof(real);
}

}  // namespace attn
