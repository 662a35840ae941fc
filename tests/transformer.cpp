// tests/transformer.cpp — the transformer block (attn/transformer.hpp), layer by layer. Every
// backward is checked against central finite differences of its forward in float64: the layer
// norm, GELU, the linear layer, causal multi-head attention, a whole block and a whole two-block
// model through its loss. Then what makes it a language model: position i never sees a later
// token, the float32 forward on the tiled kernel agrees with the float64 one, AdamW and its
// schedule do what their papers say, a few steps learn a repeating text, and bad shapes are named.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <attn/transformer.hpp>

using attn::tensor2;
using M64 = tensor2<double>;

namespace {

M64 normal64(std::size_t r, std::size_t c, attn::rng& g, double sd = 1) {
    return attn::normal_matrix<double>(r, c, g, sd);
}

/// Central differences of f at every entry of x (h = 1e-5), against the analytic gradient `grad`.
void check_gradient(const std::string& what, M64& x, const M64& grad, const std::function<double()>& f,
                    std::size_t stride = 1) {
    const double h = 1e-5;
    for (std::size_t e = 0; e < x.size(); e += stride) {
        const double keep = x.data()[e];
        x.data()[e] = keep + h;
        const double up = f();
        x.data()[e] = keep - h;
        const double down = f();
        x.data()[e] = keep;
        const double numeric = (up - down) / (2 * h);
        INFO(what << " entry " << e << ": backward " << grad.data()[e] << ", finite difference " << numeric);
        CHECK(std::abs(grad.data()[e] - numeric) <= 1e-7 + 1e-5 * std::abs(numeric));
    }
}

double dot(const M64& A, const M64& B) {
    double s = 0;
    for (std::size_t e = 0; e < A.size(); ++e) s += A.data()[e] * B.data()[e];
    return s;
}

/// A small model with every parameter drawn at a scale where every layer matters.
attn::model_params<double> lively(const attn::block_config& c, std::uint64_t seed) {
    attn::rng g(seed);
    auto m = attn::model_init<double>(c, g);
    for (auto* p : m.params()) *p += normal64(p->shape(0), p->shape(1), g, 0.3);
    return m;
}

}  // namespace

TEST_CASE("layer norm's backward is its forward's slope: dX, dg and db", "[transformer][backward]") {
    attn::rng g(1);
    M64 X = normal64(3, 5, g), gain = normal64(1, 5, g), bias = normal64(1, 5, g);
    const M64 R = normal64(3, 5, g);  // the loss is Σ Y∘R, so dY = R
    const auto loss = [&] { return dot(attn::layer_norm(X, gain, bias), R); };
    attn::norm_cache<double> c;
    const M64 Y = attn::layer_norm(X, gain, bias, &c);
    for (std::size_t i = 0; i < 3; ++i) {  // each row of x̂ has mean 0 and variance 1 (less ε)
        double mean = 0, var = 0;
        for (std::size_t j = 0; j < 5; ++j) mean += c.xhat(i, j) / 5;
        for (std::size_t j = 0; j < 5; ++j) var += (c.xhat(i, j) - mean) * (c.xhat(i, j) - mean) / 5;
        CHECK(mean == Approx(0).margin(1e-12));
        CHECK(var == Approx(1).epsilon(1e-4));
    }
    M64 dg = xt::zeros<double>({1, 5}), db = xt::zeros<double>({1, 5});
    const M64 dX = attn::layer_norm_backward(R, gain, c, dg, db);
    check_gradient("dX", X, dX, loss);
    check_gradient("dg", gain, dg, loss);
    check_gradient("db", bias, db, loss);
}

TEST_CASE("GELU: x·Φ(x) in its tanh form, and its slope", "[transformer][backward]") {
    CHECK(attn::gelu(0.0) == 0);
    CHECK(attn::gelu(6.0) == Approx(6.0).epsilon(1e-8));  // large x passes
    CHECK(attn::gelu(-6.0) == Approx(0).margin(1e-7));    // very negative x is shut
    CHECK(attn::gelu(1.0) == Approx(0.8411919906).epsilon(1e-9));
    for (double x : {-3.0, -1.0, -0.3, 0.0, 0.4, 1.5, 3.0})
        CHECK(attn::gelu_slope(x) == Approx((attn::gelu(x + 1e-6) - attn::gelu(x - 1e-6)) / 2e-6).epsilon(1e-7));
}

TEST_CASE("the linear layer's backward: dX, dW and db", "[transformer][backward]") {
    attn::rng g(2);
    M64 X = normal64(4, 3, g), W = normal64(3, 2, g), b = normal64(1, 2, g);
    const M64 R = normal64(4, 2, g);
    const auto loss = [&] { return dot(attn::linear(X, W, b), R); };
    M64 dW = xt::zeros<double>({3, 2}), db = xt::zeros<double>({1, 2});
    const M64 dX = attn::linear_backward(X, W, R, dW, db);
    check_gradient("dX", X, dX, loss);
    check_gradient("dW", W, dW, loss);
    check_gradient("db", b, db, loss);
}

TEST_CASE("causal multi-head attention: lesson 14's backward per head, and no row sees a later one",
          "[transformer][backward]") {
    const attn::block_config c{7, 5, 6, 2, 1};
    auto m = lively(c, 3);
    auto& p = m.blocks[0];
    attn::rng g(4);
    M64 X = normal64(5, 6, g);
    const M64 R = normal64(5, 6, g);
    const auto loss = [&] { return dot(attn::causal_mha(X, p, c.heads), R); };
    attn::mha_cache<double> cache;
    attn::causal_mha(X, p, c.heads, &cache);
    auto grads = attn::model_zeros<double>(c);
    const M64 dX = attn::causal_mha_backward(R, p, c.heads, cache, grads.blocks[0]);
    check_gradient("dX", X, dX, loss);
    check_gradient("dW_q", p.W_q, grads.blocks[0].W_q, loss);
    check_gradient("dW_k", p.W_k, grads.blocks[0].W_k, loss);
    check_gradient("dW_v", p.W_v, grads.blocks[0].W_v, loss);
    check_gradient("dW_o", p.W_o, grads.blocks[0].W_o, loss);
    // Changing token 3 leaves rows 0, 1 and 2 exactly as they were.
    const M64 before = attn::causal_mha(X, p, c.heads);
    xt::row(X, 3) += 1.0;
    const M64 after = attn::causal_mha(X, p, c.heads);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 6; ++j) CHECK(after(i, j) == before(i, j));
    CHECK(after(3, 0) != before(3, 0));
}

TEST_CASE("a whole block, and a two-block model through its loss: every parameter's gradient",
          "[transformer][backward]") {
    const attn::block_config c{7, 5, 8, 2, 2};
    auto m = lively(c, 5);
    const std::vector<std::size_t> x{1, 4, 0, 6, 2}, y{4, 0, 6, 2, 3};
    const auto loss = [&] { return attn::cross_entropy(attn::model_forward(m, c, x), y); };
    auto g = attn::model_zeros<double>(c);
    const double L = attn::model_backward(m, c, x, y, g);
    CHECK(L == Approx(loss()).epsilon(1e-12));
    const auto params = m.params(), grads = g.params();
    REQUIRE(params.size() == 2 + 12 * 2 + 3);
    for (std::size_t k = 0; k < params.size(); ++k)  // every third entry of every parameter
        check_gradient("parameter " + std::to_string(k), *params[k], *grads[k], loss, 3);
    // The embeddings of tokens that are not in x get no gradient.
    for (std::size_t j = 0; j < c.d_model; ++j) CHECK(g.E(5, j) == 0);
}

TEST_CASE("the model is causal, and its float32 forward on the tiled kernel agrees with float64", "[transformer]") {
    const attn::block_config c{256, 12, 16, 4, 2};
    auto m64 = lively(c, 6);
    attn::model_params<float> m32 = attn::model_zeros<float>(c);
    const auto p64 = m64.params();
    const auto p32 = m32.params();
    for (std::size_t k = 0; k < p64.size(); ++k) *p32[k] = xt::cast<float>(*p64[k]);
    std::vector<std::size_t> x = attn::encode_bytes("attention!!?");
    const M64 Z64 = attn::model_forward(m64, c, x);
    const tensor2<float> Z32 = attn::model_forward(m32, c, x);
    double worst = 0;
    for (std::size_t e = 0; e < Z64.size(); ++e)
        worst = std::max(worst, std::abs(double(Z32.data()[e]) - Z64.data()[e]));
    CHECK(worst < 1e-4);
    x[7] = 'X';  // a later token changes: the logits before it do not
    const M64 changed = attn::model_forward(m64, c, x);
    for (std::size_t i = 0; i < 7; ++i)
        for (std::size_t j = 0; j < 256; ++j) CHECK(changed(i, j) == Z64(i, j));
    CHECK(changed(7, 0) != Z64(7, 0));
}

TEST_CASE("AdamW: one step by hand, decay that bypasses the moments, and the warm-up cosine schedule",
          "[transformer]") {
    attn::adamw_config a;
    a.lr = 0.01;
    a.weight_decay = 0.5;
    tensor2<float> p = {{1.0f, -2.0f}}, g = {{0.5f, -0.25f}}, m = xt::zeros<float>({1, 2}),
                   v = xt::zeros<float>({1, 2});
    attn::adamw_update(p, g, m, v, 1, a.lr, a, true);
    // Step 1: m̂ = g and v̂ = g², so each parameter moves by lr·sign(g), after decaying by lr·λ.
    CHECK(p(0, 0) == Approx(1.0 * (1 - 0.01 * 0.5) - 0.01).epsilon(1e-6));
    CHECK(p(0, 1) == Approx(-2.0 * (1 - 0.01 * 0.5) + 0.01).epsilon(1e-6));
    tensor2<float> q = {{1.0f, -2.0f}}, m2 = xt::zeros<float>({1, 2}), v2 = xt::zeros<float>({1, 2});
    attn::adamw_update(q, g, m2, v2, 1, a.lr, a, false);
    CHECK(q(0, 0) == Approx(0.99).epsilon(1e-6));
    a.warmup = 10;
    a.total = 110;
    CHECK(attn::scheduled_lr(a, 1) == Approx(0.001));
    CHECK(attn::scheduled_lr(a, 10) == Approx(0.01));
    CHECK(attn::scheduled_lr(a, 60) == Approx(0.01 * (0.1 + 0.9 * 0.5)));
    CHECK(attn::scheduled_lr(a, 110) == Approx(0.001));
    CHECK(attn::scheduled_lr(a, 500) == Approx(0.001));
    for (std::size_t t = 11; t < 110; ++t) CHECK(attn::scheduled_lr(a, t + 1) <= attn::scheduled_lr(a, t));
    CHECK_THROWS_WITH(attn::scheduled_lr(a, 0), Catch::Contains("steps count from 1"));
    auto model = attn::model_zeros<float>(attn::block_config{7, 5, 8, 2, 1});
    const std::vector<bool> d = attn::decays(model);
    CHECK(d[0] == false);      // E
    CHECK(d[2 + 2] == true);   // W_q
    CHECK(d[2 + 0] == false);  // ln1_g
    CHECK(d.back() == true);   // W_out
}

TEST_CASE("a few AdamW steps learn a repeating text, the same for a seed", "[transformer][train]") {
    const attn::block_config c{256, 16, 16, 2, 1};
    const std::vector<std::size_t> text = attn::encode_bytes("the cat sat on the mat. the cat sat on the mat. ");
    const auto run = [&](std::uint64_t seed) {
        attn::rng g(seed);
        auto m = attn::model_init<float>(c, g);
        auto mo = attn::model_zeros<float>(c), ve = attn::model_zeros<float>(c);
        attn::adamw_config a;
        a.lr = 1e-2;
        a.warmup = 5;
        a.total = 80;
        const std::vector<bool> decay = attn::decays(m);
        std::vector<float> losses;
        for (std::size_t t = 1; t <= 80; ++t) {
            const std::size_t at = g.below(text.size() - c.context - 1);
            const std::vector<std::size_t> x(text.begin() + at, text.begin() + at + c.context),
                y(text.begin() + at + 1, text.begin() + at + c.context + 1);
            auto grads = attn::model_zeros<float>(c);
            losses.push_back(attn::model_backward(m, c, x, y, grads));
            const auto ps = m.params(), gs = grads.params(), ms = mo.params(), vs = ve.params();
            for (std::size_t k = 0; k < ps.size(); ++k)
                attn::adamw_update(*ps[k], *gs[k], *ms[k], *vs[k], t, attn::scheduled_lr(a, t), a, decay[k]);
        }
        return losses;
    };
    const std::vector<float> first = run(1), again = run(1);
    CHECK(first == again);                                          // deterministic for a seed
    CHECK(first.front() == Approx(std::log(256.0)).epsilon(0.05));  // chance at the start: ln 256 nats
    CHECK(first.back() < 1.0f);
}

TEST_CASE("bytes in, bytes out; bad shapes and tokens are named", "[transformer][errors]") {
    const std::string text = "ℓ = Σ e^(z − m)";
    CHECK(attn::decode_bytes(attn::encode_bytes(text)) == text);
    CHECK(attn::encode_bytes("ℓ").size() == 3);  // one character, three UTF-8 bytes
    CHECK_THROWS_WITH(attn::decode_bytes({65, 256}), Catch::Contains("token 256 is not a byte"));
    CHECK_THROWS_WITH(attn::model_zeros<float>(attn::block_config{256, 8, 10, 3, 1}),
                      Catch::Contains("d_model 10 does not split into 3 heads"));
    const attn::block_config c{16, 4, 8, 2, 1};
    const auto m = attn::model_zeros<float>(c);
    CHECK_THROWS_WITH(attn::model_forward(m, c, {1, 2, 3, 4, 5}), Catch::Contains("5 tokens; the model takes 1 to 4"));
    CHECK_THROWS_WITH(attn::model_forward(m, c, {1, 16}), Catch::Contains("token 16 is outside the vocabulary 0..15"));
    CHECK_THROWS_AS(attn::layer_norm(tensor2<float>(xt::zeros<float>({2, 3})), tensor2<float>(xt::ones<float>({1, 4})),
                                     tensor2<float>(xt::zeros<float>({1, 4}))),
                    attn::shape_error);
}
