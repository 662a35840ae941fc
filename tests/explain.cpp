// tests/explain.cpp — attn/explain.hpp: each explanation's sum, done again in float64 from the
// inputs it lists, gives the value the library drew; masked cells say so; bad cells are refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <attn/explain.hpp>

#include "support/random.hpp"

using attn::matrix;

TEST_CASE("a score is its dot product, scaled by 1/sqrt(d_k) when asked", "[explain]") {
    const matrix Q = testing::random_matrix(3, 5, 1), K = testing::random_matrix(4, 5, 2);
    for (bool scaled : {false, true}) {
        const attn::score_explained e = attn::explain_score(Q, K, 2, 1, scaled);
        REQUIRE(e.q.size() == 5);
        double dot = 0;
        for (std::size_t c = 0; c < 5; ++c) {
            CHECK(e.q[c] == Q(2, c));
            CHECK(e.k[c] == K(1, c));
            dot += double(Q(2, c)) * K(1, c);
        }
        CHECK(e.dot == Approx(dot).epsilon(1e-12));
        CHECK(e.scale == (scaled ? 1 / std::sqrt(5.0) : 1.0));
        const matrix S = scaled ? attn::scaled_scores(Q, K) : attn::scores(Q, K);
        CHECK(e.value == S(2, 1));  // exactly the number the page drew
        CHECK(e.dot * e.scale == Approx(e.value).epsilon(1e-5));
    }
}

TEST_CASE("a weight is exp(s - m) over its row's sum; a masked weight is exactly 0", "[explain]") {
    const matrix S = {{1, 3, -2}, {0.5, 0.5, 4}};
    attn::mask M = xt::ones<bool>(S.shape());
    M(0, 1) = false;  // query 0 may not see key 1
    const attn::weight_explained w = attn::explain_weight(S, M, 0, 0);
    CHECK_FALSE(w.masked);
    CHECK(w.m == 1);  // the largest score query 0 may see: key 1's 3 is masked
    CHECK(std::isinf(w.s[1]));
    CHECK(w.e[1] == 0);
    CHECK(w.sum == Approx(1 + std::exp(-3.0)).epsilon(1e-12));
    CHECK(w.e[0] / w.sum == Approx(w.value).epsilon(1e-6));
    CHECK(w.value == attn::softmax_rows(attn::apply_mask(S, M))(0, 0));

    const attn::weight_explained hidden = attn::explain_weight(S, M, 0, 1);
    CHECK(hidden.masked);
    CHECK(hidden.value == 0);

    const attn::weight_explained open = attn::explain_weight(S, xt::ones<bool>(S.shape()), 1, 2);
    CHECK(open.m == 4);
    CHECK(open.e[2] / open.sum == Approx(open.value).epsilon(1e-6));
}

TEST_CASE("an output is the weights' blend of one column of V", "[explain]") {
    const matrix P = {{0.25, 0.75}, {1, 0}}, V = {{2, -1, 0}, {4, 3, 1}};
    const attn::output_explained e = attn::explain_output(P, V, 0, 1);
    CHECK(e.p == std::vector<double>{0.25, 0.75});
    CHECK(e.v == std::vector<double>{-1, 3});
    CHECK(e.value == Approx(0.25 * -1 + 0.75 * 3));
}

TEST_CASE("a cell outside the map, or inputs of the wrong shapes, are refused with both named", "[explain][errors]") {
    const matrix Q = testing::random_matrix(3, 4, 3), K = testing::random_matrix(2, 4, 4);
    CHECK_THROWS_WITH(attn::explain_score(Q, K, 3, 0, true), Catch::Contains("the cell (3, 0) is outside S (3, 2)"));
    CHECK_THROWS_AS(attn::explain_score(Q, testing::random_matrix(2, 5, 5), 0, 0, true), attn::shape_error);
    const matrix S = testing::random_matrix(2, 3, 6);
    CHECK_THROWS_AS(attn::explain_weight(S, xt::ones<bool>({3, 3}), 0, 0), attn::shape_error);
    CHECK_THROWS_WITH(attn::explain_weight(S, xt::ones<bool>({2, 3}), 0, 3), Catch::Contains("outside S (2, 3)"));
    CHECK_THROWS_WITH(attn::explain_output(S, testing::random_matrix(3, 2, 7), 2, 0),
                      Catch::Contains("outside O (2, 2)"));
}
