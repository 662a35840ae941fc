// attn/multihead.hpp — lesson 05: multi-head attention.
//
// Teaches: instead of one attention over d_model-wide queries, run h smaller
// ones side by side. Project once with W_q, W_k, W_v (each d_model -> h·d_k),
// cut the columns into h slices, attend in each slice independently, put the h
// outputs side by side again and mix them with W_o (Vaswani et al. 2017, 3.2.2):
//   head_i = Attention(X_q·W_q[:, i], X_kv·W_k[:, i], X_kv·W_v[:, i]), i = 0..h-1
//   MultiHead = Concat(head_0, ..., head_{h-1})·W_o
// With h·d_k fixed, the parameters and matrix-multiply FLOPs do not depend on h;
// the exps and the scores held, h·n_q·n_kv, do (mha_cost), and each head's
// scores have rank at most d_k. What h buys is that each head can attend to
// different places.
// Leaves out: biases, dropout, and the key/value sharing of lesson 11 (GQA).
// Run it: `attnlab lesson 5`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "attention.hpp"
#include "fields.hpp"
#include "scores.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

/// The four weight matrices of one multi-head attention layer.
struct mha_weights {
    matrix W_q;  // (d_model, h·d_k)
    matrix W_k;  // (d_model, h·d_k)
    matrix W_v;  // (d_model, h·d_v)
    matrix W_o;  // (h·d_v, d_out)
    ATTN_FIELDS(W_q, W_k, W_v, W_o)
};

// [head_slice]
/// Columns [head·w, (head+1)·w) of M, w = cols/heads: the part of a projection that
/// belongs to one head. M is (n, heads·w). Returns (n, w).
inline matrix head_slice(const matrix& M, std::size_t head, std::size_t heads) {
    if (heads == 0 || M.shape(1) % heads != 0)
        throw value_error("head_slice: " + std::to_string(heads) + " heads cannot split " + shape_str(M.shape()) +
                          " into equal column slices");
    if (head >= heads)
        throw value_error("head_slice: head " + std::to_string(head) + " of " + std::to_string(heads) +
                          " does not exist (heads count from 0)");
    const std::size_t w = M.shape(1) / heads;
    return xt::view(M, xt::all(), xt::range(head * w, (head + 1) * w));
}
// [head_slice]

/// The h head outputs side by side: (n, w) each -> (n, h·w).
inline matrix concat_heads(const std::vector<matrix>& outs) {
    if (outs.empty()) throw value_error("concat_heads: no heads to concatenate");
    const std::size_t n = outs[0].shape(0), w = outs[0].shape(1);
    matrix C = xt::zeros<real>({n, w * outs.size()});  // C is (n, h·w)
    for (std::size_t h = 0; h < outs.size(); ++h) {
        require_shapes(outs[h].shape() == outs[0].shape(), "concat_heads", "head 0", outs[0], "another head", outs[h],
                       "every head's output must have the same shape");
        xt::view(C, xt::all(), xt::range(h * w, (h + 1) * w)) = outs[h];
    }
    return C;
}

/// Every intermediate of a multi-head call.
struct multihead_steps {
    std::vector<attention_steps> heads;  // h of them: S, P (n_q, n_kv) and O (n_q, d_v) per head
    matrix concat;                       // (n_q, h·d_v)
    matrix O;                            // (n_q, d_out) = concat·W_o
};

inline void check_mha(const matrix& X_q, const matrix& X_kv, const mha_weights& w, std::size_t heads) {
    require_shapes(X_q.shape(1) == X_kv.shape(1), "multihead_attention", "X_q", X_q, "X_kv", X_kv,
                   "both sequences need embeddings of the same width (d_model)");
    require_shapes(w.W_q.shape() == w.W_k.shape(), "multihead_attention", "W_q", w.W_q, "W_k", w.W_k,
                   "queries and keys need the same projection shape");
    require_shapes(w.W_v.shape(1) == w.W_o.shape(0), "multihead_attention", "W_v", w.W_v, "W_o", w.W_o,
                   "W_o needs one row per column of the concatenated head outputs (h·d_v)");
    if (heads == 0 || w.W_q.shape(1) % heads != 0 || w.W_v.shape(1) % heads != 0)
        throw value_error("multihead_attention: " + std::to_string(heads) + " heads must divide the " +
                          std::to_string(w.W_q.shape(1)) + " query/key columns and the " +
                          std::to_string(w.W_v.shape(1)) + " value columns evenly");
}

// [multihead]
/// Multi-head attention with the steps kept. X_q is (n_q, d_model), X_kv is (n_kv, d_model).
/// paper: MultiHead = Concat(head_1, …, head_h)·W_O, head_i = Attention(Q·W_Q^i, K·W_K^i, V·W_V^i)
inline multihead_steps multihead_explained(const matrix& X_q, const matrix& X_kv, const mha_weights& w,
                                           std::size_t heads) {
    check_mha(X_q, X_kv, w, heads);
    const matrix Q = project(X_q, w.W_q);   // (n_q, h·d_k)
    const matrix K = project(X_kv, w.W_k);  // (n_kv, h·d_k)
    const matrix V = project(X_kv, w.W_v);  // (n_kv, h·d_v)
    multihead_steps r;
    std::vector<matrix> outs;
    for (std::size_t h = 0; h < heads; ++h) {  // each head attends in its own slice of columns
        r.heads.push_back(
            attention_explained(head_slice(Q, h, heads), head_slice(K, h, heads), head_slice(V, h, heads)));
        outs.push_back(r.heads.back().O);  // (n_q, d_v)
    }
    r.concat = concat_heads(outs);   // (n_q, h·d_v)
    r.O = project(r.concat, w.W_o);  // (n_q, d_out): W_o mixes what the heads found
    return r;
}
// [multihead]

inline matrix multihead_attention(const matrix& X_q, const matrix& X_kv, const mha_weights& w, std::size_t heads) {
    return multihead_explained(X_q, X_kv, w, heads).O;
}

inline matrix multihead_self_attention(const matrix& X, const mha_weights& w, std::size_t heads) {
    return multihead_attention(X, X, w, heads);
}

/// What one multi-head layer costs. A multiply-add counts as 2 FLOPs; softmax's
/// exponentials are counted apart because they are not multiply-adds.
struct mha_cost {
    double params;        // entries of W_q, W_k, W_v, W_o (no biases)
    double flops;         // projections + Q·Kᵀ + P·V + output projection
    double exps;          // one exp per score: h·n_q·n_kv
    double score_floats;  // attention weights held at once if materialised: h·n_q·n_kv
    ATTN_FIELDS(params, flops, exps, score_floats)
};

// [cost]
inline mha_cost multihead_cost(std::size_t n_q, std::size_t n_kv, std::size_t d_model, std::size_t heads,
                               std::size_t d_k, std::size_t d_v, std::size_t d_out) {
    const double nq = double(n_q), nkv = double(n_kv), dm = double(d_model), h = double(heads);
    const double hk = h * double(d_k), hv = h * double(d_v);
    mha_cost c;
    c.params = dm * hk * 2 + dm * hv + hv * double(d_out);
    c.flops = 2 * (nq * dm * hk + nkv * dm * hk + nkv * dm * hv)  // X·W_q, X·W_k, X·W_v
              + 2 * nq * nkv * hk                                 // Q·Kᵀ, every head
              + 2 * nq * nkv * hv                                 // P·V, every head
              + 2 * nq * hv * double(d_out);                      // concat·W_o
    c.exps = h * nq * nkv;
    c.score_floats = h * nq * nkv;
    return c;
}
// [cost]

}  // namespace attn
