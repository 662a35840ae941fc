// Lesson 19 — sparse and linear attention: the patterns, the kernel that skips their empty tiles,
// linear attention in both forms, its cost and the recall it loses.
// Runs against attn:: (native and wasm) and against lessons/sparse_linear/exercise.cpp.
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

TEST_CASE("feature_map: x + 1 above zero, eˣ at and below, always positive", "[sparse_linear][linear]") {
    const matrix X = {{2, 0.5f, 0, -1}, {-20, 3, -0.25f, 1e-3f}};
    const matrix F = impl::feature_map(X);
    REQUIRE(F.shape() == X.shape());
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t c = 0; c < 4; ++c) {
            const double x = X(i, c), want = x > 0 ? x + 1 : std::exp(x);
            INFO("x = " << x);
            CHECK(F(i, c) == Approx(want).epsilon(1e-6));
            CHECK(F(i, c) > 0);
        }
}

TEST_CASE("linear_attention equals the float64 weights formed whole, for any n_q, n_k, d_k, d_v",
          "[sparse_linear][linear][oracle]") {
    for (auto [n_q, n_k, d_k, d_v] : std::vector<std::array<std::size_t, 4>>{
             {1, 1, 1, 1}, {3, 3, 2, 2}, {8, 8, 4, 4}, {5, 40, 16, 3}, {64, 17, 7, 9}, {200, 200, 32, 32}}) {
        const matrix Q = random_matrix(n_q, d_k, 1 + n_q, -2, 2), K = random_matrix(n_k, d_k, 2 + n_k, -2, 2);
        const matrix V = random_matrix(n_k, d_v, 3 + d_v);
        INFO("n_q " << n_q << ", n_k " << n_k << ", d_k " << d_k << ", d_v " << d_v);
        CHECK_THAT(impl::linear_attention(Q, K, V), AllClose(oracle::linear_attention(Q, K, V, false), 1e-5, 1e-5));
    }
}

TEST_CASE("causal_linear_attention: the recurrence equals the causal weights formed whole",
          "[sparse_linear][linear][oracle]") {
    for (auto [n, d_k, d_v] :
         std::vector<std::array<std::size_t, 3>>{{1, 1, 1}, {2, 3, 1}, {8, 4, 4}, {100, 16, 8}, {333, 64, 64}}) {
        const matrix Q = random_matrix(n, d_k, 10 + n, -2, 2), K = random_matrix(n, d_k, 11 + n, -2, 2);
        const matrix V = random_matrix(n, d_v, 12 + n);
        INFO("n " << n << ", d_k " << d_k << ", d_v " << d_v);
        CHECK_THAT(impl::causal_linear_attention(Q, K, V),
                   AllClose(oracle::linear_attention(Q, K, V, true), 1e-5, 1e-5));
    }
    // Token t's output reads tokens 0..t only: changing the last token moves only the last row.
    matrix Q = random_matrix(12, 4, 1), K = random_matrix(12, 4, 2), V = random_matrix(12, 3, 3);
    const matrix before = impl::causal_linear_attention(Q, K, V);
    xt::row(K, 11) = xt::row(K, 0);
    xt::row(V, 11) *= -5.0f;
    const matrix after = impl::causal_linear_attention(Q, K, V);
    const bool earlier_unmoved =
        xt::view(before, xt::range(0, 11), xt::all()) == xt::view(after, xt::range(0, 11), xt::all());
    CHECK(earlier_unmoved);  // not one bit
    CHECK(attn::max_abs_diff(xt::row(before, 11), xt::row(after, 11)) > 1e-3);
}

TEST_CASE("linear attention's output is a convex combination of V's rows; the last causal row is the full one",
          "[sparse_linear][linear]") {
    const matrix Q = random_matrix(30, 8, 4, -3, 3), K = random_matrix(30, 8, 5, -3, 3), V = random_matrix(30, 5, 6);
    const matrix O = impl::linear_attention(Q, K, V), C = impl::causal_linear_attention(Q, K, V);
    for (std::size_t e = 0; e < 5; ++e) {
        const double lo = xt::amin(xt::col(V, e))(), hi = xt::amax(xt::col(V, e))();
        const double out_lo = xt::amin(xt::col(O, e))(), out_hi = xt::amax(xt::col(O, e))();
        CHECK(out_lo >= lo - 1e-6);
        CHECK(out_hi <= hi + 1e-6);
    }
    CHECK_THAT(xt::eval(xt::view(C, xt::range(29, 30), xt::all())),
               AllClose(oracle::to64(xt::eval(xt::view(O, xt::range(29, 30), xt::all()))), 1e-5, 1e-6));
}

TEST_CASE("linear attention refuses what it cannot compute, naming it", "[sparse_linear][linear][errors]") {
    const matrix Q = random_matrix(4, 3, 1), K = random_matrix(5, 3, 2), V = random_matrix(5, 2, 3);
    CHECK_THROWS_AS(impl::linear_attention(Q, random_matrix(5, 4, 2), V), attn::shape_error);
    CHECK_THROWS_AS(impl::linear_attention(Q, K, random_matrix(4, 2, 3)), attn::shape_error);
    CHECK_THROWS_AS(impl::causal_linear_attention(Q, K, V), attn::shape_error);  // causal: n_q = n_k
    matrix bad = K;
    bad(1, 1) = std::nanf("");
    CHECK_THROWS_AS(impl::linear_attention(Q, bad, V), attn::value_error);
    bad(1, 1) = 1e38f;
    CHECK_THROWS_AS(impl::linear_attention(Q, bad, V), attn::value_error);  // the sums could overflow
    bad(1, 1) = 1e30f;
    CHECK_NOTHROW(impl::linear_attention(Q, bad, V));  // large, yet every sum fits in float32
    matrix far = Q;
    far.fill(-200.0f);  // every feature e^-200 = 0 in float32: the weights underflow
    CHECK_THROWS_AS(impl::linear_attention(far, K, V), attn::value_error);
}

TEST_CASE("sparse patterns: Child et al.'s strided and fixed, BigBird's blocks", "[sparse_linear][patterns]") {
    const attn::mask S = attn::strided_mask(10, 3);
    for (std::size_t i = 0; i < 10; ++i)
        for (std::size_t j = 0; j < 10; ++j) CHECK(S(i, j) == (j <= i && (i - j < 3 || (i - j) % 3 == 0)));
    const attn::mask F = attn::fixed_mask(10, 4, 1);
    CHECK(F(5, 4));        // same run of 4
    CHECK(F(9, 3));        // key 3 is run 0's summary
    CHECK_FALSE(F(9, 2));  // neither
    CHECK_FALSE(F(3, 7));  // the future
    const attn::block_pattern B = attn::bigbird_blocks(640, 64, 3, 1, 2, 9);
    REQUIRE(B.blocks.shape(0) == 10);
    for (std::size_t r = 0; r < 10; ++r) {
        std::size_t seen = 0;
        for (std::size_t s = 0; s < 10; ++s) seen += B.blocks(r, s);
        INFO("block " << r);
        CHECK(B.blocks(r, 0));
        CHECK(B.blocks(0, r));
        // block 0 sees all 10; block 1 sees {0, 1, 2} and 9 sees {0, 8, 9}, the others {0, r-1, r, r+1}; plus 2 random
        CHECK(seen == (r == 0 ? 10 : r == 1 || r == 9 ? 5 : 6));
    }
    CHECK_THROWS_AS(attn::bigbird_blocks(640, 64, 2, 1, 2), attn::value_error);
    CHECK_THROWS_AS(attn::strided_mask(10, 0), attn::value_error);
    CHECK_THROWS_AS(attn::fixed_mask(10, 4, 5), attn::value_error);
}

TEST_CASE("plan_tiles: skipped, partial and full, as a pair-by-pair look says", "[sparse_linear][tiles]") {
    for (std::size_t n : {1u, 63u, 64u, 65u, 200u}) {
        const attn::mask M = attn::fixed_mask(n, 8, 2);
        const attn::tile_plan p = attn::plan_tiles(M, 16, 16);
        double pairs = 0;
        for (bool b : M) pairs += b;
        CHECK(p.pairs == pairs);
        const auto visits = attn::plan_visits(p);
        REQUIRE(visits.size() == p.tiles());
        for (const attn::tile_visit& t : visits) {
            std::size_t seen = 0;
            for (std::size_t i = t.q0; i < t.q1; ++i)
                for (std::size_t j = t.k0; j < t.k1; ++j) seen += M(i, j);
            INFO("n " << n << ", tile at " << t.q0 << ", " << t.k0);
            CHECK(t.skipped == (seen == 0));
            CHECK(t.masked == (seen != 0 && seen != (t.q1 - t.q0) * (t.k1 - t.k0)));
        }
    }
}

TEST_CASE("a stride key by key leaves every tile partial; in blocks it skips most", "[sparse_linear][tiles]") {
    const attn::pattern_cost keys = attn::sparse_cost(attn::strided_mask(4096, 64), true);
    CHECK(keys.computed == keys.dense_tiles);  // nothing skipped
    CHECK(keys.pairs < 0.06 * keys.dense_pairs);
    const attn::pattern_cost blocks = attn::sparse_cost(attn::expand(attn::strided_blocks(4096, 64, 8)), true);
    CHECK(blocks.computed * 2 < blocks.dense_tiles);  // 708 of 2080
    CHECK(blocks.partial == 64);                      // only the diagonal, causal inside its block
}

TEST_CASE("v4_sparse equals the masked reference on every pattern, and computes only the planned tiles",
          "[sparse_linear][kernel][oracle]") {
    for (std::size_t n : {1u, 5u, 64u, 130u, 300u}) {
        const auto in = attn::normal_qkv(n, 24, n);
        for (const std::string& name : lessons::sparse_linear::pattern_names()) {
            const attn::mask M = lessons::sparse_linear::pattern(name, n, std::min<std::size_t>(n, 7));
            attn::kernels::counters c;
            INFO("n " << n << ", " << name);
            CHECK_THAT(attn::kernels::v4_sparse(in.Q, in.K, in.V, M, 2, &c),
                       AllClose(oracle::attention(in.Q, in.K, in.V, &M), 1e-5, 1e-6));
            CHECK(c.tiles == double(attn::plan_tiles(M).computed()));
        }
    }
    // Through the registry, with causal on top of a mask, and n_q != n_k.
    const auto in = attn::normal_qkv(150, 16, 3);
    const matrix Q = xt::view(in.Q, xt::range(0, 70), xt::all());
    const attn::mask M = attn::expand(attn::bigbird_blocks(150, 16, 3, 1, 1)),
                     Mq = xt::view(M, xt::range(80, 150), xt::all());
    attn::kernels::run_options o;
    o.allowed = &Mq;
    o.causal = true;
    const attn::mask both = attn::combine(Mq, attn::causal_mask(70, 150));
    CHECK_THAT(attn::kernels::kernel("sparse").compute(Q, in.K, in.V, o),
               AllClose(oracle::attention(Q, in.K, in.V, &both), 1e-5, 1e-6));
    // A fully hidden row gets 0, and a mask of the wrong shape is a shape_error naming both.
    attn::mask none = xt::zeros<bool>({std::size_t(150), std::size_t(150)});
    CHECK(xt::amax(xt::abs(attn::kernels::v4_sparse(in.Q, in.K, in.V, none)))() == 0);
    try {
        attn::kernels::v4_sparse(Q, in.K, in.V, M);
        FAIL("a (150, 150) mask for (70, 150) scores was accepted");
    } catch (const attn::shape_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("(150, 150)") && Catch::Contains("(70, 150)"));
    }
}

TEST_CASE("the recall gap: softmax attention recalls, linear attention does not", "[sparse_linear][recall]") {
    const attn::recall_task t = attn::make_recall_task(64, 64, 200, 1.0f, 5);
    const double soft = attn::recall_accuracy(t, false), lin = attn::recall_accuracy(t, true);
    INFO("softmax " << soft << ", linear " << lin);
    CHECK(soft >= 0.9);
    CHECK(lin <= soft / 2);
}

TEST_CASE("the cost models: linear is O(n·d²), softmax O(n²·d); they cross near n = d", "[sparse_linear][cost]") {
    const attn::linear_cost c = attn::linear_cost_model(4096, 64, 64, false);
    CHECK(c.softmax_flops == 4096.0 * 4096 * 2 * 128);
    CHECK(c.state_floats == 64 * 65);
    const double x = lessons::sparse_linear::flops_crossover(64, false);
    CHECK(x > 32);
    CHECK(x < 128);
    CHECK(lessons::sparse_linear::flops_crossover(64, true) > x);  // causal softmax does half the pairs
}
