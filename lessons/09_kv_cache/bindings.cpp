// lessons/09_kv_cache/bindings.cpp — what lesson 09's page can call.
//
//   example()                      -> {ok, tokens, Q, K, V, prompt}
//   decode(Q, K, V, t, prompt)     -> {ok, K_cache, V_cache, O, causal, weights, diff}
//        the first t tokens: min(t, prompt) prefilled, the rest decoded one by one;
//        weights are the newest query's over the cached keys; diff = max |O - causal|
//   cost(T, d)                     -> {ok, t, cached, recompute}   attention FLOPs per token
//   memory(layers, kv_heads, d_head, tokens, bytes) -> {ok, bytes, per_token, text}
#include <algorithm>
#include <cmath>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

attn::matrix rows(const attn::matrix& M, std::size_t a, std::size_t b) { return xt::view(M, xt::range(a, b), xt::all()); }

val example() {
    return web::guarded([] {
        const auto e = lesson09::fixed_example();
        val out = val::object();
        out.set("tokens", web::from_strings(e.tokens));
        out.set("Q", web::from_matrix(e.Q));
        out.set("K", web::from_matrix(e.K));
        out.set("V", web::from_matrix(e.V));
        out.set("prompt", static_cast<int>(e.prompt));
        return out;
    });
}

val decode(val qv, val kv, val vv, val tv, val pv) {
    return web::guarded([&] {
        const attn::matrix Q = web::to_matrix(qv, "Q"), K = web::to_matrix(kv, "K"), V = web::to_matrix(vv, "V");
        attn::require_shapes(Q.shape() == K.shape(), "decode", "Q", Q, "K", K, "each token has a query and a key of the same width");
        attn::require_shapes(K.shape(0) == V.shape(0), "decode", "K", K, "V", V, "each token has one key and one value");
        const std::size_t n = Q.shape(0);
        const std::size_t t = web::to_whole(tv, "tokens decoded", 0, double(n));
        const std::size_t prompt = std::min(t, web::to_whole(pv, "prompt length", 0, double(n)));
        attn::kv_cache c(n, Q.shape(1), V.shape(1));
        attn::matrix O = xt::zeros<attn::real>({t, V.shape(1)});
        if (prompt > 0) xt::view(O, xt::range(0, prompt), xt::all()) = attn::prefill(c, rows(Q, 0, prompt), rows(K, 0, prompt), rows(V, 0, prompt));
        for (std::size_t s = prompt; s < t; ++s) {
            attn::append(c, xt::row(K, s), xt::row(V, s));
            xt::row(O, s) = attn::decode_step(c, xt::row(Q, s));
        }
        val out = val::object();
        out.set("K_cache", web::from_matrix(rows(c.K, 0, t)));
        out.set("V_cache", web::from_matrix(rows(c.V, 0, t)));
        out.set("O", web::from_matrix(O));
        double diff = 0;
        if (t > 0) {
            const attn::matrix full = rows(attn::causal_attention(Q, K, V), 0, t);
            out.set("causal", web::from_matrix(full));
            diff = attn::max_abs_diff(O, full);
            const attn::matrix q = rows(Q, t - 1, t);  // the newest query's weights over the cache
            out.set("weights", web::from_vector(xt::row(attn::softmax_rows(attn::scaled_scores(q, rows(c.K, 0, t))), 0)));
        } else {
            out.set("causal", val::array());
            out.set("weights", val::array());
        }
        out.set("diff", diff);
        return out;
    });
}

val cost(val Tv, val dv) {
    return web::guarded([&] {
        const std::size_t T = web::to_whole(Tv, "context length", 1, 1 << 20), d = web::to_whole(dv, "d_head", 1, 4096);
        val ts = val::array(), cached = val::array(), recompute = val::array();
        for (std::size_t k = 1; k <= 16; ++k) {
            const std::size_t t = std::max<std::size_t>(1, T * k / 16);
            const auto c = attn::decode_cost(t, d, d);
            ts.call<void>("push", double(t));
            cached.call<void>("push", c.cached);
            recompute.call<void>("push", c.recompute);
        }
        val out = val::object();
        out.set("t", ts);
        out.set("cached", cached);
        out.set("recompute", recompute);
        return out;
    });
}

val memory(val layers, val kv_heads, val d_head, val tokens, val bytes) {
    return web::guarded([&] {
        const std::size_t L = web::to_whole(layers, "layers", 1, 1000), H = web::to_whole(kv_heads, "K/V heads", 1, 1024),
                          d = web::to_whole(d_head, "d_head", 1, 4096), T = web::to_whole(tokens, "tokens", 1, 1e8),
                          b = web::to_whole(bytes, "bytes per value", 1, 8);
        const double all = attn::kv_cache_bytes(L, H, d, T, b);
        val out = val::object();
        out.set("bytes", all);
        out.set("per_token", attn::kv_cache_bytes(L, H, d, 1, b));
        out.set("text", attn::format_bytes(all));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson09) {
    emscripten::function("example", &example);
    emscripten::function("decode", &decode);
    emscripten::function("cost", &cost);
    emscripten::function("memory", &memory);
}
