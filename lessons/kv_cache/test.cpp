// Lesson 10 — the KV cache: prefill, decode, and their equality with causal attention.
// Runs against attn:: (native and wasm) and against lessons/09/exercise.cpp.
#include <algorithm>
#include <array>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using attn::vector;
using testing::AllClose;
using testing::random_matrix;

TEST_CASE("append: fills row `length` and grows it; refuses wrong widths and a full cache", "[kv_cache][append]") {
    attn::kv_cache c(2, 3, 2);
    impl::append(c, vector{1, 2, 3}, vector{4, 5});
    REQUIRE(c.length == 1);
    CHECK(c.K(0, 2) == 3);
    CHECK(c.V(0, 1) == 5);
    impl::append(c, vector{6, 7, 8}, vector{9, 10});
    REQUIRE(c.length == 2);
    CHECK(c.K(1, 0) == 6);
    CHECK(c.V(1, 1) == 10);
    CHECK_THROWS_AS(impl::append(c, vector{1, 2, 3}, vector{4, 5}), attn::value_error);  // full
    attn::kv_cache d(4, 3, 2);
    CHECK_THROWS_AS(impl::append(d, vector{1, 2}, vector{4, 5}), attn::shape_error);
    CHECK_THROWS_AS(impl::append(d, vector{1, 2, 3}, vector{4, 5, 6}), attn::shape_error);
    CHECK(d.length == 0);
    CHECK_THROWS_AS(attn::kv_cache(0, 3, 2), attn::value_error);
}

TEST_CASE("decode_step: one query against exactly the cached rows", "[kv_cache][decode]") {
    const matrix K = random_matrix(5, 4, 1), V = random_matrix(5, 3, 2), q = random_matrix(1, 4, 3);
    attn::kv_cache c(8, 4, 3);  // room for 8, 5 filled: rows 5..7 are zeros and must not count
    for (std::size_t t = 0; t < 5; ++t) impl::append(c, xt::row(K, t), xt::row(V, t));
    const vector o = impl::decode_step(c, xt::row(q, 0));
    const matrix got = xt::view(o, xt::newaxis(), xt::all());
    CHECK_THAT(got, AllClose(oracle::attention(q, K, V), 1e-6, 1e-6));
    CHECK_THROWS_AS(impl::decode_step(c, vector{1, 2}), attn::shape_error);
    attn::kv_cache empty(2, 4, 3);
    CHECK_THROWS_AS(impl::decode_step(empty, xt::row(q, 0)), attn::value_error);
}

TEST_CASE("decode_all equals full causal attention, row for row", "[kv_cache][decode][oracle]") {
    const auto e = lessons::kv_cache::fixed_example();
    const attn::mask causal = attn::causal_mask(6);
    CHECK_THAT(impl::decode_all(e.Q, e.K, e.V), AllClose(oracle::attention(e.Q, e.K, e.V, &causal), 1e-6, 1e-6));
    for (auto [n, d_k, d_v] : std::vector<std::array<std::size_t, 3>>{{1, 1, 1}, {7, 3, 5}, {300, 64, 32}}) {
        const matrix Q = random_matrix(n, d_k, 10 + n), K = random_matrix(n, d_k, 20 + n),
                     V = random_matrix(n, d_v, 30);
        const attn::mask M = attn::causal_mask(n);
        INFO("n " << n << ", d_k " << d_k << ", d_v " << d_v);
        CHECK_THAT(impl::decode_all(Q, K, V), AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
    }
    CHECK_THROWS_AS(impl::decode_all(random_matrix(3, 4, 1), random_matrix(3, 5, 2), random_matrix(3, 2, 3)),
                    attn::shape_error);
}

TEST_CASE("prefill then decode gives the same rows as decoding from the start", "[kv_cache][prefill]") {
    const auto e = lessons::kv_cache::fixed_example();
    attn::kv_cache c(6, 4, 4);
    const auto rows = [](const matrix& M, std::size_t a, std::size_t b) {
        return matrix(xt::view(M, xt::range(a, b), xt::all()));
    };
    const matrix first = attn::prefill(c, rows(e.Q, 0, 3), rows(e.K, 0, 3), rows(e.V, 0, 3));
    const matrix all = attn::decode_all(e.Q, e.K, e.V);
    CHECK_THAT(first, AllClose(oracle::to64(rows(all, 0, 3)), 1e-6, 1e-6));
    for (std::size_t t = 3; t < 6; ++t) {
        attn::append(c, xt::row(e.K, t), xt::row(e.V, t));
        const matrix o = xt::view(attn::decode_step(c, xt::row(e.Q, t)), xt::newaxis(), xt::all());
        CHECK_THAT(o, AllClose(oracle::to64(rows(all, t, t + 1)), 1e-6, 1e-6));
    }
    CHECK_THROWS_AS(attn::prefill(c, e.Q, e.K, e.V), attn::value_error);  // already filled
}

TEST_CASE("chunked prefill: a prompt fed in pieces gives the same output as fed whole", "[kv_cache][prefill]") {
    for (std::size_t n : {1, 7, 64, 130, 300})
        for (std::size_t chunk : {1, 3, 64, 500}) {
            INFO("n " << n << ", chunks of " << chunk);
            const matrix Q = random_matrix(n, 16, 5), K = random_matrix(n, 16, 6), V = random_matrix(n, 8, 7);
            const attn::mask M = attn::causal_mask(n);
            const attn::matrix64 whole = oracle::attention(Q, K, V, &M);
            attn::kv_cache c(n, 16, 8);
            matrix O = xt::zeros<float>({n, std::size_t(8)});
            for (std::size_t t0 = 0; t0 < n; t0 += chunk) {
                const std::size_t t1 = std::min(n, t0 + chunk);
                auto part = [&](const matrix& A) { return matrix(xt::view(A, xt::range(t0, t1), xt::all())); };
                xt::view(O, xt::range(t0, t1), xt::all()) = attn::prefill(c, part(Q), part(K), part(V));
            }
            CHECK(c.length == n);
            CHECK_THAT(O, AllClose(whole, 1e-6, 1e-5));
        }
}

TEST_CASE("cost: linear per token with the cache, quadratic without; bytes of a whole model", "[kv_cache][cost]") {
    const auto a = attn::decode_cost(1000, 128, 128), b = attn::decode_cost(2000, 128, 128);
    CHECK(a.cached == 2.0 * 1000 * 256);
    CHECK(b.cached / a.cached == Approx(2));
    CHECK(b.recompute / a.recompute == Approx(4).epsilon(0.01));
    const auto m = attn::published_model("Llama 2 7B");
    CHECK(attn::kv_cache_bytes(m.layers, m.kv_heads, m.d_head, m.context, m.bytes) == 2.0 * 1024 * 1024 * 1024);
    CHECK_THROWS_AS(attn::decode_cost(0, 1, 1), attn::value_error);
}
