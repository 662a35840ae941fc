// attn/gqa.hpp — lesson 11: multi-query and grouped-query attention.
//
// Teaches: in decoding, the KV cache (lesson 10), not arithmetic, is the cost,
// and it grows with the number of key/value heads. Multi-query attention
// (Shazeer 2019) keeps h query heads but one shared key/value head; grouped-
// query attention (Ainslie et al. 2023) sits in between: h query heads in
// g groups, each group sharing one K/V head, so the cache shrinks by h/g.
// g = h is multi-head attention exactly (a test proves it); g = 1 is MQA.
// A trained multi-head layer converts by mean-pooling the K and V projections
// of each group ("uptraining" then recovers quality); how far the pooled
// layer's output moves is the quality knob the page shows.
// Leaves out: the uptraining itself, and the cache layout of a real server.
// Run it: `attnlab lesson 11`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "attention.hpp"
#include "fields.hpp"
#include "multihead.hpp"
#include "scores.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

/// One grouped-query layer: h query heads, g K/V heads, all of width d_head.
struct gqa_weights {
    matrix W_q;  // (d_model, h·d_head)
    matrix W_k;  // (d_model, g·d_head)
    matrix W_v;  // (d_model, g·d_head)
    matrix W_o;  // (h·d_head, d_out)
};

inline void check_groups(const char* where, std::size_t heads, std::size_t kv_heads) {
    if (heads == 0 || kv_heads == 0 || kv_heads > heads || heads % kv_heads != 0)
        throw value_error(std::string(where) + ": " + std::to_string(heads) + " query heads cannot share " +
                          std::to_string(kv_heads) + " K/V heads; the K/V heads must divide the query heads");
}

// [kv_group]
/// The K/V head that query head `head` reads: heads are grouped in consecutive runs of h/g.
/// paper: query head h reads K/V head ⌊h·g/H⌋ (Ainslie et al. 2023)
inline std::size_t kv_group(std::size_t head, std::size_t heads, std::size_t kv_heads) {
    check_groups("kv_group", heads, kv_heads);
    if (head >= heads)
        throw value_error("kv_group: head " + std::to_string(head) + " of " + std::to_string(heads) +
                          " (heads count from 0)");
    return head / (heads / kv_heads);
}
// [kv_group]

// [pool_kv]
/// A multi-head K or V projection (d_model, h·d_head) made grouped, (d_model, g·d_head):
/// group k's columns are the mean of its h/g heads' columns (Ainslie et al. 2023, §2.1).
inline matrix pool_kv(const matrix& W, std::size_t heads, std::size_t kv_heads) {
    check_groups("pool_kv", heads, kv_heads);
    require_nonempty("pool_kv", "W", W);
    if (W.shape(1) % heads != 0)
        throw shape_error("pool_kv: W is " + shape_str(W.shape()) + " and its " + std::to_string(W.shape(1)) +
                          " columns do not split into " + std::to_string(heads) + " heads");
    const std::size_t d_head = W.shape(1) / heads, per = heads / kv_heads;
    matrix P = xt::zeros<real>({W.shape(0), kv_heads * d_head});  // (d_model, g·d_head)
    for (std::size_t h = 0; h < heads; ++h)
        for (std::size_t r = 0; r < W.shape(0); ++r)
            for (std::size_t c = 0; c < d_head; ++c) P(r, (h / per) * d_head + c) += W(r, h * d_head + c) / real(per);
    return P;
}
// [pool_kv]

/// Every intermediate of a grouped-query call.
struct gqa_steps {
    std::vector<matrix> S;  // per query head: (n, n) scaled scores
    std::vector<matrix> P;  // per query head: (n, n) attention weights
    matrix K, V;            // (n, g·d_head): what the cache would hold
    matrix O;               // (n, d_out)
};

// [gqa]
/// Grouped-query self-attention. X is (n, d_model). Query head i uses K/V head kv_group(i).
inline gqa_steps gqa_explained(const matrix& X, const gqa_weights& w, std::size_t heads, std::size_t kv_heads) {
    check_groups("grouped_query_attention", heads, kv_heads);
    require_nonempty("grouped_query_attention", "X", X);
    require_shapes(X.shape(1) == w.W_q.shape(0), "grouped_query_attention", "X", X, "W_q", w.W_q,
                   "W_q needs one row per embedding column");
    require_shapes(w.W_k.shape() == w.W_v.shape() && w.W_k.shape(0) == X.shape(1), "grouped_query_attention", "W_k",
                   w.W_k, "W_v", w.W_v, "W_k and W_v are both (d_model, g·d_head)");
    if (w.W_q.shape(1) % heads != 0 || w.W_q.shape(1) / heads * kv_heads != w.W_k.shape(1))
        throw shape_error("grouped_query_attention: W_q is " + shape_str(w.W_q.shape()) + " but W_k is " +
                          shape_str(w.W_k.shape()) + "; with " + std::to_string(heads) + " query heads and " +
                          std::to_string(kv_heads) + " K/V heads of the same width, W_k has " +
                          std::to_string(kv_heads) + "/" + std::to_string(heads) + " of W_q's columns");
    require_shapes(w.W_o.shape(0) == w.W_q.shape(1), "grouped_query_attention", "W_o", w.W_o, "W_q", w.W_q,
                   "W_o needs one row per concatenated output column (h·d_head)");
    gqa_steps r;
    const matrix Q = project(X, w.W_q);  // (n, h·d_head)
    r.K = project(X, w.W_k);             // (n, g·d_head)
    r.V = project(X, w.W_v);             // (n, g·d_head)
    std::vector<matrix> outs;
    for (std::size_t h = 0; h < heads; ++h) {
        const std::size_t g = kv_group(h, heads, kv_heads);
        const attention_steps s =
            attention_explained(head_slice(Q, h, heads), head_slice(r.K, g, kv_heads), head_slice(r.V, g, kv_heads));
        r.S.push_back(s.S);
        r.P.push_back(s.P);
        outs.push_back(s.O);  // (n, d_head)
    }
    r.O = project(concat_heads(outs), w.W_o);  // (n, d_out)
    return r;
}

inline matrix grouped_query_attention(const matrix& X, const gqa_weights& w, std::size_t heads, std::size_t kv_heads) {
    return gqa_explained(X, w, heads, kv_heads).O;
}
// [gqa]

/// A multi-head layer turned grouped by pooling its K and V projections.
inline gqa_weights from_multihead(const mha_weights& w, std::size_t heads, std::size_t kv_heads) {
    return {w.W_q, pool_kv(w.W_k, heads, kv_heads), pool_kv(w.W_v, heads, kv_heads), w.W_o};
}

/// What sharing K/V heads changes, and what it does not, in one layer.
struct gqa_costs {
    double attention_flops;        // Q·Kᵀ and P·V over every query head: 4·h·n_q·n_kv·d_head, whatever g is
    double cache_bytes_per_token;  // a key and a value per K/V head: 2·g·d_head·bytes
    ATTN_FIELDS(attention_flops, cache_bytes_per_token)
};

/// h query heads reading g K/V heads of width d_head, n_q queries against n_kv keys, no mask.
inline gqa_costs gqa_cost(std::size_t n_q, std::size_t n_kv, std::size_t heads, std::size_t kv_heads,
                          std::size_t d_head, std::size_t bytes_per_value = 2) {
    check_groups("gqa_cost", heads, kv_heads);
    return {4.0 * double(heads) * double(n_q) * double(n_kv) * double(d_head),
            2.0 * double(kv_heads) * double(d_head) * double(bytes_per_value)};
}

}  // namespace attn
