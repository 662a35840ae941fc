// lessons/why_attention/lesson.hpp — lesson 4's C++ API: Bahdanau's score worked on small numbers,
// and the two translators the page trains side by side (one reading into a fixed vector, one with
// attention), held between calls so the page can train them frame by frame.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/scores.hpp>
#include <attn/seq2seq.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::why_attention {

/// Both models train this many steps (batches of 16 sentences of 4 to 8 words), in the walkthrough
/// and on the page; they are tested on sentences up to twice the longest they saw.
inline constexpr std::size_t train_steps = 3000;
inline constexpr std::size_t longest = 16;

/// A word as the page and walkthrough print it: nouns N0..N59, adjectives A0..A39.
inline std::string word(std::size_t w, const attn::translation_task& t = {}) {
    return t.is_adjective(w) ? "A" + std::to_string(w - t.nouns) : "N" + std::to_string(w);
}
inline std::vector<std::string> words(const std::vector<std::size_t>& ws) {
    std::vector<std::string> out;
    for (auto w : ws) out.push_back(word(w));
    return out;
}

/// The worked example: a decoder state s (3 numbers) against four annotations h_1..h_4 (rows of
/// H), scored in an alignment space of 2 (W, U, v).
struct example {
    attn::vector s;
    attn::matrix H, W, U;
    attn::vector v;
    ATTN_FIELDS(s, H, W, U, v)
};
inline example fixed_example() {
    return {{0.5f, -1, 0.25f},
            {{1, 0, 0}, {0, 1, 0}, {0.5f, -0.5f, 1}, {-1, 0, 0.5f}},
            {{1, 0.5f, 0}, {0, -1, 1}},
            {{0.5f, 1, 0}, {-1, 0, 0.5f}},
            {1.5f, -1}};
}

/// Bahdanau's scores, weights and context (the library's additive_attention) beside lesson 01's
/// dot product s·h_j and its softmax, which needs s and h_j of one width (empty when they differ).
struct scored {
    attn::vector e, alpha, context, dot, dot_alpha;
    ATTN_FIELDS(e, alpha, context, dot, dot_alpha)
};
inline scored compute(const attn::vector& s, const attn::matrix& H, const attn::matrix& W, const attn::matrix& U,
                      const attn::vector& v) {
    const attn::additive_result r = attn::additive_attention(s, H, W, U, v);
    scored out{r.e, r.alpha, r.context, attn::vector(), attn::vector()};
    if (H.shape(1) == s.size()) {
        attn::matrix q = xt::zeros<attn::real>({std::size_t(1), s.size()});
        xt::row(q, 0) = s;
        out.dot = xt::row(attn::scores(q, H), 0);
        out.dot_alpha = attn::softmax(out.dot);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The two translators

/// The same settings but the attention: seed `seed`, lesson defaults otherwise (attn::seq2seq_config).
inline attn::seq2seq_config config(bool attention, std::size_t seed) {
    attn::seq2seq_config c;
    c.attention = attention;
    c.seed = seed;
    return c;
}

struct translators {
    attn::seq2seq_trainer rnn, attention;
};
inline std::unique_ptr<translators>& current() {
    static std::unique_ptr<translators> models;
    return models;
}
inline translators& require_models(const char* where) {
    if (!current()) throw attn::value_error(std::string(where) + ": call reset first");
    return *current();
}

/// Steps taken, and each model's mean loss per word on its last batch (0 before any step).
struct progress {
    std::size_t steps;
    double loss_rnn, loss_attention;
    ATTN_FIELDS(steps, loss_rnn, loss_attention)
};
/// Two fresh, untrained models from one seed.
inline progress reset(std::size_t seed) {
    attn::require_whole_in("the seed", double(seed), 0, 1e9);
    current() = std::make_unique<translators>(
        translators{attn::seq2seq_trainer(config(false, seed)), attn::seq2seq_trainer(config(true, seed))});
    return {0, 0, 0};
}
/// `steps` Adam steps of each model, on the same sentences.
inline progress train(std::size_t steps) {
    translators& m = require_models("train");
    attn::require_whole_in("steps", double(steps), 1, 500);
    double a = 0, b = 0;
    for (std::size_t k = 0; k < steps; ++k) a = m.rnn.step(), b = m.attention.step();
    return {m.attention.steps(), a, b};
}

/// Accuracy against sentence length (2..16 words), translating on their own, and how often the
/// attention's largest weight falls on the true source word; `count` sentences per length, the
/// same ones for both models.
struct by_length {
    std::vector<double> length, rnn, attention, alignment;
    ATTN_FIELDS(length, rnn, attention, alignment)
};
inline by_length accuracy(const translators& m, std::size_t count) {
    attn::require_whole_in("the sentences per length", double(count), 1, 500);
    by_length out;
    for (std::size_t n = 2; n <= longest; ++n) {
        const attn::seq2seq_eval a = m.rnn.evaluate(n, count, 1000 + n), b = m.attention.evaluate(n, count, 1000 + n);
        out.length.push_back(double(n));
        out.rnn.push_back(a.accuracy);
        out.attention.push_back(b.accuracy);
        out.alignment.push_back(b.alignment);
    }
    return out;
}
inline by_length page_accuracy(std::size_t count) { return accuracy(require_models("accuracy"), count); }

/// Accuracy at each target position of `length`-word sentences: where each model loses its way.
struct by_position {
    std::vector<double> position, rnn, attention;
    ATTN_FIELDS(position, rnn, attention)
};
inline by_position positions(const translators& m, std::size_t length, std::size_t count) {
    attn::require_whole_in("the length", double(length), 2, 32);
    attn::require_whole_in("the sentences", double(count), 1, 500);
    const auto a = m.rnn.evaluate(length, count, 2000 + length), b = m.attention.evaluate(length, count, 2000 + length);
    by_position out{{}, a.by_position, b.by_position};
    for (std::size_t i = 1; i <= length; ++i) out.position.push_back(double(i));
    return out;
}
inline by_position page_positions(std::size_t length, std::size_t count) {
    return positions(require_models("positions"), length, count);
}

/// One sentence of `length` words drawn from `seed`, translated by both models: the words, and
/// the attention's weights α (target word × source word) beside the true alignment (1 where the
/// target word translates the source word).
/// The column of row i's largest entry.
inline std::size_t best(const attn::matrix& M, std::size_t i) {
    const attn::real* r = M.data() + i * M.shape(1);
    return std::size_t(std::max_element(r, r + M.shape(1)) - r);
}
struct translation {
    std::vector<std::string> source, target, rnn, attention;
    attn::matrix scores, alpha, truth;  // e_ij, and α_ij = softmax_j(e_ij)
    double aligned;                     // the share of target words whose largest α is on the true source word
    ATTN_FIELDS(source, target, rnn, attention, scores, alpha, truth, aligned)
};
inline translation translate(const translators& m, std::size_t length, std::size_t seed) {
    attn::require_whole_in("the length", double(length), 2, 32);
    attn::require_whole_in("the seed", double(seed), 0, 1e9);
    attn::rng g(seed);
    const attn::sentence_pair ex = attn::make_sentence(m.attention.config().task, length, g);
    const auto a = m.rnn.translate(ex.source), b = m.attention.translate(ex.source);
    translation out{words(ex.source),
                    words(ex.target),
                    words(attn::seq2seq_words(a)),
                    words(attn::seq2seq_words(b)),
                    attn::rows_matrix(b.scores, length),
                    attn::rows_matrix(b.alpha, length),
                    xt::zeros<attn::real>({length, length}),
                    0};
    for (std::size_t i = 0; i < length; ++i) {
        out.truth(i, ex.alignment[i]) = 1;
        out.aligned += double(best(out.alpha, i) == ex.alignment[i]) / double(length);
    }
    return out;
}
inline translation page_translate(std::size_t length, std::size_t seed) {
    return translate(require_models("translate"), length, seed);
}

/// How large a gradient reaches each source word from the target word that translates it, in two
/// untrained models (seed 1) reading the same `length`-word sentence: without attention it comes
/// the whole way back through the recurrence; with attention it also has the short way.
struct reach {
    std::vector<double> position, rnn, attention;
    ATTN_FIELDS(position, rnn, attention)
};
inline reach gradient_reach(std::size_t length) {
    attn::require_whole_in("the length", double(length), 2, 64);
    attn::seq2seq_config c = config(false, 1);
    c.max_length = std::max<std::size_t>(c.max_length, length);
    attn::rng g(c.seed), data(11);
    const attn::seq2seq_params<attn::real> p = attn::seq2seq_init<attn::real>(c, g);
    const attn::sentence_pair ex = attn::make_sentence(c.task, length, data);
    reach out{{}, attn::gradient_reach(p, false, ex), attn::gradient_reach(p, true, ex)};
    for (std::size_t j = 1; j <= length; ++j) out.position.push_back(double(j));
    return out;
}

/// Vaswani et al.'s Table 1, counted by attn::count_paths for n source words and n target words.
struct paths {
    std::vector<double> n, rnn_steps, rnn_path, attention_steps, attention_path, self_steps, self_path;
    ATTN_FIELDS(n, rnn_steps, rnn_path, attention_steps, attention_path, self_steps, self_path)
};
inline paths path_table(const std::vector<std::size_t>& lengths) {
    paths out;
    for (auto n : lengths) {
        attn::require_whole_in("n", double(n), 1, 1e6);
        const auto a = attn::count_paths(attn::reader::rnn, n, n),
                   b = attn::count_paths(attn::reader::rnn_attention, n, n),
                   c = attn::count_paths(attn::reader::self_attention, n, n);
        out.n.push_back(double(n));
        out.rnn_steps.push_back(double(a.sequential)), out.rnn_path.push_back(double(a.longest_path));
        out.attention_steps.push_back(double(b.sequential)), out.attention_path.push_back(double(b.longest_path));
        out.self_steps.push_back(double(c.sequential)), out.self_path.push_back(double(c.longest_path));
    }
    return out;
}
inline paths page_paths(std::size_t n) { return path_table({n}); }

/// What `attnlab example why_attention --json` prints and the browser test checks the page
/// against: the worked example, one sentence through two untrained models (seed 1), the gradient
/// reach on 32 words and the paths at n = 50.
struct values {
    scored worked;
    translation untrained;
    reach reach32;
    paths paths50;
    ATTN_FIELDS(worked, untrained, reach32, paths50)
};
inline values example_values() {
    const example ex = fixed_example();
    const translators m{attn::seq2seq_trainer(config(false, 1)), attn::seq2seq_trainer(config(true, 1))};
    return {compute(ex.s, ex.H, ex.W, ex.U, ex.v), translate(m, 8, 7), gradient_reach(32), path_table({50})};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json.
inline std::vector<checks::answer> answers() {
    using checks::mat;
    const example ex = fixed_example();
    return {
        {"first-score",
         [=] { return std::vector<double>{attn::additive_scores(ex.s, ex.H, ex.W, ex.U, ex.v)(0)}; },
         {},
         [=] {
             return std::vector<checks::given>{{"s", mat({{0.5, -1, 0.25}})},
                                               {"h_1", mat({{1, 0, 0}})},
                                               {"W", ex.W},
                                               {"U", ex.U},
                                               {"v", mat({{1.5, -1}})}};
         },
         [=] {
             const attn::vector Ws = {ex.W(0, 0) * ex.s(0) + ex.W(0, 1) * ex.s(1) + ex.W(0, 2) * ex.s(2),
                                      ex.W(1, 0) * ex.s(0) + ex.W(1, 1) * ex.s(1) + ex.W(1, 2) * ex.s(2)};
             const attn::vector Uh = {ex.U(0, 0), ex.U(1, 0)};
             return std::vector<std::string>{
                 "W s = (" + checks::num(Ws(0)) + ", " + checks::num(Ws(1)) + "), U h_1 = (" + checks::num(Uh(0)) +
                     ", " + checks::num(Uh(1)) + ")",
                 "tanh of the sum: (" + checks::text(std::tanh(Ws(0) + Uh(0)), 4) + ", " +
                     checks::text(std::tanh(Ws(1) + Uh(1)), 4) + ")",
                 "e_1 = vᵀ tanh(…) = 1.5·" + checks::text(std::tanh(Ws(0) + Uh(0)), 4) + " − 1·" +
                     checks::text(std::tanh(Ws(1) + Uh(1)), 4) + " = " +
                     checks::text(attn::additive_scores(ex.s, ex.H, ex.W, ex.U, ex.v)(0), 4)};
         }},
        {"fixed-context", [] { return std::vector<double>{1}; }},  // h_n, the same for every i
        {"rnn-path",
         [] { return std::vector<double>{double(attn::count_paths(attn::reader::rnn, 50, 50).longest_path)}; },
         {[] { return std::vector<double>{50}; }, [] { return std::vector<double>{51}; },
          [] { return std::vector<double>{double(attn::count_paths(attn::reader::rnn, 50, 50).sequential)}; }}},
        {"attention-path",
         [] {
             return std::vector<double>{double(attn::count_paths(attn::reader::rnn_attention, 50, 50).longest_path)};
         },
         {[] { return std::vector<double>{52}; }, [] { return std::vector<double>{1}; }}},
        {"align-params",
         [] {
             const attn::seq2seq_config c;  // W (A × H), U (A × H), v (A), one-way encoder
             return std::vector<double>{double(c.align * c.hidden + c.align * c.hidden + c.align)};
         },
         {},
         [] {
             const attn::seq2seq_config c;
             const float A = float(c.align), H = float(c.hidden);
             return std::vector<checks::given>{
                 {"W: rows, columns", mat({{A, H}})}, {"U: rows, columns", mat({{A, H}})}, {"v: entries", mat({{A}})}};
         },
         [] {
             const attn::seq2seq_config c;
             const std::size_t A = c.align, H = c.hidden;
             return std::vector<std::string>{
                 "W: " + std::to_string(A) + " × " + std::to_string(H) + " = " + std::to_string(A * H),
                 "U: " + std::to_string(A) + " × " + std::to_string(H) + " = " + std::to_string(A * H),
                 "v: " + std::to_string(A), "in all: " + std::to_string(A * H + A * H + A)};
         }},
        {"no-labels", [] { return std::vector<double>{1}; }},  // the translation loss alone
    };
}

}  // namespace lessons::why_attention
