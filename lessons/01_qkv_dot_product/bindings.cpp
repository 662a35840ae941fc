// lessons/01_qkv_dot_product/bindings.cpp — what lesson 01's page can call.
//
//   example()                -> {ok, tokens, X, W_q, W_k, W_v}   the fixed example
//   compute(X, W_q, W_k, W_v) -> {ok, Q, K, V, S} or {ok: false, error}
//
// Thin by design: validate and convert (web/bind/convert.hpp), call attn::,
// convert back. Matrices travel as arrays of rows; cells may be numbers or the
// text the learner typed.
#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

val example() {
    return web::guarded([] {
        const auto ex = lesson01::fixed_example();
        val out = val::object();
        out.set("tokens", web::from_strings(ex.tokens));
        out.set("X", web::from_matrix(ex.X));
        out.set("W_q", web::from_matrix(ex.W_q));
        out.set("W_k", web::from_matrix(ex.W_k));
        out.set("W_v", web::from_matrix(ex.W_v));
        return out;
    });
}

val compute(val X, val W_q, val W_k, val W_v) {
    return web::guarded([&] {
        const attn::qkv p = attn::project_qkv(web::to_matrix(X, "X"), web::to_matrix(W_q, "W_q"),
                                              web::to_matrix(W_k, "W_k"), web::to_matrix(W_v, "W_v"));
        val out = val::object();
        out.set("Q", web::from_matrix(p.Q));
        out.set("K", web::from_matrix(p.K));
        out.set("V", web::from_matrix(p.V));
        out.set("S", web::from_matrix(attn::scores(p.Q, p.K)));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson01) {
    emscripten::function("example", &example);
    emscripten::function("compute", &compute);
}
