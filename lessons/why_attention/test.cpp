// Lesson 4 — Why attention: Bahdanau's additive score, its weights and context.
// Runs against attn:: (native and wasm) and against lessons/why_attention/exercise.cpp.
// (The two translators' training, gradients and path counts are tests/seq2seq.cpp's.)
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/random.hpp"

using attn::matrix;
using attn::vector;
using testing::AllClose;
namespace L = lessons::why_attention;

namespace {

/// A vector as a (1, n) matrix, for AllClose.
matrix row(const vector& v) {
    matrix m = xt::zeros<attn::real>({std::size_t(1), v.size()});
    xt::row(m, 0) = v;
    return m;
}

/// e, α and c in float64, written out plainly.
struct reference {
    attn::matrix64 e, alpha, c;
};
reference additive64(const vector& s, const matrix& H, const matrix& W, const matrix& U, const vector& v) {
    const std::size_t n = H.shape(0), A = v.size(), D = H.shape(1);
    reference r{xt::zeros<double>({std::size_t(1), n}), xt::zeros<double>({std::size_t(1), n}),
                xt::zeros<double>({std::size_t(1), D})};
    double m = -INFINITY;
    for (std::size_t j = 0; j < n; ++j) {
        double e = 0;
        for (std::size_t a = 0; a < A; ++a) {
            double t = 0;
            for (std::size_t k = 0; k < s.size(); ++k) t += double(W(a, k)) * s(k);
            for (std::size_t k = 0; k < D; ++k) t += double(U(a, k)) * H(j, k);
            e += double(v(a)) * std::tanh(t);
        }
        r.e(0, j) = e;
        m = std::max(m, e);
    }
    double total = 0;
    for (std::size_t j = 0; j < n; ++j) total += r.alpha(0, j) = std::exp(r.e(0, j) - m);
    for (std::size_t j = 0; j < n; ++j) {
        r.alpha(0, j) /= total;
        for (std::size_t k = 0; k < D; ++k) r.c(0, k) += r.alpha(0, j) * H(j, k);
    }
    return r;
}

}  // namespace

TEST_CASE("additive scores: the worked example, against float64", "[why_attention][scores]") {
    const L::example ex = L::fixed_example();
    const reference want = additive64(ex.s, ex.H, ex.W, ex.U, ex.v);
    CHECK_THAT(row(impl::additive_scores(ex.s, ex.H, ex.W, ex.U, ex.v)), AllClose(want.e, 1e-6, 1e-6));
    // By hand for h_1 = (1, 0, 0): W s = (0, 1.25), U h_1 = (0.5, −1), so e_1 = 1.5·tanh(0.5) − tanh(0.25).
    CHECK(impl::additive_scores(ex.s, ex.H, ex.W, ex.U, ex.v)(0) ==
          Approx(1.5 * std::tanh(0.5) - std::tanh(0.25)).margin(1e-6));
}

TEST_CASE("additive scores: s and h_j of different widths, against float64", "[why_attention][scores]") {
    const vector s = testing::random_vector(5, 1);            // a decoder state of 5
    const matrix H = testing::random_matrix(9, 7, 2, -2, 2);  // nine annotations of 7
    const matrix W = testing::random_matrix(4, 5, 3), U = testing::random_matrix(4, 7, 4);
    const vector v = testing::random_vector(4, 5, -2, 2);
    const reference want = additive64(s, H, W, U, v);
    CHECK_THAT(row(impl::additive_scores(s, H, W, U, v)), AllClose(want.e, 1e-6, 1e-5));
    const attn::additive_result r = impl::additive_attention(s, H, W, U, v);
    CHECK_THAT(row(r.e), AllClose(want.e, 1e-6, 1e-5));
    CHECK_THAT(row(r.alpha), AllClose(want.alpha, 1e-6, 1e-5));
    CHECK_THAT(row(r.context), AllClose(want.c, 1e-6, 1e-5));
    CHECK(xt::sum(r.alpha)() == Approx(1).margin(1e-6));
}

TEST_CASE("additive attention: large scores do not overflow the softmax", "[why_attention][softmax]") {
    const L::example ex = L::fixed_example();
    const vector v = ex.v * 400.0f;  // scores in the hundreds: exp would overflow without the max
    const attn::additive_result r = impl::additive_attention(ex.s, ex.H, ex.W, ex.U, v);
    const reference want = additive64(ex.s, ex.H, ex.W, ex.U, v);
    CHECK_THAT(row(r.alpha), AllClose(want.alpha, 1e-6, 1e-5));
    CHECK_THAT(row(r.context), AllClose(want.c, 1e-5, 1e-5));
}

TEST_CASE("additive scores: wrong shapes are refused, naming both", "[why_attention][errors]") {
    const L::example ex = L::fixed_example();
    const matrix W4 = xt::zeros<attn::real>({2, 4}), U2 = xt::zeros<attn::real>({2, 2}),
                 W3 = xt::zeros<attn::real>({3, 3});
    const vector v3 = xt::zeros<attn::real>({3});
    CHECK_THROWS_WITH(impl::additive_scores(ex.s, ex.H, W4, ex.U, ex.v),
                      Catch::Contains("(2, 4)") && Catch::Contains("(3)"));
    CHECK_THROWS_AS(impl::additive_scores(ex.s, ex.H, W4, ex.U, ex.v), attn::shape_error);
    CHECK_THROWS_WITH(impl::additive_scores(ex.s, ex.H, ex.W, U2, ex.v),
                      Catch::Contains("(2, 2)") && Catch::Contains("(4, 3)"));
    CHECK_THROWS_AS(impl::additive_scores(ex.s, ex.H, W3, ex.U, ex.v), attn::shape_error);
    CHECK_THROWS_AS(impl::additive_scores(ex.s, ex.H, ex.W, ex.U, v3), attn::shape_error);
    CHECK_THROWS_AS(impl::additive_attention(ex.s, matrix(xt::zeros<attn::real>({0, 3})), ex.W, ex.U, ex.v),
                    attn::shape_error);
    vector bad = ex.s;
    bad(0) = INFINITY;
    matrix Winf = ex.W;
    Winf(0, 1) = -INFINITY;  // inf + (−inf) inside W s: NaN, refused rather than passed on
    CHECK_THROWS_AS(impl::additive_scores(bad, ex.H, Winf, ex.U, ex.v), attn::value_error);
}

TEST_CASE("the translator's weights at every target word are this score's softmax", "[why_attention][model]") {
    // An untrained attention model (seed 3) reading one sentence: at each target word i its α row is
    // additive_attention of s_{i−1} against the annotations, with the model's own W, U and v.
    attn::seq2seq_config c = L::config(true, 3);
    attn::rng g(c.seed), data(5);
    const attn::seq2seq_params<attn::real> p = attn::seq2seq_init<attn::real>(c, g);
    const attn::sentence_pair ex = attn::make_sentence(c.task, 7, data);
    const attn::seq2seq_pass<attn::real> f = attn::seq2seq_forward(p, true, ex.source, ex.target);
    const matrix H = attn::rows_matrix(f.h, f.h[0].size());
    const vector v = xt::row(p.att_v, 0);
    for (std::size_t i = 0; i < ex.target.size(); ++i) {
        const auto& prev = i == 0 ? f.s0 : f.dec[i - 1].out;
        vector s = xt::zeros<attn::real>({prev.size()});
        std::copy(prev.begin(), prev.end(), s.begin());
        const attn::additive_result r = impl::additive_attention(s, H, p.att_W, p.att_U, v);
        vector alpha = xt::zeros<attn::real>({f.alpha[i].size()});
        std::copy(f.alpha[i].begin(), f.alpha[i].end(), alpha.begin());
        INFO("target word " << i);
        CHECK_THAT(row(r.alpha), AllClose(attn::matrix64(xt::cast<double>(row(alpha))), 1e-6, 1e-5));
        vector ctx = xt::zeros<attn::real>({f.context[i].size()});
        std::copy(f.context[i].begin(), f.context[i].end(), ctx.begin());
        CHECK_THAT(row(r.context), AllClose(attn::matrix64(xt::cast<double>(row(ctx))), 1e-6, 1e-5));
    }
}

TEST_CASE("the page's API: two models trained side by side, and refusals", "[why_attention][page]") {
    L::current().reset();
    CHECK_THROWS_WITH(L::train(1), Catch::Contains("call reset first"));
    CHECK_THROWS_AS(L::reset(std::size_t(2e9)), attn::value_error);
    L::reset(1);
    const L::progress p = L::train(20);
    CHECK(p.steps == 20);
    CHECK(p.loss_rnn > 0);
    CHECK(p.loss_attention > 0);
    CHECK_THROWS_AS(L::train(0), attn::value_error);
    const L::by_length a = L::page_accuracy(4);
    REQUIRE(a.length.size() == L::longest - 1);
    CHECK(a.length.front() == 2);
    CHECK(a.length.back() == L::longest);
    for (std::size_t k = 0; k < a.length.size(); ++k) {
        CHECK((a.rnn[k] >= 0 && a.rnn[k] <= 1));
        CHECK((a.attention[k] >= 0 && a.attention[k] <= 1));
    }
    const L::translation t = L::page_translate(8, 3);
    CHECK(t.source.size() == 8);
    CHECK(t.alpha.shape() == std::array<std::size_t, 2>{8, 8});
    for (std::size_t i = 0; i < 8; ++i) {
        CHECK(xt::sum(xt::row(t.alpha, i))() == Approx(1).margin(1e-5));
        CHECK(xt::sum(xt::row(t.truth, i))() == 1);
    }
    const L::by_position q = L::page_positions(10, 5);
    CHECK(q.position.size() == 10);
    CHECK(q.rnn.size() == 10);
    CHECK_THROWS_AS(L::page_translate(1, 3), attn::value_error);
    CHECK_THROWS_AS(L::page_positions(40, 5), attn::value_error);
    L::current().reset();
}

TEST_CASE(
    "at initialisation the gradient reaches the first word through the recurrence faintly, through attention fully",
    "[why_attention][reach]") {
    const L::reach r = L::gradient_reach(32);
    REQUIRE(r.rnn.size() == 32);
    // Without attention the first word's signal fades along 31 encoder steps: orders of magnitude below the last word's.
    CHECK(r.rnn.front() < 1e-3 * r.rnn.back());
    // With attention every word has the short way x_j → h_j → c_i → y_i.
    CHECK(r.attention.front() > 100 * r.rnn.front());
    const L::paths t = L::path_table({8, 50});
    CHECK(t.rnn_path == std::vector<double>{10, 52});
    CHECK(t.attention_path == std::vector<double>{3, 3});
    CHECK(t.self_path == std::vector<double>{1, 1});
    CHECK(t.self_steps == std::vector<double>{1, 1});
}
