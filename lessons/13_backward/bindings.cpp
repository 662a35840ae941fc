// lessons/13_backward/bindings.cpp — what lesson 13's page can call.
//
//   example()                                  -> {ok, Q, K, V, dO}
//   grads(Q, K, V, dO, causal)                 -> {ok, P, dQ, dK, dV}        float64 inside
//   check(Q, K, V, dO, which, i, j, causal)    -> {ok, analytic, h, e32, e64}
//        the finite difference of element (i, j) of Q, K or V against the backward pass, at
//        h = 1e-1 .. 1e-9, as the absolute error in float32 and in float64
#include <cmath>
#include <string>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

attn::matrix64 to64(const val& v, const char* name) { return xt::cast<double>(web::to_matrix(v, name)); }

val example() {
    return web::guarded([] {
        const auto e = lesson13::fixed_example();
        val out = val::object();
        out.set("Q", web::from_matrix(xt::cast<float>(e.Q)));
        out.set("K", web::from_matrix(xt::cast<float>(e.K)));
        out.set("V", web::from_matrix(xt::cast<float>(e.V)));
        out.set("dO", web::from_matrix(xt::cast<float>(e.dO)));
        return out;
    });
}

val grads(val q, val k, val v, val d, bool causal) {
    return web::guarded([&] {
        const attn::matrix64 Q = to64(q, "Q"), K = to64(k, "K"), V = to64(v, "V"), dO = to64(d, "dO");
        const auto g = attn::attention_backward(Q, K, V, dO, causal);
        val out = val::object();
        out.set("P", web::from_matrix(xt::cast<float>(attn::attention_forward(Q, K, V, causal).P)));
        out.set("dQ", web::from_matrix(xt::cast<float>(g.dQ)));
        out.set("dK", web::from_matrix(xt::cast<float>(g.dK)));
        out.set("dV", web::from_matrix(xt::cast<float>(g.dV)));
        return out;
    });
}

val check(val q, val k, val v, val d, val of, val iv, val jv, bool causal) {
    return web::guarded([&] {
        const std::string which = web::to_text(of, "check: which gradient");
        const attn::matrix64 Q = to64(q, "Q"), K = to64(k, "K"), V = to64(v, "V"), dO = to64(d, "dO");
        if (which != "Q" && which != "K" && which != "V") throw attn::value_error("check: which must be Q, K or V");
        const attn::grad_of w = which == "Q" ? attn::grad_of::Q : which == "K" ? attn::grad_of::K : attn::grad_of::V;
        const attn::matrix64& X = w == attn::grad_of::Q ? Q : w == attn::grad_of::K ? K : V;
        const std::size_t i = web::to_whole(iv, "row", 0, double(X.shape(0)) - 1), j = web::to_whole(jv, "column", 0, double(X.shape(1)) - 1);
        const auto g = attn::attention_backward(Q, K, V, dO, causal);
        const attn::matrix Qf = xt::cast<float>(Q), Kf = xt::cast<float>(K), Vf = xt::cast<float>(V), dOf = xt::cast<float>(dO);
        const auto gf = attn::attention_backward<float>(Qf, Kf, Vf, dOf, causal);
        const auto pick = [&](const auto& G) { return w == attn::grad_of::Q ? G.dQ(i, j) : w == attn::grad_of::K ? G.dK(i, j) : G.dV(i, j); };
        val hs = val::array(), e32 = val::array(), e64 = val::array();
        for (int p = 1; p <= 9; ++p) {
            const double h = std::pow(10.0, -p);
            hs.call<void>("push", h);
            e32.call<void>("push", std::abs(double(attn::finite_difference<float>(Qf, Kf, Vf, dOf, w, i, j, float(h), causal)) - double(pick(gf))));
            e64.call<void>("push", std::abs(attn::finite_difference(Q, K, V, dO, w, i, j, h, causal) - pick(g)));
        }
        val out = val::object();
        out.set("analytic", pick(g));
        out.set("h", hs);
        out.set("e32", e32);
        out.set("e64", e64);
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson13) {
    emscripten::function("example", &example);
    emscripten::function("grads", &grads);
    emscripten::function("check", &check);
}
