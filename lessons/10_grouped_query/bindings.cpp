// lessons/10_grouped_query/bindings.cpp — what lesson 10's page can call.
//
//   example()                    -> {ok, tokens, X, heads}
//   grouped(X, kv_heads)         -> {ok, P: [per query head (n, n)], groups: [K/V head per query head],
//                                    O, mha, diff, relative, cache_floats}
//        the example's multi-head layer with its K and V heads pooled into kv_heads groups
#include <cmath>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

val example() {
    return web::guarded([] {
        const auto e = lesson10::fixed_example();
        val out = val::object();
        out.set("tokens", web::from_strings(e.tokens));
        out.set("X", web::from_matrix(e.X));
        out.set("heads", static_cast<int>(e.heads));
        return out;
    });
}

val grouped(val xv, val gv) {
    return web::guarded([&] {
        const auto e = lesson10::fixed_example();
        const attn::matrix X = web::to_matrix(xv, "X");
        const std::size_t g = web::to_whole(gv, "K/V heads", 1, double(e.heads));
        const attn::gqa_steps s = attn::gqa_explained(X, attn::from_multihead(e.w, e.heads, g), e.heads, g);
        const attn::matrix mha = attn::multihead_self_attention(X, e.w, e.heads);
        const auto [d, relative] = lesson10::distance(s.O, mha);
        val P = val::array(), groups = val::array();
        for (std::size_t h = 0; h < e.heads; ++h) {
            P.call<void>("push", web::from_matrix(s.P[h]));
            groups.call<void>("push", static_cast<int>(attn::kv_group(h, e.heads, g)));
        }
        val out = val::object();
        out.set("P", P);
        out.set("groups", groups);
        out.set("O", web::from_matrix(s.O));
        out.set("mha", web::from_matrix(mha));
        out.set("diff", d);
        out.set("relative", relative);
        out.set("cache_floats", static_cast<double>(s.K.shape(1) + s.V.shape(1)));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson10) {
    emscripten::function("example", &example);
    emscripten::function("grouped", &grouped);
}
