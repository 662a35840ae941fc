// attn/kv_cache.hpp — lesson 10: the KV cache and autoregressive decoding.
//
// Teaches: a decoder writes one token at a time, and under a causal mask the
// keys and values of the tokens already written never change. So keep them:
// a cache of K and V rows, filled once for the prompt ("prefill", one matrix
// pass) and grown by one row per generated token ("decode"). Each new token
// then costs one query against t cached keys, 2·t·(d_k + d_v) FLOPs, linear in
// the context, instead of re-running causal attention over the whole prefix,
// quadratic in it. The price is memory: 2·layers·kv_heads·d_head·tokens values,
// which is what limits context length and batch size in serving.
// Decoding with the cache gives exactly the rows of full causal attention
// (tests/lesson09_kv_cache.cpp proves it). A long prompt can be prefilled in
// chunks: each chunk's queries attend to everything cached so far, which is
// causal attention with n_q < n_k, the queries being the last n_q positions
// (lesson 06); the chunks' outputs together equal the whole prompt's.
// Leaves out: paging the cache into blocks (PagedAttention), quantising it,
// and sharing it across heads (lesson 11).
// Run it: `attnlab lesson 10`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "attention.hpp"
#include "cost.hpp"
#include "format.hpp"
#include "mask.hpp"
#include "shape.hpp"
#include "softmax.hpp"
#include "tensor.hpp"

namespace attn {

/// Room for `capacity` tokens' keys and values, allocated once; `length` rows are filled.
struct kv_cache {
    matrix K;                // (capacity, d_k): row t is token t's key
    matrix V;                // (capacity, d_v): row t is token t's value
    std::size_t length = 0;  // tokens cached so far

    kv_cache(std::size_t capacity, std::size_t d_k, std::size_t d_v) {
        if (capacity == 0 || d_k == 0 || d_v == 0)
            throw value_error("kv_cache: capacity " + std::to_string(capacity) + ", d_k " + std::to_string(d_k) +
                              ", d_v " + std::to_string(d_v) + "; each must be at least 1");
        K = xt::zeros<real>({capacity, d_k});
        V = xt::zeros<real>({capacity, d_v});
    }
    std::size_t capacity() const { return K.shape(0); }
    std::size_t d_k() const { return K.shape(1); }
    std::size_t d_v() const { return V.shape(1); }
};

namespace detail {
inline void require_room(const kv_cache& c, std::size_t more) {
    if (c.length + more > c.capacity())
        throw value_error("kv_cache: holds " + std::to_string(c.capacity()) + " tokens and " +
                          std::to_string(c.length) + " are cached; " + std::to_string(more) +
                          " more do not fit (make the cache as long as the longest context)");
}
/// k and v fit the cache's rows, or a shape_error naming both shapes and the cache's widths.
inline void require_token(const kv_cache& c, const vector& k, const vector& v, const char* who) {
    if (k.size() != c.d_k() || v.size() != c.d_v())
        throw shape_error(std::string(who) + ": k is " + shape_str(k.shape()) + " and v is " + shape_str(v.shape()) +
                          " but the cache holds keys of " + std::to_string(c.d_k()) + " and values of " +
                          std::to_string(c.d_v()));
}
}  // namespace detail

// [append]
/// Caches one token: k (d_k) and v (d_v) become row `length`, which then grows by one.
inline void append(kv_cache& c, const vector& k, const vector& v) {
    detail::require_token(c, k, v, "append");
    detail::require_room(c, 1);
    for (std::size_t x = 0; x < c.d_k(); ++x) c.K(c.length, x) = k(x);
    for (std::size_t x = 0; x < c.d_v(); ++x) c.V(c.length, x) = v(x);
    ++c.length;
}
// [append]

// [decode_step]
/// One new query against every cached key: softmax(q·K[0..t)ᵀ/√d_k)·V[0..t). q is (d_k); returns (d_v).
/// No mask is needed: the cache holds only the past (and the token itself, appended first).
/// paper: o_t = softmax(q_t·K_{≤t}ᵀ/√d_k)·V_{≤t}
inline vector decode_step(const kv_cache& c, const vector& q) {
    if (q.size() != c.d_k())
        throw shape_error("decode_step: q is " + shape_str(q.shape()) + " but the cached keys are (" +
                          std::to_string(c.length) + ", " + std::to_string(c.d_k()) + "); q needs d_k entries");
    if (c.length == 0) throw value_error("decode_step: the cache is empty; append this token's key and value first");
    const real scale = real(1) / std::sqrt(static_cast<real>(c.d_k()));
    vector s = xt::zeros<real>({c.length});  // (t): one score per cached key
    for (std::size_t j = 0; j < c.length; ++j) {
        real dot = 0;
        for (std::size_t x = 0; x < c.d_k(); ++x) dot += q(x) * c.K(j, x);
        s(j) = dot * scale;
    }
    const vector p = softmax(s);            // (t)
    vector o = xt::zeros<real>({c.d_v()});  // (d_v) = Σ_j p_j v_j
    for (std::size_t j = 0; j < c.length; ++j)
        for (std::size_t x = 0; x < c.d_v(); ++x) o(x) += p(j) * c.V(j, x);
    return o;
}
// [decode_step]

// [decode_all]
/// Decodes a whole sequence token by token through a cache: row t of the result is
/// decode_step after appending k_t, v_t. Q, K (n, d_k), V (n, d_v). Equals causal attention.
inline matrix decode_all(const matrix& Q, const matrix& K, const matrix& V) {
    require_nonempty("decode_all", "Q", Q);
    require_nonempty("decode_all", "V", V);
    require_shapes(Q.shape() == K.shape(), "decode_all", "Q", Q, "K", K,
                   "each token has one query and one key of the same width");
    require_shapes(K.shape(0) == V.shape(0), "decode_all", "K", K, "V", V, "each token has one key and one value");
    kv_cache c(Q.shape(0), Q.shape(1), V.shape(1));
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});  // (n, d_v)
    for (std::size_t t = 0; t < Q.shape(0); ++t) {
        append(c, xt::row(K, t), xt::row(V, t));
        xt::row(O, t) = decode_step(c, xt::row(Q, t));
    }
    return O;
}
// [decode_all]

// [prefill]
/// Prefill: caches every row of K and V after what the cache already holds, and returns
/// the causal attention of these queries over every cached key, (n, d_v). On an empty
/// cache that is the prompt's causal attention; called chunk after chunk, it is chunked
/// prefill: the new queries sit at the last n positions (bottom-right causal mask).
inline matrix prefill(kv_cache& c, const matrix& Q, const matrix& K, const matrix& V) {
    require_shapes(Q.shape() == K.shape(), "prefill", "Q", Q, "K", K, "each token has one query and one key");
    require_shapes(K.shape(0) == V.shape(0), "prefill", "K", K, "V", V, "each token has one key and one value");
    require_nonempty("prefill", "Q", Q);
    if (K.shape(1) != c.d_k() || V.shape(1) != c.d_v())
        throw shape_error("prefill: K is " + shape_str(K.shape()) + " and V is " + shape_str(V.shape()) +
                          " but the cache is for keys of " + std::to_string(c.d_k()) + " and values of " +
                          std::to_string(c.d_v()));
    detail::require_room(c, K.shape(0));  // all or nothing: refuse before caching any row
    for (std::size_t t = 0; t < K.shape(0); ++t) append(c, xt::row(K, t), xt::row(V, t));
    const matrix K_all = xt::view(c.K, xt::range(0, c.length), xt::all());  // (t, d_k): every cached key
    const matrix V_all = xt::view(c.V, xt::range(0, c.length), xt::all());  // (t, d_v)
    return causal_attention(Q, K_all, V_all);  // (n, d_v): query r sits at position t - n + r
}
// [prefill]

// [decode_through_cache]
/// The first t tokens through a cache: min(t, prompt) prefilled, the rest decoded one by one.
struct cached_decoding {
    matrix K_cache, V_cache;  // (t, d): the cache's filled rows
    matrix O;                 // (t, d_v): the outputs, from the cache
    matrix causal;            // (t, d_v): full causal attention's first t rows, to compare
    vector weights;           // the newest query's weights over the cached keys
    double diff;              // max |O - causal|
    ATTN_FIELDS(K_cache, V_cache, O, causal, weights, diff)
};

inline cached_decoding decode_through_cache(const matrix& Q, const matrix& K, const matrix& V, std::size_t t,
                                            std::size_t prompt_length) {
    require_shapes(Q.shape() == K.shape(), "decode_through_cache", "Q", Q, "K", K,
                   "each token has a query and a key of the same width");
    require_shapes(K.shape(0) == V.shape(0), "decode_through_cache", "K", K, "V", V,
                   "each token has one key and one value");
    const std::size_t n = Q.shape(0);
    require_whole_in("tokens decoded", double(t), 0, double(n));
    require_whole_in("prompt length", double(prompt_length), 0, double(n));
    const std::size_t prompt = std::min(t, prompt_length);
    auto rows = [](const matrix& M, std::size_t a, std::size_t b) {
        return matrix(xt::view(M, xt::range(a, b), xt::all()));
    };
    kv_cache c(n, Q.shape(1), V.shape(1));
    cached_decoding r{{}, {}, xt::zeros<real>({t, V.shape(1)}), xt::zeros<real>({t, V.shape(1)}), {}, 0};
    if (prompt > 0)
        xt::view(r.O, xt::range(0, prompt), xt::all()) =
            prefill(c, rows(Q, 0, prompt), rows(K, 0, prompt), rows(V, 0, prompt));
    for (std::size_t s = prompt; s < t; ++s) {
        append(c, xt::row(K, s), xt::row(V, s));
        xt::row(r.O, s) = decode_step(c, xt::row(Q, s));
    }
    r.K_cache = rows(c.K, 0, t), r.V_cache = rows(c.V, 0, t);
    if (t > 0) {
        r.causal = rows(causal_attention(Q, K, V), 0, t);
        r.diff = max_abs_diff(r.O, r.causal);
        r.weights = xt::row(softmax_rows(scaled_scores(rows(Q, t - 1, t), r.K_cache)), 0);
        require_finite("decode_through_cache", "O", r.O);  // the page's values: float32 may overflow
    } else {
        r.weights = xt::zeros<real>({std::size_t(0)});
    }
    return r;
}
// [decode_through_cache]

/// FLOPs of the attention for the token at position t (1-based: it sees t keys).
struct decode_flops {
    double cached;     // one query against t cached keys: 2·t·(d_k + d_v)
    double recompute;  // no cache: causal attention over the whole prefix again, 2·t(t+1)/2·(d_k + d_v)
};

inline decode_flops decode_cost(std::size_t t, std::size_t d_k, std::size_t d_v) {
    if (t == 0) throw value_error("decode_cost: position t counts from 1");
    return {2.0 * double(t) * double(d_k + d_v), attention_cost_model(t, t, d_k, d_v, true).flops};
}

// [cache_bytes]
/// The cache of a whole model: keys and values (2) for every layer, KV head and token.
inline double kv_cache_bytes(std::size_t layers, std::size_t kv_heads, std::size_t d_head, std::size_t tokens,
                             std::size_t bytes_per_value) {
    return 2.0 * double(layers) * double(kv_heads) * double(d_head) * double(tokens) * double(bytes_per_value);
}
// [cache_bytes]

}  // namespace attn
