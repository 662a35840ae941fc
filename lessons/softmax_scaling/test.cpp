// Lesson 02 — softmax, its stable form, temperature and the 1/√d_k scale.
// Runs against attn:: (native and wasm) and against lessons/02/exercise.cpp.
#include <array>
#include <cmath>
#include <limits>
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

namespace {
const float inf = std::numeric_limits<float>::infinity();
matrix as_row(const vector& v) { return xt::view(v, xt::newaxis(), xt::all()); }
}  // namespace

TEST_CASE("softmax: the worked example", "[softmax_scaling][softmax][example]") {
    const vector p = impl::softmax(lessons::softmax_scaling::example_scores());
    // exp(2), exp(1), exp(0.1), exp(-1) over their sum, from the float64 oracle.
    const attn::matrix64 expected =
        oracle::softmax_rows(oracle::to64(as_row(lessons::softmax_scaling::example_scores())));
    CHECK_THAT(as_row(p), AllClose(expected, 1e-7, 1e-6));
    CHECK(p(0) == Approx(0.6381).margin(5e-5));  // the README's first weight
}

TEST_CASE("softmax: rows are distributions and match float64 for sizes up to 512",
          "[softmax_scaling][softmax][oracle][property]") {
    for (auto [n_q, n_k] : std::vector<std::array<std::size_t, 2>>{{1, 1}, {3, 7}, {64, 64}, {512, 512}}) {
        const matrix S = random_matrix(n_q, n_k, 21 + n_k, -8.0f, 8.0f);
        const matrix P = impl::softmax_rows(S);
        INFO("S (" << n_q << ", " << n_k << ")");
        CHECK_THAT(P, AllClose(oracle::softmax_rows(oracle::to64(S)), 1e-6, 1e-5));
        for (std::size_t i = 0; i < n_q; ++i) {
            double sum = 0;
            for (std::size_t j = 0; j < n_k; ++j) {
                REQUIRE(P(i, j) >= 0);
                sum += P(i, j);
            }
            CHECK(sum == Approx(1.0).margin(1e-5));
        }
    }
}

TEST_CASE("softmax: adding a constant to a row changes nothing", "[softmax_scaling][softmax][property]") {
    const vector z = testing::random_vector(32, 5, -3, 3);
    vector shifted = z;
    for (auto& x : shifted) x += 50;
    CHECK_THAT(as_row(impl::softmax(shifted)), AllClose(oracle::to64(as_row(impl::softmax(z))), 1e-6, 1e-5));
}

TEST_CASE("softmax: stable with logits of ±1e4 where the naive formula is not",
          "[softmax_scaling][softmax][stability]") {
    const vector z = {1e4f, -1e4f, 1e4f - 1.0f, 0.0f};
    const vector p = impl::softmax(z);
    const attn::matrix64 expected = oracle::softmax_rows(oracle::to64(as_row(z)));
    CHECK_THAT(as_row(p), AllClose(expected, 1e-7, 1e-6));
    CHECK(p(0) == Approx(1 / (1 + std::exp(-1.0))).margin(1e-6));
    // The naive formula (given, not yours) overflows: exp(1e4) is inf, inf/inf is NaN.
    const vector naive = impl::softmax_naive(z);
    CHECK(std::isnan(naive(0)));
    const vector negative = {-1e4f, -1e4f - 2.0f};
    const vector pn = impl::softmax(negative);
    CHECK(pn(0) == Approx(1 / (1 + std::exp(-2.0))).margin(1e-6));  // naive: 0/0
}

TEST_CASE("softmax: temperature sharpens below 1 and flattens above", "[softmax_scaling][softmax][temperature]") {
    const vector z = lessons::softmax_scaling::example_scores();
    const vector cold = impl::softmax(z, 0.25f), warm = impl::softmax(z, 4.0f), one = impl::softmax(z, 1.0f);
    CHECK(cold(0) > one(0));
    CHECK(one(0) > warm(0));
    CHECK(impl::entropy(cold) < impl::entropy(one));
    CHECK(impl::entropy(one) < impl::entropy(warm));
    // softmax(z, T) == softmax(z / T)
    vector z_over_t = z;
    for (auto& x : z_over_t) x /= 4.0f;
    CHECK_THAT(as_row(warm), AllClose(oracle::to64(as_row(impl::softmax(z_over_t))), 1e-7, 1e-6));
    CHECK_THROWS_AS(impl::softmax(z, 0.0f), attn::value_error);
    CHECK_THROWS_AS(impl::softmax_rows(as_row(z), -1.0f), attn::value_error);
}

TEST_CASE("softmax: a row of -inf (every key masked) gives zeros, not NaN", "[softmax_scaling][softmax][edge]") {
    const vector p = impl::softmax(vector{-inf, -inf, -inf});
    for (auto x : p) CHECK(x == 0);
    const vector q = impl::softmax(vector{-inf, 0.0f, -inf});
    CHECK(q(1) == 1);
    CHECK(q(0) == 0);
}

TEST_CASE("entropy: 0 for one-hot, ln n for uniform", "[softmax_scaling][entropy]") {
    CHECK(impl::entropy(vector{0, 1, 0}) == Approx(0).margin(1e-7));
    CHECK(impl::entropy(vector{0.25f, 0.25f, 0.25f, 0.25f}) == Approx(std::log(4.0)).margin(1e-6));
    CHECK(impl::entropy(vector{0.5f, 0.5f, 0}) == Approx(std::log(2.0)).margin(1e-6));
}

TEST_CASE("scaled_scores: Q·Kᵀ/√d_k against float64", "[softmax_scaling][scaled][oracle]") {
    const matrix Q = random_matrix(33, 128, 7), K = random_matrix(70, 128, 8);
    attn::matrix64 expected = oracle::matmul_bt(Q, K);
    expected /= std::sqrt(128.0);
    CHECK_THAT(impl::scaled_scores(Q, K), AllClose(expected, 1e-6, 1e-5));
    CHECK_THROWS_AS(impl::scaled_scores(Q, random_matrix(4, 3, 9)), attn::shape_error);
}

TEST_CASE("scaled_scores: unit-variance q, k give scores of variance d_k, and 1 after scaling",
          "[softmax_scaling][scaled][statistics]") {
    for (std::size_t d_k : {16u, 256u}) {
        attn::rng g(3);
        const matrix Q = attn::normal_matrix(128, d_k, g), K = attn::normal_matrix(128, d_k, g);
        auto variance = [](const matrix& S) {
            double m = 0, v = 0;
            for (auto x : S) m += x;
            m /= double(S.size());
            for (auto x : S) v += (x - m) * (x - m);
            return v / double(S.size() - 1);
        };
        INFO("d_k = " << d_k);
        // 16384 scores: the sample variance is within ~10 % of the truth with overwhelming probability.
        CHECK(variance(attn::scores(Q, K)) == Approx(double(d_k)).epsilon(0.1));
        CHECK(variance(impl::scaled_scores(Q, K)) == Approx(1.0).epsilon(0.1));
    }
}
