// lessons/03_scaled_dot_product/bindings.cpp — what lesson 03's page can call.
//
//   example()                       -> {ok, tokens, X, W_q, W_k, W_v, cross_tokens, X_cross, W_q_cross}
//   self(X, W_q, W_k, W_v)          -> {ok, S, P, O, V}
//   cross(X_q, X_kv, W_q, W_k, W_v) -> {ok, S, P, O, V}
//   build_up(P, V, i)               -> {ok, partials}: after key j, Σ_{j' ≤ j} P(i, j')·v_j'
#include <cmath>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

val steps(const attn::matrix& Q, const attn::matrix& K, const attn::matrix& V) {
    const attn::attention_steps a = attn::attention_explained(Q, K, V);
    val out = val::object();
    out.set("S", web::from_matrix(a.S));
    out.set("P", web::from_matrix(a.P));
    out.set("O", web::from_matrix(a.O));
    out.set("V", web::from_matrix(V));
    return out;
}

val example() {
    return web::guarded([] {
        const auto ex = lesson03::fixed_example();
        val out = val::object();
        out.set("tokens", web::from_strings(ex.tokens));
        out.set("cross_tokens", web::from_strings(ex.cross_tokens));
        out.set("X", web::from_matrix(ex.X));
        out.set("W_q", web::from_matrix(ex.W_q));
        out.set("W_k", web::from_matrix(ex.W_k));
        out.set("W_v", web::from_matrix(ex.W_v));
        out.set("X_cross", web::from_matrix(ex.X_cross));
        out.set("W_q_cross", web::from_matrix(ex.W_q_cross));
        return out;
    });
}

val self(val X, val W_q, val W_k, val W_v) {
    return web::guarded([&] {
        const attn::qkv p = attn::project_qkv(web::to_matrix(X, "X"), web::to_matrix(W_q, "W_q"),
                                              web::to_matrix(W_k, "W_k"), web::to_matrix(W_v, "W_v"));
        return steps(p.Q, p.K, p.V);
    });
}

val cross(val X_q, val X_kv, val W_q, val W_k, val W_v) {
    return web::guarded([&] {
        const attn::matrix Xq = web::to_matrix(X_q, "X_q"), Xkv = web::to_matrix(X_kv, "X_kv");
        const attn::matrix Wq = web::to_matrix(W_q, "W_q"), Wk = web::to_matrix(W_k, "W_k"), Wv = web::to_matrix(W_v, "W_v");
        attn::require_shapes(Xq.shape(1) == Xkv.shape(1), "cross_attention", "X_q", Xq, "X_kv", Xkv,
                             "both sequences need embeddings of the same width (d_model)");
        return steps(attn::project(Xq, Wq), attn::project(Xkv, Wk), attn::project(Xkv, Wv));
    });
}

val build_up(val P, val V, val row) {
    return web::guarded([&] {
        const attn::matrix p = web::to_matrix(P, "P"), v = web::to_matrix(V, "V");
        const std::size_t i = web::to_whole(row, "build_up: the query row", 0, double(p.shape(0)) - 1);
        attn::require_shapes(p.shape(1) == v.shape(0), "build_up", "P", p, "V", v, "P needs one column per row of V");
        // partials(j, :) = Σ_{j' ≤ j} P(i, j')·v_j': the output after the first j + 1 keys
        attn::matrix partials = xt::zeros<float>({p.shape(1), v.shape(1)});
        attn::vector running = xt::zeros<float>({v.shape(1)});
        for (std::size_t j = 0; j < p.shape(1); ++j) {
            for (std::size_t c = 0; c < v.shape(1); ++c) running(c) += p(i, j) * v(j, c);
            xt::row(partials, j) = running;
        }
        val out = val::object();
        out.set("partials", web::from_matrix(partials));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson03) {
    emscripten::function("example", &example);
    emscripten::function("self", &self);
    emscripten::function("cross", &cross);
    emscripten::function("build_up", &build_up);
}
