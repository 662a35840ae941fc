// lessons/trained_model/lesson.hpp — lesson 17's C++ API: the course's trained model, read.
//
// Everything the page shows is computed here from the model (lessons/course_model.hpp): the next
// byte's probabilities, generated text, every head's map, an induction probe, and the same with
// heads switched off. A head is named by its index layer·heads + head, so the page can pass a
// list of the heads it has switched off.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/inspect.hpp>
#include <attn/lm.hpp>

#include "course_model.hpp"
#include "question.hpp"

namespace lessons::trained_model {

/// Heads given as indices layer·heads + head, as a mask (an index out of range is a value_error).
inline attn::head_mask heads_off(const std::vector<std::size_t>& off) {
    const attn::block_config& c = course_model().config;
    attn::head_mask mask = attn::all_heads_on(c);
    for (std::size_t k : off) {
        if (k >= c.layers * c.heads)
            throw attn::value_error("head " + std::to_string(k) + " does not exist: the model has " +
                                    std::to_string(c.layers * c.heads) + " heads, 0 to " +
                                    std::to_string(c.layers * c.heads - 1));
        mask[k / c.heads][k % c.heads] = true;
    }
    return mask;
}

/// A byte as the page shows it: printable as itself, a space as ␣, a newline as ↵, others as \xNN.
inline std::string shown(std::size_t b) {
    if (b == ' ') return "␣";
    if (b == '\n') return "↵";
    if (b < 32 || b >= 127) return attn::format("\\x%02zx", b);
    return std::string(1, char(b));
}

/// One candidate for the next byte.
struct candidate {
    std::string byte;  // as shown()
    std::size_t code;
    double p;
    ATTN_FIELDS(byte, code, p)
};
/// The next byte after a text: the `top` most likely, and the distribution's entropy in nats.
struct prediction {
    std::vector<candidate> top;
    double entropy;
    ATTN_FIELDS(top, entropy)
};
inline prediction predict(const std::string& text, const std::vector<std::size_t>& off, std::size_t top) {
    attn::require_whole_in("top", double(top), 1, 256);
    const attn::head_mask mask = heads_off(off);
    const std::vector<double> p = attn::next_byte(course_model(), text, &mask);
    std::vector<std::size_t> order(p.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    prediction r{{}, 0};
    for (double x : p)
        if (x > 0) r.entropy -= x * std::log(x);
    for (std::size_t k = 0; k < top; ++k) r.top.push_back({shown(order[k]), order[k], p[order[k]]});
    return r;
}

/// The logits for the byte after `text` (the last row of the forward pass), before any softmax.
inline std::vector<double> logits(const std::string& text, const std::vector<std::size_t>& off) {
    const attn::lm_model& m = course_model();
    const std::vector<std::size_t> x = attn::model_tokens(m, text);
    const attn::head_mask mask = heads_off(off);
    const attn::tensor2<float> z = attn::model_forward<float>(m.params, m.config, x, nullptr, &mask);
    std::vector<double> out;
    for (std::size_t j = 0; j < z.shape(1); ++j) out.push_back(z(x.size() - 1, j));
    return out;
}

/// `count` bytes generated after `prompt` (attn::generate: the KV-cache decoder, greedy at
/// temperature 0, else sampled from the top k, 0 for all).
struct generated {
    std::string prompt, text;
    ATTN_FIELDS(prompt, text)
};
inline generated write(const std::string& prompt, std::size_t count, double temperature, std::size_t top_k,
                       std::size_t seed) {
    attn::require_whole_in("count", double(count), 1, 2000);
    attn::require_whole_in("top-k", double(top_k), 0, 256);
    attn::require_whole_in("seed", double(seed), 0, 1e9);
    return {prompt, attn::generate(course_model(), prompt, count, temperature, top_k, seed)};
}

/// Every head's map for a text, the tokens as shown, and what the model predicts at each position.
struct look_result {
    std::vector<std::string> tokens;
    std::vector<std::vector<attn::matrix>> maps;  // [layer][head], (n, n)
    std::vector<std::string> predicted;           // the most likely next byte after each position
    ATTN_FIELDS(tokens, maps, predicted)
};
inline look_result look(const std::string& text, const std::vector<std::size_t>& off) {
    const attn::lm_model& m = course_model();
    const std::vector<std::size_t> x = attn::model_tokens(m, text);
    const attn::head_mask mask = heads_off(off);
    look_result r{{}, attn::attention_maps(m, x, &mask), {}};
    const attn::tensor2<float> z = attn::model_forward<float>(m.params, m.config, x, nullptr, &mask);
    for (std::size_t i = 0; i < x.size(); ++i) {
        r.tokens.push_back(shown(x[i]));
        std::size_t best = 0;
        for (std::size_t j = 1; j < z.shape(1); ++j)
            if (z(i, j) > z(i, best)) best = j;
        r.predicted.push_back(shown(best));
    }
    return r;
}

/// A random string said again and again: how surprised the model is by each byte (−ln p, nats),
/// its first period's mean and the rest's, and every head's induction score.
struct induction_probe {
    attn::copy_test test;
    std::vector<double> surprisal;  // surprisal[i]: predicting byte i + 1
    std::vector<std::size_t> best;  // the head with the highest score: {layer, head}
    ATTN_FIELDS(test, surprisal, best)
};
inline induction_probe induction(std::size_t length, std::size_t period, std::size_t seed,
                                 const std::vector<std::size_t>& off) {
    attn::require_whole_in("seed", double(seed), 0, 1e9);
    const attn::head_mask mask = heads_off(off);
    induction_probe r{attn::copy_probe(course_model(), length, period, seed, &mask), {}, {0, 0}};
    r.surprisal = attn::surprisal(course_model(), attn::encode_bytes(r.test.text), &mask);
    double top = -1;
    for (std::size_t l = 0; l < r.test.scores.size(); ++l)
        for (std::size_t h = 0; h < r.test.scores[l].size(); ++h)
            if (r.test.scores[l][h] > top) top = r.test.scores[l][h], r.best = {l, h};
    return r;
}

/// The probe the walkthrough, the tests and the page start from.
struct example {
    std::string prompt;
    std::size_t length, period, seed;
    ATTN_FIELDS(prompt, length, period, seed)
};
inline example fixed_example() { return {"Attention lets every token ", 64, 32, 7}; }

/// The model's held-out loss on the course's text against a bigram model's (natively: the text
/// is a file the page does not load).
struct held_out {
    double model, bigram;
    ATTN_FIELDS(model, bigram)
};
#ifdef ATTN_TEXT_FILE
inline held_out measure_held_out() {
    const std::vector<std::size_t> t = attn::encode_bytes(course_text());
    const attn::lm_model& m = course_model();
    return {attn::held_out_loss(m.params, m.config, t), attn::bigram_held_out_loss(t)};
}
#endif

/// What `attnlab example trained_model --json` prints and the browser test checks the page against:
/// the logits' probabilities after the prompt, greedy text, and the induction probe.
struct values {
    std::vector<double> logits, logits_without;  // after the prompt; and with the probe's best head off
    prediction next;
    generated greedy;
    induction_probe probe;
    ATTN_FIELDS(logits, logits_without, next, greedy, probe)
};
inline values example_values() {
    const example e = fixed_example();
    const induction_probe probe = induction(e.length, e.period, e.seed, {});
    const std::size_t best = probe.best[0] * course_model().config.heads + probe.best[1];
    return {logits(e.prompt, {}), logits(e.prompt, {best}), predict(e.prompt, {}, 10), write(e.prompt, 60, 0, 0, 1),
            probe};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json.
inline std::vector<checks::answer> answers() {
    const auto pick = [](double temperature, std::size_t top_k, double u) {  // logits (2, 1, 0)
        return std::vector<double>{double(attn::sample_next({2, 1, 0}, temperature, top_k, u))};
    };
    return {
        {"greedy", [pick] { return pick(0, 0, 0.99); }, {[pick] { return pick(1, 0, 0.99); }}},
        {"top-k",
         [pick] { return pick(1, 2, 0.99); },
         {[pick] { return pick(1, 0, 0.99); }},
         {},
         [] {
             const attn::vector p = attn::softmax(checks::vec({2, 1}));
             return std::vector<std::string>{
                 "top-2 of (2, 1, 0) keeps tokens 0 and 1: softmax(2, 1) = " + checks::tuple_text(p, 3),
                 "the running sum: " + checks::text(p(0), 3) + ", then " + checks::text(p(0) + p(1), 3) +
                     " ≥ u = 0.99 at token " + std::to_string(attn::sample_next({2, 1, 0}, 1, 2, 0.99))};
         }},
        {"induction-target",
         [] {  // in "abcdabcd", query 6 is the second 'c': the key after the first 'c'
             const std::vector<std::size_t> x = attn::encode_bytes("abcdabcd");
             std::size_t earlier = 0;
             for (std::size_t j = 0; j < 6; ++j)
                 if (x[j] == x[6]) earlier = j;
             return std::vector<double>{double(earlier + 1)};
         },
         {[] { return std::vector<double>{2}; }}},  // the earlier 'c' itself
        {"paper-perplexity",
         [] {
             return std::vector<double>{std::exp(1.5), 1.5 / std::log(2.0)};
         },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             return std::vector<std::string>{"perplexity = e^1.5 = e·√e = " + checks::text(std::exp(1.0), 3) + " · " +
                                                 checks::text(std::exp(0.5), 3) + " = " +
                                                 checks::text(std::exp(1.5), 3),
                                             "ln 2 = " + checks::text(std::log(2.0), 3),
                                             "bits per byte = 1.5 / ln 2 = " + checks::text(1.5 / std::log(2.0), 3)};
         }},
    };
}

}  // namespace lessons::trained_model
