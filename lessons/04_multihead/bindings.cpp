// lessons/04_multihead/bindings.cpp — what lesson 04's page can call.
//
//   example()                              -> {ok, tokens, X, W_q, W_k, W_v, W_o, heads}
//   run(X, W_q, W_k, W_v, W_o, heads)      -> {ok, P: [one (n, n) per head], O}
//   cost(n, d_model, heads)                -> {ok, params, flops, exps, score_floats, d_k}
#include <cmath>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

val example() {
    return web::guarded([] {
        const auto ex = lesson04::fixed_example();
        val out = val::object();
        out.set("tokens", web::from_strings(ex.tokens));
        out.set("X", web::from_matrix(ex.X));
        out.set("W_q", web::from_matrix(ex.w.W_q));
        out.set("W_k", web::from_matrix(ex.w.W_k));
        out.set("W_v", web::from_matrix(ex.w.W_v));
        out.set("W_o", web::from_matrix(ex.w.W_o));
        out.set("heads", static_cast<double>(ex.heads));
        return out;
    });
}

val run(val X, val W_q, val W_k, val W_v, val W_o, val heads) {
    return web::guarded([&] {
        const attn::matrix x = web::to_matrix(X, "X");
        const attn::mha_weights w{web::to_matrix(W_q, "W_q"), web::to_matrix(W_k, "W_k"), web::to_matrix(W_v, "W_v"),
                                  web::to_matrix(W_o, "W_o")};
        const attn::multihead_steps m = attn::multihead_explained(x, x, w, web::to_whole(heads, "heads", 1, 64));
        val P = val::array();
        for (const auto& h : m.heads) P.call<void>("push", web::from_matrix(h.P));
        val out = val::object();
        out.set("P", P);
        out.set("O", web::from_matrix(m.O));
        return out;
    });
}

val cost(val n, val d_model, val heads) {
    return web::guarded([&] {
        const std::size_t N = web::to_whole(n, "n", 1, 1 << 20), D = web::to_whole(d_model, "d_model", 1, 1 << 16),
                          H = web::to_whole(heads, "heads", 1, 1024);
        if (D % H != 0)
            throw attn::value_error(std::to_string(H) + " heads do not divide d_model = " + std::to_string(D) + " evenly");
        const attn::mha_cost c = attn::multihead_cost(N, N, D, H, D / H, D / H, D);
        val out = val::object();
        out.set("params", c.params);
        out.set("flops", c.flops);
        out.set("exps", c.exps);
        out.set("score_floats", c.score_floats);
        out.set("d_k", static_cast<double>(D / H));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson04) {
    emscripten::function("example", &example);
    emscripten::function("run", &run);
    emscripten::function("cost", &cost);
}
