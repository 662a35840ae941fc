// attn/explain.hpp — how one number of attention was computed, from the numbers it came from.
//
// Teaches (every lesson's heatmaps): a score is a dot product, scaled by 1/√d_k; a weight is
// exp(s − m) over the sum of its row's, m the row's maximum, and a masked cell's weight is exactly
// 0; an output is the weights' blend of one column of V. Each explanation carries the inputs of
// its sum and the value the library's own function computes for that cell, so a page's hover
// (web/explain, one module for every page) can write out the sum with the very numbers drawn.
// A gradient's cell (lesson 14) is a sum of products too: dV(j, c) of a column of P with one of dO,
// dQ(i, c) of a row of dS with a column of K, dK(j, c) of a column of dS with a column of Q.
// Run it: hover or tap any cell of a score, weight or output map on a lesson page.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "attention.hpp"
#include "backward.hpp"
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

/// One cell of a gradient of O = softmax(Q·Kᵀ/√d_k [causal])·V given dO (lesson 14): a sum Σ_t a[t]·b[t],
/// scaled. dV(j, c) = Σ_i P(i, j)·dO(i, c); dQ(i, c) = s·Σ_j dS(i, j)·K(j, c); dK(j, c) = s·Σ_i dS(i, j)·Q(i, c).
struct gradient_explained {
    std::vector<double> a;  // column j of P (dV), row i of dS (dQ) or column j of dS (dK)
    std::vector<double> b;  // column c of dO (dV), of K (dQ) or of Q (dK)
    double dot;             // Σ_t a[t]·b[t]
    double scale;           // s = 1/√d_k for dQ and dK, 1 for dV
    double value;           // the cell as attention_backward() computes it
    ATTN_FIELDS(a, b, dot, scale, value)
};
inline gradient_explained explain_gradient(const matrix64& Q, const matrix64& K, const matrix64& V, const matrix64& dO,
                                           bool causal, const std::string& which, std::size_t i, std::size_t c) {
    if (which != "Q" && which != "K" && which != "V")
        throw value_error("explain_gradient: which must be Q, K or V, not '" + which + "'");
    backward_trace<double> t;
    const attention_grads<double> g = attention_backward(Q, K, V, dO, causal, &t);  // checks the shapes
    const matrix64& G = which == "Q" ? g.dQ : which == "K" ? g.dK : g.dV;
    const std::string name = "d" + which;
    if (i >= G.shape(0) || c >= G.shape(1))
        throw value_error("explain_gradient: the cell (" + std::to_string(i) + ", " + std::to_string(c) +
                          ") is outside " + name + " " + shape_str(G.shape()));
    gradient_explained e{{}, {}, 0, which == "V" ? 1.0 : 1 / std::sqrt(double(Q.shape(1))), G(i, c)};
    if (which == "Q")
        for (std::size_t j = 0; j < K.shape(0); ++j) e.a.push_back(t.dS(i, j)), e.b.push_back(K(j, c));
    else
        for (std::size_t r = 0; r < Q.shape(0); ++r)
            e.a.push_back(which == "K" ? t.dS(r, i) : t.P(r, i)), e.b.push_back(which == "K" ? Q(r, c) : dO(r, c));
    for (std::size_t k = 0; k < e.a.size(); ++k) e.dot += e.a[k] * e.b[k];
    return e;
}

}  // namespace attn
