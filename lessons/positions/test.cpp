// Lesson 13 — positions: sinusoidal encodings, RoPE, ALiBi.
// Runs against attn:: (native and wasm) and against lessons/12/exercise.cpp.
#include <cmath>
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
double dot_rows(const matrix& A, std::size_t i, const matrix& B, std::size_t j) {
    double s = 0;
    for (std::size_t c = 0; c < A.shape(1); ++c) s += double(A(i, c)) * double(B(j, c));
    return s;
}
}  // namespace

TEST_CASE("sinusoidal: sin on even columns, cos on odd, slower further right", "[positions][sinusoidal]") {
    const matrix PE = impl::sinusoidal(50, 8);
    REQUIRE(PE.shape(0) == 50);
    REQUIRE(PE.shape(1) == 8);
    CHECK(PE(0, 0) == 0);
    CHECK(PE(0, 1) == 1);
    CHECK(PE(1, 0) == Approx(std::sin(1.0)).margin(1e-6));
    CHECK(PE(1, 1) == Approx(std::cos(1.0)).margin(1e-6));
    CHECK(PE(7, 2) == Approx(std::sin(7 * std::pow(10000.0, -2.0 / 8))).margin(1e-6));
    CHECK(PE(49, 7) == Approx(std::cos(49 * std::pow(10000.0, -6.0 / 8))).margin(1e-6));
    const matrix odd = impl::sinusoidal(3, 5);  // an odd width ends on a sin column
    CHECK(odd(2, 4) == Approx(std::sin(2 * std::pow(10000.0, -4.0 / 5))).margin(1e-6));
    CHECK_THROWS_AS(impl::sinusoidal(0, 4), attn::value_error);
}

TEST_CASE("rope: position 0 is the identity, lengths are kept, pairs turn by p·ω", "[positions][rope]") {
    const matrix X = random_matrix(6, 8, 1);
    CHECK_THAT(impl::rope(xt::view(X, xt::range(0, 1), xt::all())),
               AllClose(oracle::to64(matrix(xt::view(X, xt::range(0, 1), xt::all()))), 1e-7, 0));
    const matrix R = impl::rope(X, 3);
    for (std::size_t r = 0; r < 6; ++r) CHECK(dot_rows(R, r, R, r) == Approx(dot_rows(X, r, X, r)).epsilon(1e-5));
    const double a = 3 * 1.0;  // row 0 at position 3, pair 0: ω = 1
    CHECK(R(0, 0) == Approx(X(0, 0) * std::cos(a) - X(0, 1) * std::sin(a)).margin(1e-6));
    CHECK(R(0, 1) == Approx(X(0, 0) * std::sin(a) + X(0, 1) * std::cos(a)).margin(1e-6));
    const double b = 5 * std::pow(10000.0, -6.0 / 8);  // row 2 at position 5, pair 3
    CHECK(R(2, 7) == Approx(X(2, 6) * std::sin(b) + X(2, 7) * std::cos(b)).margin(1e-6));
    CHECK_THROWS_AS(impl::rope(random_matrix(2, 5, 1)), attn::shape_error);
}

TEST_CASE("rope: the score depends on the distance only", "[positions][rope][property]") {
    const matrix q = random_matrix(1, 16, 7), k = random_matrix(1, 16, 8);
    for (std::size_t delta : {0u, 1u, 5u, 40u}) {
        const double base = dot_rows(impl::rope(q, delta), 0, impl::rope(k, 0), 0);
        for (std::size_t shift : {1u, 17u, 1000u}) {
            INFO("distance " << delta << ", shifted by " << shift);
            CHECK(dot_rows(impl::rope(q, delta + shift), 0, impl::rope(k, shift), 0) == Approx(base).margin(2e-4));
        }
    }
}

TEST_CASE("alibi: slopes halve geometrically; the bias is -m·|i - j|", "[positions][alibi]") {
    const auto m = attn::alibi_slopes(8);
    for (std::size_t h = 0; h < 8; ++h) CHECK(m[h] == std::ldexp(1.0f, -int(h + 1)));
    const matrix B = impl::alibi_bias(5, 0.5f);
    CHECK(B(0, 0) == 0);
    CHECK(B(4, 0) == -2);
    CHECK(B(0, 4) == -2);
    CHECK(B(2, 3) == -0.5f);
    CHECK_THROWS_AS(impl::alibi_bias(3, -1.0f), attn::value_error);
    CHECK_THROWS_AS(impl::alibi_bias(0, 1.0f), attn::value_error);
}

TEST_CASE("without positions attention is order-blind; with RoPE it is not", "[positions][property]") {
    const matrix a = lessons::positions::words({"dog", "bites", "man"}),
                 b = lessons::positions::words({"man", "bites", "dog"});
    const matrix Oa = attn::attention(a, a, a), Ob = attn::attention(b, b, b);
    for (std::size_t c = 0; c < 16; ++c) CHECK(Oa(0, c) == Approx(Ob(2, c)).margin(1e-6));  // "dog" is "dog"
    const matrix Ra = impl::rope(a), Rb = impl::rope(b);
    const matrix Pa = attn::attention(Ra, Ra, a), Pb = attn::attention(Rb, Rb, b);
    CHECK(attn::max_abs_diff(xt::row(Pa, 0), xt::row(Pb, 2)) > 1e-2);
}

TEST_CASE("RoPE goes before the kernel: v4_simd on rotated Q and K matches float64", "[positions][kernel][oracle]") {
    const matrix Q = random_matrix(300, 64, 1), K = random_matrix(300, 64, 2), V = random_matrix(300, 64, 3);
    const matrix Qr = impl::rope(Q), Kr = impl::rope(K);
    const attn::mask M = attn::causal_mask(300);
    CHECK_THAT(attn::kernels::v4_simd(Qr, Kr, V, true), AllClose(oracle::attention(Qr, Kr, V, &M), 1e-5, 0));
    const matrix S = attn::position_scores(attn::encoding::rope, lessons::positions::content(), 12);
    for (std::size_t i = 1; i < 12; ++i)  // Toeplitz: constant along every diagonal
        for (std::size_t j = 1; j < 12; ++j) CHECK(S(i, j) == Approx(S(i - 1, j - 1)).margin(1e-4));
}
