// lessons/training/lesson.hpp — lesson 15's C++ API: the capstone's settings, its probe sequence,
// and the trainer the page steps (one model and optimiser held between calls, so the page can
// train frame by frame with requestAnimationFrame).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/transformer.hpp>
#include <attn/softmax.hpp>
#include <attn/train.hpp>

#include "question.hpp"

namespace lessons::training {

/// Training stops here: mean cross-entropy per symbol on the held-out sequences.
inline constexpr double target_loss = 0.05;
inline constexpr std::size_t max_steps = 1000;

/// A fixed sequence to draw the attention map for: every symbol once, in a scrambled order.
inline std::vector<std::size_t> probe() { return {3, 7, 1, 9, 0, 4, 8, 2, 6, 5}; }

/// Trains until the held-out loss is below target_loss (checked every 10 steps) or max_steps.
/// Returns the steps taken.
inline std::size_t train_to_target(attn::toy_trainer& t) {
    while (t.steps() < max_steps) {
        for (int k = 0; k < 10; ++k) t.step();
        if (t.evaluate().loss < target_loss) break;
    }
    return t.steps();
}

/// The page's trainer: made by reset(), stepped by train(), read by probe().
inline std::unique_ptr<attn::toy_trainer>& current() {
    static std::unique_ptr<attn::toy_trainer> trainer;
    return trainer;
}
inline attn::toy_trainer& require_trainer(const char* where) {
    if (!current()) throw attn::value_error(std::string(where) + ": call reset first");
    return *current();
}

/// A new model and optimiser for `task` ("copy", "reverse" or "shift"); its held-out loss and accuracy.
inline attn::toy_eval reset(const std::string& task, attn::real lr, std::size_t seed) {
    attn::toy_config c;
    c.task = attn::parse_task(task);
    if (!(lr > 0 && lr <= 0.1f)) throw attn::value_error("the learning rate must be in (0, 0.1]");
    attn::require_whole_in("the seed", double(seed), 0, 1e9);
    c.lr = lr, c.seed = seed;
    current() = std::make_unique<attn::toy_trainer>(c);
    return current()->evaluate();
}

/// `steps` Adam steps, then the held-out figures.
struct trained {
    std::size_t steps;
    double batch_loss;
    attn::toy_eval held_out;
    ATTN_FIELDS(steps, batch_loss, held_out)
};
inline trained train(std::size_t steps) {
    attn::toy_trainer& t = require_trainer("train");
    attn::require_whole_in("steps", double(steps), 1, 1000);
    double batch = 0;
    for (std::size_t s = 0; s < steps; ++s) batch = t.step();
    return {t.steps(), batch, t.evaluate()};
}

/// The probe sequence through the model: its input, the right answer, the model's, the attention
/// map A and the scaled scores S it is the softmax of (what a hover on the map explains).
struct probed {
    std::vector<std::size_t> x, target, predicted;
    attn::matrix A, S;
    ATTN_FIELDS(x, target, predicted, A, S)
};
inline probed probe_model() {
    attn::toy_trainer& t = require_trainer("probe");
    const auto x = probe();
    const attn::toy_pass f = attn::toy_forward(t.model(), x);
    return {x, attn::toy_target(t.config().task, x), t.predict(x), f.A, attn::scaled_scores(f.Q, f.K)};
}

/// The held-out loss training stops at, for the page (as {value}).
inline double target() { return target_loss; }

/// What `attnlab example 15 --json` prints: the default model's held-out loss, untrained and after 10 steps.
struct values {
    double initial_loss, loss_after_10;
    ATTN_FIELDS(initial_loss, loss_after_10)
};
inline values example_values() {
    attn::toy_trainer t{attn::toy_config{}};
    const double initial = t.evaluate().loss;
    for (int k = 0; k < 10; ++k) t.step();
    return {initial, t.evaluate().loss};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_logits = checks::mat({{2, 1, 0}});
    return {
        {"pattern",
         [] {
             // The target of the reverse task at position 0 comes from the last input position.
             const std::vector<std::size_t> x{0, 1, 2, 3, 4, 5};
             const std::vector<std::size_t> y = attn::toy_target(attn::toy_task::reverse, x);
             return std::vector<double>{y[0] == x.back() ? 1.0 : 0.0};
         }},
        {"first-loss",
         [] {
             const attn::vector p = attn::softmax(xt::zeros<float>({10}));
             return std::vector<double>{-std::log(double(p(0)))};
         },
         {[] { return std::vector<double>{0.1}; }},
         {},
         [] {
             const attn::matrix logits = xt::zeros<attn::real>({1, 10});
             return std::vector<std::string>{
                 "uniform over 10 symbols: p = 1/10 = " + checks::num(attn::softmax_rows(logits)(0, 0)),
                 "loss = −ln 0.1 = ln 10 = " + checks::text(attn::cross_entropy(logits, {3}), 3)};
         }},
        {"adam-step",
         [] {
             attn::matrix p = xt::zeros<float>({1, 1}), g = xt::ones<float>({1, 1}) * 5.0f;
             attn::matrix m = xt::zeros<float>({1, 1}), v = xt::zeros<float>({1, 1});
             attn::adam_update(p, g, m, v, 1, 0.01f);
             return std::vector<double>{-double(p(0, 0))};
         },
         {[] { return std::vector<double>{0.01 * 0.1 / std::sqrt(0.001)}; }, [] { return std::vector<double>{0.05}; }},
         {},
         [] {
             attn::matrix p = xt::zeros<float>({1, 1}), g = xt::ones<float>({1, 1}) * 5.0f;
             attn::matrix m = xt::zeros<float>({1, 1}), v = xt::zeros<float>({1, 1});
             attn::adam_update(p, g, m, v, 1, 0.01f);
             const double b1 = 1 - m(0, 0) / 5.0, b2 = 1 - v(0, 0) / 25.0;
             return std::vector<std::string>{"m = " + checks::text(1 - b1, 1) + "·g = " + checks::text(m(0, 0), 3) +
                                                 ", v = " + checks::text(1 - b2, 3) +
                                                 "·g² = " + checks::text(v(0, 0), 3),
                                             "bias-corrected: m̂ = " + checks::num(m(0, 0) / (1 - b1)) +
                                                 " = g, v̂ = " + checks::num(v(0, 0) / (1 - b2)) + " = g²",
                                             "step = lr·m̂/√v̂ = 0.01 · 5 / 5 = " + checks::text(-p(0, 0), 4)};
         }},
        {"paper-loss",
         [=] { return std::vector<double>{attn::cross_entropy(ex_logits, {0})}; },
         {},
         [=] {
             return std::vector<checks::given>{{"logits", ex_logits}};
         },
         [=] {
             const attn::matrix p = attn::softmax_rows(ex_logits);
             return std::vector<std::string>{"p = softmax(logits) = " + checks::rows_text(p, 4)[0],
                                             "the target is the first token: loss = −ln " + checks::text(p(0, 0), 4) +
                                                 " = ln(1 + e⁻¹ + e⁻²) = ln " + checks::text(1 / p(0, 0), 3) + " = " +
                                                 checks::text(attn::cross_entropy(ex_logits, {0}), 3)};
         }},
        {"paper-grad",
         [=] {
             attn::matrix d;
             attn::cross_entropy(ex_logits, {0}, &d);
             return checks::flat(d);
         },
         {},
         [=] {
             return std::vector<checks::given>{{"logits", ex_logits}};
         },
         [=] {
             attn::matrix d;
             attn::cross_entropy(ex_logits, {0}, &d);
             return std::vector<std::string>{
                 "p = softmax(logits) = " + checks::rows_text(attn::softmax_rows(ex_logits), 4)[0],
                 "subtract 1 at the target: dlogits = p − y = " + checks::rows_text(d, 4)[0]};
         }},
    };
}

}  // namespace lessons::training
