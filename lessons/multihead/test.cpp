// Lesson 05 — multi-head attention.
// Runs against attn:: (native and wasm) and against lessons/04/exercise.cpp.
#include <array>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using testing::AllClose;
using testing::random_matrix;

namespace {
// Weights with entries of variance 1/d_model, so projections of unit-scale inputs stay unit-scale.
attn::mha_weights random_weights(std::size_t d_model, std::size_t width, std::uint32_t seed) {
    const float a = std::sqrt(3.0f / float(d_model));
    return {random_matrix(d_model, width, seed, -a, a), random_matrix(d_model, width, seed + 1, -a, a),
            random_matrix(d_model, width, seed + 2, -a, a), random_matrix(width, d_model, seed + 3, -a, a)};
}
matrix identity(std::size_t n) { return xt::eye<float>(n); }
}  // namespace

TEST_CASE("head_slice and concat_heads are inverses", "[multihead][heads]") {
    const matrix M = random_matrix(5, 12, 1);
    std::vector<matrix> parts;
    for (std::size_t h = 0; h < 3; ++h) {
        const matrix part = impl::head_slice(M, h, 3);
        REQUIRE(part.shape(1) == 4);
        CHECK(part(2, 1) == M(2, h * 4 + 1));
        parts.push_back(part);
    }
    CHECK_THAT(impl::concat_heads(parts), AllClose(oracle::to64(M), 0, 0));
    CHECK_THROWS_AS(impl::head_slice(M, 0, 5), attn::value_error);  // 12 columns do not split 5 ways
}

TEST_CASE("one head with W_o = I equals single-head attention (lesson 03)", "[multihead][property]") {
    const matrix X = random_matrix(9, 8, 2);
    attn::mha_weights w = random_weights(8, 8, 3);
    w.W_o = identity(8);
    const matrix single = attn::attention(attn::project(X, w.W_q), attn::project(X, w.W_k), attn::project(X, w.W_v));
    CHECK_THAT(impl::multihead_attention(X, X, w, 1), AllClose(oracle::to64(single), 1e-6, 0));
}

TEST_CASE("each head is lesson 03's attention on its own slice of columns", "[multihead][property]") {
    const matrix X = random_matrix(7, 8, 4);
    attn::mha_weights w = random_weights(8, 8, 5);
    w.W_o = identity(8);
    const matrix O = impl::multihead_attention(X, X, w, 4);
    const matrix Q = attn::project(X, w.W_q), K = attn::project(X, w.W_k), V = attn::project(X, w.W_v);
    for (std::size_t h = 0; h < 4; ++h) {
        const matrix head = attn::attention(xt::view(Q, xt::all(), xt::range(2 * h, 2 * h + 2)),
                                            xt::view(K, xt::all(), xt::range(2 * h, 2 * h + 2)),
                                            xt::view(V, xt::all(), xt::range(2 * h, 2 * h + 2)));
        INFO("head " << h);
        CHECK_THAT(matrix(xt::view(O, xt::all(), xt::range(2 * h, 2 * h + 2))), AllClose(oracle::to64(head), 1e-6, 0));
    }
}

TEST_CASE("multi-head attention matches float64 up to n = 512, d = 128, h = 8", "[multihead][oracle]") {
    for (auto [n, d, h] : std::vector<std::array<std::size_t, 3>>{{1, 4, 1}, {6, 8, 2}, {64, 64, 4}, {512, 128, 8}}) {
        const matrix X = random_matrix(n, d, 10 + n);
        const attn::mha_weights w = random_weights(d, d, 20 + d);
        INFO("n " << n << ", d_model " << d << ", h " << h);
        CHECK_THAT(impl::multihead_attention(X, X, w, h), AllClose(oracle::multihead(X, X, w, h), 1e-5, 0));
    }
}

TEST_CASE("cross multi-head attention: queries and keys from different sequences", "[multihead][cross]") {
    const matrix Xq = random_matrix(3, 8, 30), Xkv = random_matrix(10, 8, 31);
    const attn::mha_weights w = random_weights(8, 8, 32);
    const matrix O = impl::multihead_attention(Xq, Xkv, w, 2);
    REQUIRE(O.shape(0) == 3);
    CHECK_THAT(O, AllClose(oracle::multihead(Xq, Xkv, w, 2), 1e-6, 0));
}

TEST_CASE("the worked example", "[multihead][example]") {
    const auto ex = lessons::multihead::fixed_example();
    const matrix O = impl::multihead_attention(ex.X, ex.X, ex.w, ex.heads);
    CHECK_THAT(O, AllClose(oracle::multihead(ex.X, ex.X, ex.w, ex.heads), 1e-6, 1e-6));
}

TEST_CASE("bad shapes and head counts are refused", "[multihead][shapes]") {
    const matrix X = random_matrix(4, 8, 40);
    attn::mha_weights w = random_weights(8, 8, 41);
    CHECK_THROWS_AS(impl::multihead_attention(X, X, w, 3), attn::value_error);  // 3 does not divide 8
    CHECK_THROWS_AS(impl::multihead_attention(X, X, w, 0), attn::value_error);
    w.W_k = random_matrix(8, 6, 42);
    CHECK_THROWS_MATCHES(impl::multihead_attention(X, X, w, 2), attn::shape_error,
                         Catch::Matchers::Message("multihead_attention: W_q is (8, 8) but W_k is (8, 6); queries "
                                                  "and keys need the same projection shape"));
    CHECK_THROWS_AS(impl::multihead_attention(X, random_matrix(4, 6, 43), random_weights(8, 8, 44), 2),
                    attn::shape_error);
}

TEST_CASE("cost: parameters and FLOPs do not depend on the number of heads", "[multihead][cost]") {
    // n = 4, d_model = 8, h·d_k = h·d_v = 8, d_out = 8; counted by hand:
    // params 4·64 = 256; FLOPs 2·(3·4·8·8) = 1536 for X·W_q, X·W_k, X·W_v, + 2·4·4·8 = 256 for QKᵀ,
    // + 256 for P·V, + 2·4·8·8 = 512 for concat·W_o: 2560 in all.
    for (std::size_t h : {1u, 2u, 4u, 8u}) {
        const attn::mha_cost c = attn::multihead_cost(4, 4, 8, h, 8 / h, 8 / h, 8);
        CHECK(c.params == 256);
        CHECK(c.flops == 2560);
        CHECK(c.score_floats == double(h * 16));
    }
}
