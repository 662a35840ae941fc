// lessons/transformer_block/lesson.hpp — lesson 16's C++ API: layer norm on one row, the residual
// stream of a text through the course's trained model, and where a model's weights and FLOPs go.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/transformer.hpp>

#include "course_model.hpp"
#include "question.hpp"

namespace lessons::transformer_block {

/// Layer norm of one row, step by step: its mean and variance, the row normalised, then scaled
/// and shifted.
struct norm_steps {
    double mean, variance, rstd;  // rstd = 1/√(variance + ε)
    attn::vector xhat, y;
    ATTN_FIELDS(mean, variance, rstd, xhat, y)
};
inline norm_steps normalise(const attn::vector& x, const attn::vector& g, const attn::vector& b) {
    attn::require_nonempty("layer norm", "x", x);
    const std::size_t d = x.size();
    if (g.size() != d || b.size() != d)
        throw attn::shape_error("layer norm: x has " + std::to_string(d) + " entries, the gain g " +
                                std::to_string(g.size()) + " and the shift b " + std::to_string(b.size()) +
                                "; all three need one per feature");
    const auto row = [d](const attn::vector& v) { return attn::matrix(xt::reshape_view(v, {std::size_t(1), d})); };
    attn::norm_cache<float> c;
    const attn::matrix y = attn::layer_norm(row(x), row(g), row(b), &c);
    double mean = 0, var = 0;
    for (float v : x) mean += v / double(d);
    for (float v : x) var += (v - mean) * (v - mean) / double(d);
    return {mean, var, c.rstd[0], xt::row(c.xhat, 0), xt::row(y, 0)};
}

/// The residual stream of a text through the course's model: for each token, how long the stream
/// is after each stage, and how much each layer added to it.
struct stream_trace {
    std::vector<std::string> tokens;          // one byte each, as text
    std::vector<std::string> stages;          // "embed", "attention 1", "MLP 1", …
    std::vector<std::vector<double>> length;  // [stage][token]: |x| after the stage
    std::vector<std::vector<double>> added;   // [stage][token]: |what the stage added| (the embedding itself first)
    std::vector<std::vector<double>> turned;  // [stage][token]: cosine between x before and after the stage
    ATTN_FIELDS(tokens, stages, length, added, turned)
};
inline stream_trace stream(const std::string& text) {
    const attn::lm_model& m = course_model();
    const std::vector<std::size_t> x = attn::model_tokens(m, text);
    attn::model_pass<float> pass;
    attn::model_forward<float>(m.params, m.config, x, &pass);
    const std::size_t n = x.size(), d = m.config.d_model;
    const auto norm = [d](const attn::tensor2<float>& M, std::size_t i) {
        double s = 0;
        for (std::size_t j = 0; j < d; ++j) s += double(M(i, j)) * M(i, j);
        return std::sqrt(s);
    };
    const auto cosine = [d](const attn::tensor2<float>& A, const attn::tensor2<float>& B, std::size_t i) {
        double ab = 0, aa = 0, bb = 0;
        for (std::size_t j = 0; j < d; ++j)
            ab += double(A(i, j)) * B(i, j), aa += double(A(i, j)) * A(i, j), bb += double(B(i, j)) * B(i, j);
        return ab / std::sqrt(aa * bb);
    };
    stream_trace t;
    for (std::size_t c : x) t.tokens.push_back(attn::decode_bytes({c}));
    attn::tensor2<float> X = pass.embedded;
    const auto record = [&](const std::string& stage, const attn::tensor2<float>& before,
                            const attn::tensor2<float>& add, const attn::tensor2<float>& after) {
        t.stages.push_back(stage);
        t.length.emplace_back(), t.added.emplace_back(), t.turned.emplace_back();
        for (std::size_t i = 0; i < n; ++i) {
            t.length.back().push_back(norm(after, i));
            t.added.back().push_back(norm(add, i));
            t.turned.back().push_back(stage == "embed" ? 1.0 : cosine(before, after, i));
        }
    };
    record("embed", X, X, X);
    for (std::size_t l = 0; l < pass.blocks.size(); ++l) {
        const auto& b = pass.blocks[l];
        const attn::tensor2<float> R = X + b.added_attention;
        record("attention " + std::to_string(l + 1), X, b.added_attention, R);
        const attn::tensor2<float> Y = R + b.added_mlp;
        record("MLP " + std::to_string(l + 1), R, b.added_mlp, Y);
        X = Y;
    }
    return t;
}

/// Where the weights and forward FLOPs go at n tokens: the course's model, then the published ones.
inline std::vector<attn::block_budget> budgets(std::size_t n) {
    attn::require_whole_in("n", double(n), 1, 1e7);
    std::vector<attn::block_budget> out{attn::budget(attn::as_model_config(course_model().config, "course model"), n)};
    for (const auto& m : attn::published_models()) out.push_back(attn::budget(m, n));
    return out;
}

/// The course's model's weights counted by part, from its own parameters.
struct weight_count {
    std::string part;
    double count;
    ATTN_FIELDS(part, count)
};
inline std::vector<weight_count> weight_counts() {
    attn::model_params<float> p = course_model().params;
    const auto size = [](std::initializer_list<attn::tensor2<float>*> ts) {
        double n = 0;
        for (auto* t : ts) n += double(t->size());
        return n;
    };
    double attention = 0, mlp = 0, norms = size({&p.lnf_g, &p.lnf_b});
    for (auto& b : p.blocks) {
        attention += size({&b.W_q, &b.W_k, &b.W_v, &b.W_o});
        mlp += size({&b.W_1, &b.b_1, &b.W_2, &b.b_2});
        norms += size({&b.ln1_g, &b.ln1_b, &b.ln2_g, &b.ln2_b});
    }
    return {{"token embeddings E", size({&p.E})},
            {"position embeddings P", size({&p.P})},
            {"attention W_q, W_k, W_v, W_o", attention},
            {"MLP W_1, b_1, W_2, b_2", mlp},
            {"layer norms g, b", norms},
            {"read-out W_out", size({&p.W_out})}};
}

/// The example of the walkthrough and the page: one row through layer norm, and a text.
struct example {
    attn::vector x, g, b;
    std::string text;
    ATTN_FIELDS(x, g, b, text)
};
inline example fixed_example() {
    return {{2, -1, 0.5f, 4, -0.5f}, {1, 1, 1, 1, 1}, {0, 0, 0, 0, 0}, "the cat sat on the mat"};
}

/// What `attnlab example transformer_block --json` prints and the browser test checks the page against.
struct values {
    norm_steps norm;
    stream_trace stream;
    std::vector<attn::block_budget> budget;
    ATTN_FIELDS(norm, stream, budget)
};
inline values example_values() {
    const example e = fixed_example();
    return {normalise(e.x, e.g, e.b), stream(e.text), budgets(1024)};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json.
inline std::vector<checks::answer> answers() {
    using checks::vec;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_x = checks::mat({{2, 4, 4, 6}});
    const auto last = [](bool sample_variance) {  // (1, 2, 3, 6) normalised: its last entry
        const attn::vector x = vec({1, 2, 3, 6});
        const norm_steps s = normalise(x, vec({1, 1, 1, 1}), vec({0, 0, 0, 0}));
        if (!sample_variance) return std::vector<double>{s.xhat(3)};
        return std::vector<double>{(6 - s.mean) / std::sqrt(s.variance * 4 / 3)};  // dividing by d − 1
    };
    const auto gpt = [](std::size_t d) {  // a GPT block of width d: MLP 4·d wide, heads of 64
        return attn::budget({"a GPT block", 1, d, d / 64, d / 64, 64, 4 * d, 2048, 0, 2, 2, 50257}, 1).crossover;
    };
    return {
        {"norm-last",
         [last] { return last(false); },
         {[last] { return last(true); }},
         {},
         [] {
             const attn::matrix x = checks::mat({{1, 2, 3, 6}});
             const attn::matrix one = xt::ones<attn::real>({std::size_t(1), std::size_t(4)}),
                                zero = xt::zeros<attn::real>({std::size_t(1), std::size_t(4)});
             const attn::matrix y = attn::layer_norm(x, one, zero);
             return std::vector<std::string>{"mean = (1 + 2 + 3 + 6) / 4 = 3",
                                             "squared differences (4, 1, 0, 9): variance = 14 / 4 = 3.5",
                                             "last entry: (6 − 3) / √3.5 = " + checks::text(y(0, 3), 3),
                                             "the row now has mean " + checks::num(std::abs(double(xt::mean(y)()))) +
                                                 " and variance " + checks::num(double(xt::mean(y * y)()))};
         }},
        {"crossover",
         [gpt] { return std::vector<double>{gpt(4096)}; },
         {[gpt] { return std::vector<double>{gpt(4096) / 6}; }},
         {},
         [] {
             const double d = 4096;
             return std::vector<std::string>{"projections: 2 FLOPs · 4·d² weights = 8·d² per token",
                                             "MLP: 2 FLOPs · 8·d² weights = 16·d² per token",
                                             "together 24·d²; attention's Q·Kᵀ and P·V: 4·n·d per token",
                                             "4·n·d = 24·d² gives n = 6·d = " + checks::text(6 * d, 0)};
         }},
        {"mlp-share",
         [] {
             const attn::block_budget b = attn::budget(attn::published_model("GPT-2 small"), 1);
             const double share = b.mlp_weights / (b.mlp_weights + b.attention_weights);
             return std::vector<double>{share < 0.5 ? 0.0 : share < 0.8 ? 1.0 : 2.0};
         },
         {[] { return std::vector<double>{0}; }},
         {},
         [] {
             const double d = 768, attention = 4 * d * d, mlp = 2 * d * 3072;
             return std::vector<std::string>{"attention: 4 matrices of d × d = 4·d² = " + checks::text(attention, 0),
                                             "MLP: d × 4d and 4d × d = 8·d² = " + checks::text(mlp, 0),
                                             "share: 8·d² / 12·d² = " + checks::text(mlp / (attention + mlp), 3)};
         }},
        {"paper-norm",
         [=] {
             const attn::matrix one = xt::ones<attn::real>({std::size_t(1), std::size_t(4)}),
                                zero = xt::zeros<attn::real>({std::size_t(1), std::size_t(4)});
             return checks::flat(attn::layer_norm(ex_x, one, zero));
         },
         {},
         [=] {
             return std::vector<checks::given>{{"x", ex_x}};
         },
         [=] {
             const attn::matrix one = xt::ones<attn::real>({std::size_t(1), std::size_t(4)}),
                                zero = xt::zeros<attn::real>({std::size_t(1), std::size_t(4)});
             double mean = 0, var = 0;
             for (float v : ex_x) mean += v / 4.0;
             for (float v : ex_x) var += (v - mean) * (v - mean) / 4.0;
             return std::vector<std::string>{
                 "mean μ = " + checks::num(mean),
                 "variance σ² = mean of (x − μ)² = " + checks::num(var) + ", σ = " + checks::text(std::sqrt(var), 3),
                 "(x − μ) / σ = " + checks::rows_text(attn::layer_norm(ex_x, one, zero), 3)[0]};
         }},
    };
}

}  // namespace lessons::transformer_block
