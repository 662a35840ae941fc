// Lesson 08 — the online softmax, and attention in one pass (v2_online).
// Runs against attn:: (native and wasm) and against lessons/07/exercise.cpp.
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/mistakes.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using attn::vector;
using testing::AllClose;
using testing::random_matrix;

namespace {
matrix as_row(const vector& v) { return xt::view(v, xt::newaxis(), xt::all()); }
const float inf = std::numeric_limits<float>::infinity();
}  // namespace

TEST_CASE("online_update: the running max, the running sum and the rescale", "[online_softmax][update]") {
    attn::online_state s;
    CHECK(impl::online_update(s, 3.0f) == 0);  // from -inf: the (empty) old sum is scaled by 0
    CHECK(s.m == 3);
    CHECK(s.l == 1);
    CHECK(impl::online_update(s, 1.0f) == 1);  // the max holds: nothing to rescale
    CHECK(s.l == Approx(1 + std::exp(-2.0)).epsilon(1e-6));
    const float r = impl::online_update(s, 4.0f);  // the max grows by 1
    CHECK(r == Approx(std::exp(-1.0)).epsilon(1e-6));
    CHECK(s.m == 4);
    CHECK(s.l == Approx((1 + std::exp(-2.0)) * std::exp(-1.0) + 1).epsilon(1e-6));
}

TEST_CASE("online_update: after the whole row, m is the max and l is Σ exp(z - m)",
          "[online_softmax][update][oracle]") {
    const vector z = testing::random_vector(1000, 3, -20, 20);
    attn::online_state s;
    for (auto x : z) impl::online_update(s, x);
    double m = -inf, l = 0;
    for (auto x : z) m = std::max(m, double(x));
    for (auto x : z) l += std::exp(double(x) - m);
    CHECK(s.m == m);
    CHECK(s.l == Approx(l).epsilon(1e-5));
}

TEST_CASE("online_softmax equals the three-pass softmax", "[online_softmax][softmax][oracle]") {
    CHECK_THAT(
        as_row(impl::online_softmax(lessons::online_softmax::example_scores())),
        AllClose(oracle::softmax_rows(oracle::to64(as_row(lessons::online_softmax::example_scores()))), 1e-7, 1e-6));
    for (std::size_t n : {1u, 2u, 33u, 512u}) {
        const vector z = testing::random_vector(n, 7 + n, -10, 10);
        INFO("n = " << n);
        CHECK_THAT(as_row(impl::online_softmax(z)),
                   AllClose(oracle::softmax_rows(oracle::to64(as_row(z))), 1e-7, 1e-5));
    }
}

TEST_CASE("online_softmax: stable at ±1e4, and an all -inf row gives zeros", "[online_softmax][softmax][stability]") {
    const vector z = {-1e4f, 1e4f, 1e4f - 1, 0};
    CHECK_THAT(as_row(impl::online_softmax(z)), AllClose(oracle::softmax_rows(oracle::to64(as_row(z))), 1e-7, 1e-6));
    const vector all = {-inf, -inf};
    for (auto p : impl::online_softmax(all)) CHECK(p == 0);
    const vector lead = {-inf, 2, -inf};  // -inf before the first finite score must not make NaN
    const vector p = impl::online_softmax(lead);
    CHECK(p(1) == 1);
    CHECK(p(0) == 0);
}

TEST_CASE("merge: any split of a row, merged, is the one-pass state", "[online_softmax][merge][property]") {
    const vector z = testing::random_vector(64, 11, -30, 30);
    attn::online_state whole;
    for (auto x : z) impl::online_update(whole, x);
    for (std::size_t cut : {0u, 1u, 17u, 63u, 64u}) {
        attn::online_state a, b;
        for (std::size_t j = 0; j < cut; ++j) impl::online_update(a, z(j));
        for (std::size_t j = cut; j < 64; ++j) impl::online_update(b, z(j));
        const attn::online_state m = impl::merge(a, b);
        INFO("cut at " << cut);
        CHECK(m.m == whole.m);
        CHECK(m.l == Approx(whole.l).epsilon(1e-5));
        const attn::online_state swapped = impl::merge(b, a);  // order does not matter
        CHECK(swapped.l == Approx(whole.l).epsilon(1e-5));
    }
}

TEST_CASE("v2_online: attention without the n×n buffer matches float64", "[online_softmax][kernel][oracle]") {
    for (auto [n_q, n_k, d] : std::vector<std::array<std::size_t, 3>>{{1, 1, 1}, {5, 9, 3}, {512, 512, 128}}) {
        const matrix Q = random_matrix(n_q, d, 1 + n_q), K = random_matrix(n_k, d, 2 + n_k),
                     V = random_matrix(n_k, d, 3);
        INFO("n_q " << n_q << ", n_k " << n_k << ", d " << d);
        CHECK_THAT(attn::kernels::v2_online(Q, K, V), AllClose(oracle::attention(Q, K, V), 1e-5, 0));
    }
    const matrix Q = random_matrix(200, 32, 4), K = random_matrix(200, 32, 5), V = random_matrix(200, 32, 6);
    const attn::mask M = attn::causal_mask(200);
    attn::kernels::counters c;
    CHECK_THAT(attn::kernels::v2_online(Q, K, V, true, &c), AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
    CHECK(c.peak_bytes == 8);  // m and l: the n² buffer is gone
    CHECK(c.flops == attn::attention_cost_model(200, 200, 32, 32, true).flops);
    // The online form's price: an exp and a d_v-wide rescale per visible key (200·201/2 of them).
    CHECK(c.exps == 2 * 20100);
    CHECK(c.rescale_mults == 20100 * 32);
}

TEST_CASE("online_fold: the output is rescaled with l, and measured against the same maximum",
          "[online_softmax][fold]") {
    attn::online_row r = attn::start_row(2);
    CHECK(impl::online_fold(r, 1.0f, vector{10, 0}) == 0);  // first key: nothing to rescale (scaled by 0)
    CHECK(r.m == 1);
    CHECK(r.l == 1);
    CHECK(r.o(0) == 10);
    CHECK(impl::online_fold(r, 0.0f, vector{0, 10}) == 1);  // the max holds
    CHECK(r.l == Approx(1 + std::exp(-1.0)).epsilon(1e-6));
    CHECK(r.o(1) == Approx(10 * std::exp(-1.0)).epsilon(1e-6));
    const float f = impl::online_fold(r, 3.0f, vector{1, 1});  // the max grows by 2: o is rescaled too
    CHECK(f == Approx(std::exp(-2.0)).epsilon(1e-6));
    CHECK(r.m == 3);
    CHECK(r.l == Approx((1 + std::exp(-1.0)) * std::exp(-2.0) + 1).epsilon(1e-6));
    CHECK(r.o(0) == Approx(10 * std::exp(-2.0) + 1).epsilon(1e-6));
    CHECK(r.o(1) == Approx(10 * std::exp(-3.0) + 1).epsilon(1e-6));
    attn::online_row blank = attn::start_row(2);  // -inf changes nothing
    CHECK(impl::online_fold(blank, -inf, vector{5, 5}) == 1);
    CHECK(blank.l == 0);
    CHECK(blank.o(0) == 0);
    CHECK_THROWS_AS(impl::online_fold(r, 1.0f, vector{1, 2, 3}), attn::shape_error);
}

TEST_CASE("online_attention: each query streams over the keys once, and matches float64",
          "[online_softmax][attention][oracle]") {
    for (auto [n_q, n_k, d_k, d_v] :
         std::vector<std::array<std::size_t, 4>>{{1, 1, 1, 1}, {3, 17, 8, 5}, {64, 100, 16, 32}}) {
        const matrix Q = random_matrix(n_q, d_k, 50 + n_q), K = random_matrix(n_k, d_k, 51 + n_k),
                     V = random_matrix(n_k, d_v, 52);
        INFO("n_q " << n_q << ", n_k " << n_k << ", d_k " << d_k << ", d_v " << d_v);
        CHECK_THAT(impl::online_attention(Q, K, V),
                   AllClose(oracle::attention(Q, K, V), 1e-5, 0)
                       .naming({mistakes::forgotten_rescale(Q, K, V, 1), mistakes::missing_scale(Q, K, V)}));
    }
    // Keys in increasing order of score: the maximum grows at every key, so a forgotten rescale shows.
    matrix K = xt::zeros<float>({std::size_t(8), std::size_t(1)}), V = random_matrix(8, 3, 53);
    for (std::size_t j = 0; j < 8; ++j) K(j, 0) = float(j);
    const matrix Q = {{1.0f}};
    CHECK_THAT(impl::online_attention(Q, K, V),
               AllClose(oracle::attention(Q, K, V), 1e-6, 0).naming({mistakes::forgotten_rescale(Q, K, V, 1)}));
    CHECK_THROWS_AS(impl::online_attention(Q, random_matrix(8, 2, 1), V), attn::shape_error);
}

TEST_CASE("merge of online rows: keys split anywhere, merged, give the one-pass output",
          "[online_softmax][merge][attention][property]") {
    const matrix Q = random_matrix(1, 8, 60), K = random_matrix(40, 8, 61, -3, 3), V = random_matrix(40, 4, 62);
    auto fold = [&](std::size_t j0, std::size_t j1) {
        attn::online_row r = attn::start_row(4);
        for (std::size_t j = j0; j < j1; ++j) {
            float s = 0;
            for (std::size_t c = 0; c < 8; ++c) s += Q(0, c) * K(j, c);
            attn::online_fold(r, s / std::sqrt(8.0f), xt::row(V, j));
        }
        return r;
    };
    const attn::online_row whole = fold(0, 40);
    for (std::size_t cut : {0u, 1u, 13u, 39u, 40u}) {
        const attn::online_row m = attn::merge(fold(0, cut), fold(cut, 40));  // two "devices", then merged
        INFO("cut at " << cut);
        CHECK(m.m == whole.m);
        CHECK(m.l == Approx(whole.l).epsilon(1e-5));
        for (std::size_t c = 0; c < 4; ++c) CHECK(m.o(c) == Approx(whole.o(c)).epsilon(1e-5).margin(1e-6));
    }
}
