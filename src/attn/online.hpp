// attn/online.hpp — lesson 07: the online softmax (Milakov & Gimelshein 2018).
//
// Teaches: the stable softmax of lesson 02 reads its row three times (max,
// sum, divide). The online softmax keeps a running maximum m and a running sum
// l of exp(z - m) in one pass; whenever m grows, the sum so far is rescaled by
// exp(m_old - m_new), which is exactly the factor that would have been there
// had the new maximum been known from the start:
//   m_new = max(m, z_j)        l_new = l·exp(m - m_new) + exp(z_j - m_new)
// Two partial states merge the same way, so a row can be split into blocks
// (lesson 08) or across threads. Applied to attention, the output
// accumulator is rescaled alongside l, and the n×n score matrix disappears.
// Leaves out: blocks of queries and keys at once (lesson 08).
// Run it: `attnlab lesson 7`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
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

/// One line of the step debugger: after reading z_j.
struct online_step {
    real z;        // the score just read
    real m;        // the running max after it
    real l;        // the running sum after it
    real rescale;  // what the previous sum was multiplied by
    ATTN_FIELDS(z, m, l, rescale)
};

inline std::vector<online_step> online_softmax_trace(const vector& z) {
    require_nonempty("online_softmax_trace", "z", z);
    std::vector<online_step> steps;
    online_state s;
    for (auto x : z) {
        const real r = online_update(s, x);
        steps.push_back({x, s.m, s.l, r});
    }
    return steps;
}

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

}  // namespace attn
