// tests/explain.cpp — what the pages explain and draw. attn/explain.hpp: each explanation's sum,
// done again in float64 from the inputs it lists, gives the value the library drew; masked cells
// say so; bad cells are refused. The traces the animations are drawn from (online_softmax_trace,
// softmax_trace, tiled_step): every state they give is the algorithm's own, step by step.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <attn/explain.hpp>
#include <attn/online.hpp>
#include <attn/tiled.hpp>

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
            CHECK(e.products[c] == double(Q(2, c)) * K(1, c));
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

TEST_CASE("a gradient's cell is its sum of products: dV from P and dO, dQ and dK from dS with K and Q, over sqrt(d_k)",
          "[explain][backward]") {
    const attn::matrix64 Q = xt::cast<double>(testing::random_matrix(3, 4, 11)),
                         K = xt::cast<double>(testing::random_matrix(4, 4, 12)),
                         V = xt::cast<double>(testing::random_matrix(4, 2, 13)),
                         dO = xt::cast<double>(testing::random_matrix(3, 2, 14));
    for (const bool causal : {false, true}) {
        const attn::matrix64 P = attn::attention_forward(Q, K, V, causal).P;  // the weights, done apart
        for (const char* which : {"Q", "K", "V"})
            for (std::size_t i = 0; i < (which[0] == 'Q' ? 3u : 4u); ++i)
                for (std::size_t c = 0; c < (which[0] == 'V' ? 2u : 4u); ++c) {
                    const attn::gradient_explained e = attn::explain_gradient(Q, K, V, dO, causal, which, i, c);
                    double sum = 0;
                    for (std::size_t k = 0; k < e.a.size(); ++k) sum += e.a[k] * e.b[k];
                    CHECK(e.dot == Approx(sum).margin(1e-15));
                    CHECK(e.dot * e.scale == Approx(e.value).margin(1e-12));
                    CHECK(e.scale == (which[0] == 'V' ? 1.0 : 0.5));  // d_k = 4
                    if (which[0] == 'V') {  // a is column i of P (0 where the mask hides key i), b column c of dO
                        for (std::size_t r = 0; r < 3; ++r) CHECK(e.a[r] == Approx(P(r, i)).margin(1e-15));
                        for (std::size_t r = 0; r < 3; ++r) CHECK(e.b[r] == dO(r, c));
                    } else if (which[0] == 'Q') {
                        REQUIRE(e.a.size() == 4);
                        for (std::size_t j = 0; j < 4; ++j) CHECK(e.b[j] == K(j, c));
                    } else {
                        REQUIRE(e.a.size() == 3);
                        for (std::size_t r = 0; r < 3; ++r) CHECK(e.b[r] == Q(r, c));
                    }
                }
    }
    // Causal, 3 queries over 4 keys (the last query sees all four): key 3 is seen by the last query only.
    const attn::matrix64 Pc = attn::attention_forward(Q, K, V, true).P;
    CHECK(attn::explain_gradient(Q, K, V, dO, true, "V", 3, 0).a == std::vector<double>{0, 0, Pc(2, 3)});
    CHECK_THROWS_WITH(attn::explain_gradient(Q, K, V, dO, false, "W", 0, 0), Catch::Contains("Q, K or V, not 'W'"));
    CHECK_THROWS_WITH(attn::explain_gradient(Q, K, V, dO, false, "V", 0, 2), Catch::Contains("outside dV (4, 2)"));
    CHECK_THROWS_AS(attn::explain_gradient(Q, K, V, Q, false, "V", 0, 0), attn::shape_error);
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

TEST_CASE("the online softmax's trace: the terms sum to l, shrink when m grows, and o / l is the output so far",
          "[explain][trace]") {
    const attn::vector z = {3, 1, 4, 1, 5, 9, 2, 6}, v = {0, 1, 2, 3, 4, 5, 6, 7};
    const auto steps = attn::online_softmax_trace(z, v);
    REQUIRE(steps.size() == 8);
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < 8; ++j) {
        const attn::online_step& s = steps[j];
        m = std::max(m, double(z(j)));
        CHECK(s.m == m);
        REQUIRE(s.terms.size() == j + 1);
        double l = 0, o = 0;
        for (std::size_t i = 0; i <= j; ++i) {
            CHECK(s.terms(i) == Approx(std::exp(double(z(i)) - m)).epsilon(1e-6));
            l += std::exp(double(z(i)) - m), o += std::exp(double(z(i)) - m) * v(i);
        }
        CHECK(s.l == Approx(l).epsilon(1e-6));
        CHECK(s.o == Approx(o).epsilon(1e-6));
        CHECK(s.out == Approx(o / l).epsilon(1e-6));
        if (j > 0 && s.rescale < 1)  // the maximum grew: every earlier term is the old one times the rescale
            for (std::size_t i = 0; i < j; ++i)
                CHECK(s.terms(i) == Approx(steps[j - 1].terms(i) * s.rescale).epsilon(1e-6));
    }
    CHECK(steps[5].rescale == Approx(std::exp(5.0 - 9.0)).epsilon(1e-6));  // 9 arrives: the max grows by 4
    // The last state is one attention row over these keys: o / l = Σ softmax(z)_j · v_j.
    const attn::vector p = attn::softmax(z);
    CHECK(steps.back().out == Approx(double(xt::sum(p * v)())).epsilon(1e-6));
    // A row that starts with −∞ keeps its terms at 0 until a finite score arrives; v must match z.
    const float inf = std::numeric_limits<float>::infinity();
    const auto masked = attn::online_softmax_trace(attn::vector{-inf, 2}, attn::vector{1, 2});
    CHECK(masked[0].terms(0) == 0);
    CHECK(masked[0].out == 0);
    CHECK(masked[1].out == 2);
    CHECK_THROWS_AS(attn::online_softmax_trace(z, attn::vector{1, 2}), attn::shape_error);
}

TEST_CASE("the softmax's trace: less the max, over T, exponentiated, summed, and exactly softmax(z, T)",
          "[explain][trace]") {
    const attn::vector z = {2, -1, 0.5f, 3};
    for (float T : {1.0f, 0.5f, 4.0f}) {
        const attn::softmax_steps t = attn::softmax_trace(z, T);
        CHECK(t.m == 3);
        double sum = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            CHECK(t.shifted(j) == z(j) - 3);
            CHECK(t.scaled(j) == (z(j) - 3) / T);
            CHECK(t.e(j) == Approx(std::exp((double(z(j)) - 3) / T)).epsilon(1e-6));
            sum += std::exp((double(z(j)) - 3) / T);
        }
        CHECK(t.e(3) == 1);
        CHECK(t.sum == Approx(sum).epsilon(1e-6));
        const attn::vector p = attn::softmax(z, T);
        for (std::size_t j = 0; j < 4; ++j) CHECK(t.p(j) == p(j));  // the very weights the page shows
    }
    const float inf = std::numeric_limits<float>::infinity();
    const attn::softmax_steps none = attn::softmax_trace(attn::vector{-inf, -inf});
    CHECK(none.sum == 0);
    CHECK(none.p(0) == 0);
    CHECK_THROWS_AS(attn::softmax_trace(z, 0), attn::value_error);
}

TEST_CASE("the tiled loop's step: the tile, its rows' scores, and m, l and o as the loop left them",
          "[explain][trace]") {
    const matrix Q = testing::random_matrix(10, 3, 1), K = testing::random_matrix(10, 3, 2),
                 V = testing::random_matrix(10, 2, 3);
    std::vector<attn::tile_visit> visits;
    std::vector<attn::row_step> rows;
    const matrix O = attn::tiled_attention(Q, K, V, 4, 4, true, &visits, &rows);
    REQUIRE(visits.size() == 9);
    for (std::size_t at = 0; at < visits.size(); ++at) {
        const attn::tile_step s = attn::tiled_step(visits, rows, at);
        CHECK(s.tile.q0 == visits[at].q0);
        CHECK(s.tile.k0 == visits[at].k0);
        REQUIRE(s.rows.size() == s.tile.q1 - s.tile.q0);
        for (std::size_t r = 0; r < s.rows.size(); ++r) {
            const std::size_t i = s.tile.q0 + r;
            CHECK(s.rows[r].row == i);
            // The tile's own scores, or none when it was skipped.
            if (s.tile.skipped)
                CHECK(s.rows[r].s.size() == 0);
            else {
                const matrix S = attn::score_tile(Q, K, s.tile.q0, s.tile.q1, s.tile.k0, s.tile.k1, true);
                REQUIRE(s.rows[r].s.size() == s.tile.k1 - s.tile.k0);
                for (std::size_t c = 0; c < S.shape(1); ++c) CHECK(s.rows[r].s(c) == S(r, c));
            }
            // m and l over the keys this row has been shown so far: those of the tiles up to this one.
            double m = -std::numeric_limits<double>::infinity(), l = 0, o0 = 0;
            const std::size_t keys = s.tile.skipped ? s.tile.k0 : s.tile.k1;
            for (std::size_t j = 0; j < std::min(keys, i + 1); ++j)
                m = std::max(m, double(attn::score_tile(Q, K, i, i + 1, j, j + 1)(0, 0)));
            for (std::size_t j = 0; j < std::min(keys, i + 1); ++j) {
                const double e = std::exp(double(attn::score_tile(Q, K, i, i + 1, j, j + 1)(0, 0)) - m);
                l += e, o0 += e * V(j, 0);
            }
            CHECK(s.rows[r].m == Approx(m).epsilon(1e-6));
            CHECK(s.rows[r].l == Approx(l).epsilon(1e-5));
            CHECK(s.rows[r].o(0) == Approx(o0).epsilon(1e-5).margin(1e-6));
        }
    }
    // After a query block's last tile, o / l is that block's rows of the output.
    const attn::tile_step last = attn::tiled_step(visits, rows, 8);
    for (std::size_t r = 0; r < last.rows.size(); ++r)
        CHECK(last.rows[r].o(1) / last.rows[r].l == Approx(O(last.tile.q0 + r, 1)).epsilon(1e-5).margin(1e-6));
    CHECK_THROWS_AS(attn::tiled_step(visits, rows, 9), attn::value_error);
}
