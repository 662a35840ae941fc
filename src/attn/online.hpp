// attn/online.hpp — lesson 08: the online softmax (Milakov & Gimelshein 2018).
//
// Teaches: the stable softmax of lesson 02 needs the row's maximum before it can
// sum, so it reads the row more than once (one row buffer is enough for that,
// lesson 07). The online softmax keeps a running maximum m and a running sum
// l of exp(z - m) in one pass; whenever m grows, the sum so far is rescaled by
// exp(m_old - m_new), which is exactly the factor that would have been there
// had the new maximum been known from the start:
//   m_new = max(m, z_j)        l_new = l·exp(m - m_new) + exp(z_j - m_new)
// What that buys is a small state that merges exactly: two states over
// disjoint keys combine into the state over both. So a query can stream over
// key blocks it never holds at once (lesson 09's tiles, with K/V reused across
// a query block), and the keys can be split across threads or devices and the
// parts merged (split-KV decoding, ring attention). Applied to attention, the
// output accumulator o is rescaled alongside l (online_row, online_fold).
// Leaves out: blocks of queries and keys at once (lesson 09).
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

/// The running statistics of the scores seen so far.
struct online_state {
    real m = -std::numeric_limits<real>::infinity();  // the largest score so far
    real l = 0;                                       // Σ exp(z - m) over the scores so far
    ATTN_FIELDS(m, l)
};

// [online_update]
/// Folds one more score into the state; returns the rescale factor exp(m_old - m_new)
/// that the old sum (and, in attention, the old output) must be multiplied by.
/// paper: m′ = max(m, z), ℓ′ = ℓ·e^(m − m′) + e^(z − m′) (Milakov & Gimelshein 2018); kernels: v2_online, v3_tiled, v4_simd
inline real online_update(online_state& s, real z) {
    const real m_new = std::max(s.m, z);
    if (m_new == -std::numeric_limits<real>::infinity()) return 1;  // nothing seen but -inf: nothing to scale
    const real rescale = std::exp(s.m - m_new);                     // 1 if the max did not move; 0 from -inf
    s.l = s.l * rescale + std::exp(z - m_new);                      // l_new = l·e^(m - m_new) + e^(z - m_new)
    s.m = m_new;
    return rescale;
}
// [online_update]

// [merge]
/// Two states over disjoint parts of a row, as one: m = max(a.m, b.m), l = a.l·e^(a.m-m) + b.l·e^(b.m-m).
/// paper: m = max(m_a, m_b), ℓ = ℓ_a·e^(m_a − m) + ℓ_b·e^(m_b − m)
inline online_state merge(const online_state& a, const online_state& b) {
    online_state r;
    r.m = std::max(a.m, b.m);
    if (r.m == -std::numeric_limits<real>::infinity()) return r;
    r.l = a.l * std::exp(a.m - r.m) + b.l * std::exp(b.m - r.m);
    return r;
}
// [merge]

// [online_softmax]
/// softmax(z) in two passes: one online pass for m and l, one to write exp(z_j - m)/l.
/// An all -inf row gives zeros, as lesson 02's softmax does.
inline vector online_softmax(const vector& z) {
    require_nonempty("online_softmax", "z", z);
    online_state s;
    for (auto x : z) online_update(s, x);  // pass 1: m and l together
    vector p = xt::zeros<real>({z.size()});
    if (s.l == 0) return p;
    for (std::size_t j = 0; j < z.size(); ++j) p(j) = std::exp(z(j) - s.m) / s.l;  // pass 2
    return p;
}
// [online_softmax]

/// One query's state over the keys seen so far: (m, l) and the unnormalised output
/// o = Σ_j exp(s_j - m)·v_j, so that the attention output is o / l.
struct online_row {
    real m = -std::numeric_limits<real>::infinity();
    real l = 0;
    vector o;  // (d_v)
    ATTN_FIELDS(m, l, o)
};

/// A row that has seen nothing yet, for values of width d_v.
inline online_row start_row(std::size_t d_v) {
    return {-std::numeric_limits<real>::infinity(), 0, xt::zeros<real>({d_v})};
}

// [online_fold]
/// Folds key j (its score s and its value row v) into the row; returns the rescale
/// exp(m_old - m_new) that l and every element of o were multiplied by.
/// paper: o′ = o·e^(m − m′) + e^(s − m′)·v; kernels: v2_online
inline real online_fold(online_row& r, real s, const vector& v) {
    if (v.size() != r.o.size())
        throw shape_error("online_fold: the value row has " + std::to_string(v.size()) + " elements but o has " +
                          std::to_string(r.o.size()) + "; start the row with start_row(d_v)");
    const real m_new = std::max(r.m, s);
    if (m_new == -std::numeric_limits<real>::infinity()) return 1;  // nothing visible yet
    const real rescale = std::exp(r.m - m_new), p = std::exp(s - m_new);
    r.l = r.l * rescale + p;
    for (std::size_t c = 0; c < v.size(); ++c) r.o(c) = r.o(c) * rescale + p * v(c);  // d_v multiplies: the price
    r.m = m_new;
    return rescale;
}
// [online_fold]

/// One line of the step debugger: after reading z_j (and folding its value v_j).
struct online_step {
    real z;        // the score just read
    real m;        // the running max after it
    real l;        // the running sum after it
    real rescale;  // what the previous sum (and o) was multiplied by
    vector terms;  // exp(z_i - m) for every score read so far: they sum to l, and all shrink when m grows
    real o;        // the running output for one value per score, Σ_i exp(z_i - m)·v_i, not yet divided by l
    real out;      // o / l: the output over the scores read so far (finalize; 0 while every score is −∞)
    ATTN_FIELDS(z, m, l, rescale, terms, o, out)
};

/// The online softmax of z read one score at a time, folding one value per score (v, as long as z)
/// beside it as attention does (online_fold): every state the step debugger and its picture draw.
inline std::vector<online_step> online_softmax_trace(const vector& z, const vector& v) {
    require_nonempty("online_softmax_trace", "z", z);
    if (v.size() != z.size())
        throw shape_error("online_softmax_trace: z has " + std::to_string(z.size()) + " scores but v has " +
                          std::to_string(v.size()) + " values; they need one value per score");
    std::vector<online_step> steps;
    online_row row = start_row(1);
    for (std::size_t j = 0; j < z.size(); ++j) {
        const real r = online_fold(row, z(j), vector{v(j)});
        vector terms = xt::zeros<real>({j + 1});
        if (row.m > -std::numeric_limits<real>::infinity())  // all −∞ so far: every term is 0
            for (std::size_t i = 0; i <= j; ++i) terms(i) = std::exp(z(i) - row.m);
        steps.push_back({z(j), row.m, row.l, r, terms, row.o(0), row.l > 0 ? row.o(0) / row.l : real(0)});
    }
    return steps;
}

// [merge_rows]
/// Two rows over disjoint keys, as one: both are re-expressed against the larger maximum.
/// paper: m = max(m_a, m_b), ℓ = ℓ_a·e^(m_a − m) + ℓ_b·e^(m_b − m), o = o_a·e^(m_a − m) + o_b·e^(m_b − m)
inline online_row merge(const online_row& a, const online_row& b) {
    if (a.o.size() != b.o.size())
        throw shape_error("merge: the rows' outputs have " + std::to_string(a.o.size()) + " and " +
                          std::to_string(b.o.size()) + " elements; both need d_v");
    online_row r = start_row(a.o.size());
    r.m = std::max(a.m, b.m);
    if (r.m == -std::numeric_limits<real>::infinity()) return r;
    const real fa = std::exp(a.m - r.m), fb = std::exp(b.m - r.m);
    r.l = a.l * fa + b.l * fb;
    r.o = a.o * fa + b.o * fb;
    return r;
}
// [merge_rows]

// [online_attention]
/// softmax(Q·Kᵀ/√d_k)·V with each query streaming once over the keys: no row of scores is kept.
/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v). The fast version is kernels::v2_online.
inline matrix online_attention(const matrix& Q, const matrix& K, const matrix& V) {
    require_nonempty("online_attention", "Q", Q);
    require_nonempty("online_attention", "V", V);
    require_shapes(Q.shape(1) == K.shape(1), "online_attention", "Q", Q, "K", K, "Q and K need the same d_k");
    require_shapes(K.shape(0) == V.shape(0), "online_attention", "K", K, "V", V, "K and V need one row per key");
    const real scale = real(1) / std::sqrt(static_cast<real>(Q.shape(1)));
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    for (std::size_t i = 0; i < Q.shape(0); ++i) {
        online_row r = start_row(V.shape(1));
        for (std::size_t j = 0; j < K.shape(0); ++j) {
            real s = 0;
            for (std::size_t c = 0; c < Q.shape(1); ++c) s += Q(i, c) * K(j, c);
            online_fold(r, s * scale, xt::row(V, j));
        }
        for (std::size_t c = 0; c < V.shape(1); ++c) O(i, c) = r.l > 0 ? r.o(c) / r.l : 0;
    }
    return O;
}
// [online_attention]

}  // namespace attn
