// lessons/05_masking/bindings.cpp — what lesson 05's page can call.
//
//   example()                          -> {ok, tokens, valid, X, W_q, W_k, W_v}
//   compose(n, causal, valid)          -> {ok, mask}            (1 = may attend)
//   run(X, W_q, W_k, W_v, mask, big)   -> {ok, S, P, O}         big: fill -1e9 instead of -inf
//   future(X, W_q, W_k, W_v, mask, i)  -> {ok, upto, after}     max |ΔO| in rows ≤ i and > i when
//                                                               every token after i is replaced
#include <cmath>
#include <limits>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

attn::mask to_mask(val v) {
    const attn::matrix m = web::to_matrix(v, "mask");
    attn::mask M = xt::zeros<bool>(m.shape());
    for (std::size_t k = 0; k < m.size(); ++k) {
        if (m.data()[k] != 0 && m.data()[k] != 1) throw attn::value_error("mask entries must be 0 or 1");
        M.data()[k] = m.data()[k] != 0;
    }
    return M;
}

val from_mask(const attn::mask& M) {
    attn::matrix m = xt::zeros<float>(M.shape());
    for (std::size_t k = 0; k < M.size(); ++k) m.data()[k] = M.data()[k] ? 1.0f : 0.0f;
    return web::from_matrix(m);
}

val example() {
    return web::guarded([] {
        const auto ex = lesson05::fixed_example();
        val out = val::object();
        out.set("tokens", web::from_strings(ex.tokens));
        out.set("valid", static_cast<double>(ex.valid));
        out.set("X", web::from_matrix(ex.X));
        out.set("W_q", web::from_matrix(ex.W_q));
        out.set("W_k", web::from_matrix(ex.W_k));
        out.set("W_v", web::from_matrix(ex.W_v));
        return out;
    });
}

val compose(val n, bool causal, val valid) {
    return web::guarded([&] {
        const std::size_t N = web::to_whole(n, "n", 1, 4096);
        attn::mask M = attn::padding_mask(N, N, web::to_whole(valid, "valid", 0, double(N)));
        if (causal) M = attn::combine(M, attn::causal_mask(N));
        val out = val::object();
        out.set("mask", from_mask(M));
        return out;
    });
}

val run(val X, val W_q, val W_k, val W_v, val mask, bool big) {
    return web::guarded([&] {
        const attn::qkv p = attn::project_qkv(web::to_matrix(X, "X"), web::to_matrix(W_q, "W_q"),
                                              web::to_matrix(W_k, "W_k"), web::to_matrix(W_v, "W_v"));
        const float fill = big ? -1e9f : -std::numeric_limits<float>::infinity();
        const attn::attention_steps a = attn::masked_attention_explained(p.Q, p.K, p.V, to_mask(mask), fill);
        val out = val::object();
        out.set("S", web::from_matrix(a.S));
        out.set("P", web::from_matrix(a.P));
        out.set("O", web::from_matrix(a.O));
        return out;
    });
}

val future(val X, val W_q, val W_k, val W_v, val mask, val position) {
    return web::guarded([&] {
        const attn::matrix x = web::to_matrix(X, "X"), wq = web::to_matrix(W_q, "W_q"), wk = web::to_matrix(W_k, "W_k"),
                           wv = web::to_matrix(W_v, "W_v");
        const attn::mask M = to_mask(mask);
        const std::size_t i = web::to_whole(position, "position", 0, double(x.shape(0) - 1));
        const attn::qkv a = attn::project_qkv(x, wq, wk, wv);
        const attn::qkv b = attn::project_qkv(lesson05::perturb_after(x, i, 7), wq, wk, wv);
        const attn::matrix Oa = attn::masked_attention(a.Q, a.K, a.V, M), Ob = attn::masked_attention(b.Q, b.K, b.V, M);
        double upto = 0, after = 0;
        for (std::size_t r = 0; r < Oa.shape(0); ++r)
            for (std::size_t c = 0; c < Oa.shape(1); ++c) {
                const double d = std::abs(double(Oa(r, c)) - double(Ob(r, c)));
                (r <= i ? upto : after) = std::max(r <= i ? upto : after, d);
            }
        val out = val::object();
        out.set("upto", upto);
        out.set("after", after);
        out.set("O_after", web::from_matrix(Ob));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson05) {
    emscripten::function("example", &example);
    emscripten::function("compose", &compose);
    emscripten::function("run", &run);
    emscripten::function("future", &future);
}
