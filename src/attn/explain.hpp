// attn/explain.hpp — how one number of attention was computed, from the numbers it came from.
//
// Teaches (every lesson's heatmaps): a score is a dot product, scaled by 1/√d_k; a weight is
// exp(s − m) over the sum of its row's, m the row's maximum, and a masked cell's weight is exactly
// 0; an output is the weights' blend of one column of V. Each explanation carries the inputs of
// its sum and the value the library's own function computes for that cell, so a page's hover
// (web/explain, one module for every page) can write out the sum with the very numbers drawn.
// Leaves out: the backward pass's cells (lesson 13 checks those by finite differences).
// Run it: hover or tap any cell of a score, weight or output map on a lesson page.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "attention.hpp"
#include "fields.hpp"
#include "mask.hpp"
#include "shape.hpp"
#include "softmax.hpp"
#include "tensor.hpp"

namespace attn {

namespace detail {
inline void require_cell(const char* where, const char* name, const matrix& M, std::size_t i, std::size_t j) {
    if (i >= M.shape(0) || j >= M.shape(1))
        throw value_error(std::string(where) + ": the cell (" + std::to_string(i) + ", " + std::to_string(j) +
                          ") is outside " + name + " " + shape_str(M.shape()));
}
inline std::vector<double> row_of(const matrix& M, std::size_t i) {
    return std::vector<double>(&M(i, 0), &M(i, 0) + M.shape(1));
}
}  // namespace detail

/// S(i, j) = scale · q_i·k_j = scale · Σ_c Q(i, c)·K(j, c).
struct score_explained {
    std::vector<double> q, k;      // row i of Q and row j of K
    std::vector<double> products;  // q[c]·k[c], the terms of the dot product
    double dot;                    // Σ_c q[c]·k[c]
    double scale;                  // 1/√d_k when scaled (lesson 02), else 1
    double value;                  // the cell as scores() or scaled_scores() computes it
    ATTN_FIELDS(q, k, products, dot, scale, value)
};
inline score_explained explain_score(const matrix& Q, const matrix& K, std::size_t i, std::size_t j, bool scaled) {
    const matrix S = scaled ? scaled_scores(Q, K) : scores(Q, K);  // checks the shapes
    detail::require_cell("explain_score", "S", S, i, j);
    score_explained e{detail::row_of(Q, i), detail::row_of(K, j), {}, 0, 1, S(i, j)};
    for (std::size_t c = 0; c < e.q.size(); ++c) e.dot += e.products.emplace_back(e.q[c] * e.k[c]);
    if (scaled) e.scale = 1 / std::sqrt(double(Q.shape(1)));
    return e;
}

/// P(i, j) = exp(S(i, j) − m) / Σ_j' exp(S(i, j') − m), over the keys the mask M allows (all ones:
/// every key); 0 where it hides the key.
struct weight_explained {
    std::vector<double> s;  // row i of the scores, −∞ where the mask hides the key
    std::vector<double> e;  // exp(s − m) for each key: 0 where hidden
    double m, sum;          // the row's maximum over the keys it may see, and Σ e
    double value;           // the cell as softmax_rows() computes it
    bool masked;            // key j is hidden from query i: the weight is exactly 0
    ATTN_FIELDS(s, e, m, sum, value, masked)
};
inline weight_explained explain_weight(const matrix& S, const mask& M, std::size_t i, std::size_t j) {
    const matrix Sm = apply_mask(S, M);  // checks the shapes
    detail::require_cell("explain_weight", "S", S, i, j);
    const matrix P = softmax_rows(Sm);
    weight_explained w{detail::row_of(Sm, i), {}, -std::numeric_limits<double>::infinity(), 0, P(i, j), !M(i, j)};
    for (double x : w.s) w.m = std::max(w.m, x);
    for (double x : w.s) w.sum += w.e.emplace_back(std::isinf(x) ? 0.0 : std::exp(x - w.m));
    return w;
}

/// O(i, c) = Σ_j P(i, j)·V(j, c): query i's weights blending column c of V.
struct output_explained {
    std::vector<double> p, v;  // row i of P and column c of V: the products are p[j]·v[j]
    double value;              // the cell as weighted_sum() computes it
    ATTN_FIELDS(p, v, value)
};
inline output_explained explain_output(const matrix& P, const matrix& V, std::size_t i, std::size_t c) {
    const matrix O = weighted_sum(P, V);  // checks the shapes
    detail::require_cell("explain_output", "O", O, i, c);
    output_explained e{detail::row_of(P, i), {}, O(i, c)};
    for (std::size_t j = 0; j < V.shape(0); ++j) e.v.push_back(V(j, c));
    return e;
}

}  // namespace attn
