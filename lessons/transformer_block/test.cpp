// Lesson 16 — the transformer block: layer norm, GELU and the pre-norm block against float64
// oracles written out here, in float64 and float32; then where the weights and FLOPs go.
// Runs against attn:: (native and wasm) and against lessons/transformer_block/exercise.cpp.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"

using attn::tensor2;
using M64 = tensor2<double>;
using testing::AllClose;

namespace {

M64 random64(std::size_t rows, std::size_t cols, std::uint64_t seed, double sd = 1) {
    attn::rng g(seed);
    return attn::normal_matrix<double>(rows, cols, g, sd);
}

/// Layer norm, written out: each row minus its mean, over √(mean of squares + 1e-5), times g plus b.
M64 norm_oracle(const M64& X, const M64& g, const M64& b) {
    M64 Y = X;
    for (std::size_t i = 0; i < X.shape(0); ++i) {
        double mean = 0, var = 0;
        for (std::size_t j = 0; j < X.shape(1); ++j) mean += X(i, j) / double(X.shape(1));
        for (std::size_t j = 0; j < X.shape(1); ++j) var += (X(i, j) - mean) * (X(i, j) - mean) / double(X.shape(1));
        for (std::size_t j = 0; j < X.shape(1); ++j)
            Y(i, j) = (X(i, j) - mean) / std::sqrt(var + 1e-5) * g(0, j) + b(0, j);
    }
    return Y;
}

/// A small block with weights at a scale where attention and the MLP both change the stream.
attn::block_params<double> lively_block(std::size_t d, std::uint64_t seed) {
    attn::rng g(seed);
    const auto w = [&](std::size_t r, std::size_t c, double sd) { return attn::normal_matrix<double>(r, c, g, sd); };
    attn::block_params<double> p;
    p.ln1_g = w(1, d, 0.3) + 1.0, p.ln1_b = w(1, d, 0.3);
    p.W_q = w(d, d, 0.5), p.W_k = w(d, d, 0.5), p.W_v = w(d, d, 0.5), p.W_o = w(d, d, 0.5);
    p.ln2_g = w(1, d, 0.3) + 1.0, p.ln2_b = w(1, d, 0.3);
    p.W_1 = w(d, 4 * d, 0.5), p.b_1 = w(1, 4 * d, 0.3), p.W_2 = w(4 * d, d, 0.5), p.b_2 = w(1, d, 0.3);
    return p;
}

/// The block, written out from the library's attention and linear layers and the oracles above.
M64 block_oracle(const M64& X, const attn::block_params<double>& p, std::size_t heads) {
    const M64 R = X + attn::causal_mha(norm_oracle(X, p.ln1_g, p.ln1_b), p, heads);
    M64 U = attn::linear(norm_oracle(R, p.ln2_g, p.ln2_b), p.W_1, p.b_1);
    for (auto& u : U) u = 0.5 * u * (1 + std::tanh(std::sqrt(2 / M_PI) * (u + 0.044715 * u * u * u)));
    return R + attn::linear(U, p.W_2, p.b_2);
}

}  // namespace

TEST_CASE("layer norm: each row to mean 0 and variance 1, then the gain and the shift", "[transformer_block][norm]") {
    const M64 X = {{2, -1, 0.5, 4, -0.5}, {1, 2, 3, 6, 8}, {10, 10, 10, 10, 10.5}};
    const M64 ones = xt::ones<double>({1, 5}), zeros = xt::zeros<double>({1, 5});
    const M64 Y = impl::layer_norm(X, ones, zeros);
    REQUIRE(Y.shape() == X.shape());
    CHECK_THAT(Y, AllClose(norm_oracle(X, ones, zeros), 1e-6, 1e-6));  // AllClose compares in float32
    for (std::size_t i = 0; i < 3; ++i) {
        double mean = 0, var = 0;
        for (std::size_t j = 0; j < 5; ++j) mean += Y(i, j) / 5;
        for (std::size_t j = 0; j < 5; ++j) var += (Y(i, j) - mean) * (Y(i, j) - mean) / 5;
        CHECK(mean == Approx(0).margin(1e-12));
        CHECK(var == Approx(1).epsilon(1e-3));  // 1 less the ε's share: σ²/(σ² + ε)
    }
    // (1, 2, 3, 6): mean 3, variance 3.5 (dividing by d, not d − 1)
    const M64 row = {{1, 2, 3, 6}};
    CHECK(impl::layer_norm(row, M64(xt::ones<double>({1, 4})), M64(xt::zeros<double>({1, 4})))(0, 3) ==
          Approx(3 / std::sqrt(3.5 + 1e-5)).epsilon(1e-12));
    // a gain and a shift per column, applied after normalising
    const M64 g = {{1, 2, 3, 4, 5}}, b = {{-1, 0, 1, 0, 2}};
    CHECK_THAT(impl::layer_norm(X, g, b), AllClose(norm_oracle(X, g, b), 1e-6, 1e-6));
    // scaling a row changes nothing but ε's share: the norm removes its scale
    const M64 scaled = X * 1000.0;
    const M64 Ys = impl::layer_norm(scaled, ones, zeros);
    CHECK_THAT(Ys, AllClose(norm_oracle(scaled, ones, zeros), 1e-6, 1e-6));
    for (std::size_t j = 0; j < 5; ++j) CHECK(Ys(0, j) == Approx(Y(0, j)).epsilon(1e-5));  // a row with σ² ≫ ε
    // in float32 too
    const tensor2<float> Xf = xt::cast<float>(X), gf = xt::cast<float>(g), bf = xt::cast<float>(b);
    const tensor2<float> Yf = impl::layer_norm(Xf, gf, bf);
    const M64 want = norm_oracle(X, g, b);
    for (std::size_t e = 0; e < want.size(); ++e) CHECK(Yf.data()[e] == Approx(want.data()[e]).margin(1e-4));
    CHECK_THROWS_AS(impl::layer_norm(X, M64(xt::ones<double>({1, 4})), M64(xt::zeros<double>({1, 4}))),
                    attn::shape_error);
}

TEST_CASE("GELU: x·Φ(x) in its tanh form", "[transformer_block][gelu]") {
    CHECK(impl::gelu(0.0) == 0);
    CHECK(impl::gelu(1.0) == Approx(0.8411919906082768).epsilon(1e-12));
    CHECK(impl::gelu(-1.0) == Approx(-0.15880800939172324).epsilon(1e-12));
    CHECK(impl::gelu(3.0) == Approx(2.996362607918227).epsilon(1e-12));
    CHECK(impl::gelu(-4.0) ==
          Approx(-7.024594819227126e-05).epsilon(1e-9));  // very negative inputs are shut, not zeroed
    CHECK(impl::gelu(2.0f) == Approx(1.9545977f).epsilon(1e-6));
}

TEST_CASE("the pre-norm block: attention then the MLP, each added to the residual stream",
          "[transformer_block][block]") {
    const std::size_t n = 6, d = 8, heads = 2;
    const auto p = lively_block(d, 1);
    const M64 X = random64(n, d, 2);
    const M64 Y = impl::block_forward(X, p, heads);
    REQUIRE(Y.shape() == X.shape());
    CHECK_THAT(Y, AllClose(block_oracle(X, p, heads), 1e-5, 1e-6));  // AllClose compares in float32

    // The residual stream: with W_o and W_2 zero and b_2 zero, neither layer adds anything.
    auto silent = p;
    silent.W_o.fill(0), silent.W_2.fill(0), silent.b_2.fill(0);
    const M64 same = impl::block_forward(X, silent, heads);
    for (std::size_t e = 0; e < X.size(); ++e) CHECK(same.data()[e] == X.data()[e]);
    // A change to a later token leaves every earlier row as it was: attention is causal, and the
    // norms and the MLP work on each token alone.
    M64 later = X;
    later(4, 0) += 1.0;  // (not the whole row: layer norm would take a constant shift straight out again)
    const M64 Y2 = impl::block_forward(later, p, heads);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < d; ++j) CHECK(Y2(i, j) == Approx(Y(i, j)).margin(1e-12));
    CHECK(std::abs(Y2(5, 0) - Y(5, 0)) > 1e-6);

    // float32, against the float64 oracle
    attn::block_params<float> pf;
    auto src = const_cast<attn::block_params<double>&>(p).params();
    auto dst = pf.params();
    for (std::size_t k = 0; k < src.size(); ++k) *dst[k] = xt::cast<float>(*src[k]);
    const tensor2<float> Yf = impl::block_forward(tensor2<float>(xt::cast<float>(X)), pf, heads);
    const M64 want = block_oracle(X, p, heads);
    for (std::size_t e = 0; e < want.size(); ++e) CHECK(Yf.data()[e] == Approx(want.data()[e]).margin(2e-3));
}

TEST_CASE("where the weights and FLOPs go: counted from the model, and the n at which n² wins",
          "[transformer_block][budget]") {
    const auto parts = lessons::transformer_block::weight_counts();
    double all = 0;
    for (const auto& w : parts) all += w.count;
    attn::model_params<float> p = lessons::course_model().params;
    CHECK(all == double(p.count()));
    const attn::block_config c = lessons::course_model().config;
    const attn::block_budget b = attn::budget(attn::as_model_config(c, "this model"), 128);
    CHECK(b.attention_weights == 4.0 * c.d_model * c.d_model);
    CHECK(b.mlp_weights == 8.0 * c.d_model * c.d_model);
    CHECK(b.crossover == 6.0 * double(c.d_model));  // a GPT block: 24·d² per token against 4·n·d
    // at the crossover the n² part equals the projections and the MLP together
    const attn::block_budget at = attn::budget(attn::as_model_config(c, "this model"), std::size_t(b.crossover));
    CHECK(at.scores == Approx(at.projections + at.mlp).epsilon(1e-12));
    // Llama 2 7B: four d × d projections and a gated MLP of three d × 11008 matrices
    const attn::block_budget llama = attn::budget(attn::published_model("Llama 2 7B"), 4096);
    CHECK(llama.attention_weights == 4.0 * 4096 * 4096);
    CHECK(llama.mlp_weights == 3.0 * 4096 * 11008);
    CHECK(llama.crossover == Approx((8.0 * 4096 * 4096 + 6.0 * 4096 * 11008) / (4 * 4096)).epsilon(1e-12));
    // grouped K/V heads shrink W_k and W_v (Llama 2 70B: 8 of 64)
    CHECK(attn::budget(attn::published_model("Llama 2 70B"), 1).attention_weights ==
          2.0 * 8192 * 8192 + 2.0 * 8192 * 8 * 128);
    CHECK_THROWS_AS(attn::budget(attn::published_model("GPT-2 small"), 0), attn::value_error);
}

TEST_CASE("the residual stream of a text through the trained model", "[transformer_block][stream]") {
    const auto t = lessons::transformer_block::stream("the cat");
    REQUIRE(t.tokens.size() == 7);
    REQUIRE(t.stages.size() == 1 + 2 * lessons::course_model().config.layers);
    CHECK(t.stages[1] == "attention 1");
    for (std::size_t s = 0; s < t.stages.size(); ++s)
        for (std::size_t i = 0; i < 7; ++i) {
            CHECK(std::isfinite(t.length[s][i]));
            CHECK(t.length[s][i] > 0);
            CHECK(t.turned[s][i] <= 1 + 1e-9);
        }
    CHECK_THROWS_WITH(lessons::transformer_block::stream(""), Catch::Contains("the text is empty"));
    const auto n = lessons::transformer_block::normalise(attn::vector{1, 2, 3, 6}, attn::vector{1, 1, 1, 1},
                                                         attn::vector{0, 0, 0, 0});
    CHECK(n.mean == 3);
    CHECK(n.variance == 3.5);
    CHECK_THROWS_WITH(lessons::transformer_block::normalise(attn::vector{1, 2}, attn::vector{1}, attn::vector{0, 0}),
                      Catch::Contains("the gain g 1"));
}
