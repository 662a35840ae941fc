// lessons/reading_maps/lesson.hpp — lesson 18's C++ API: what the course's trained model's maps
// suggest, against what removing a head or a byte measures (attn/interpret.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/interpret.hpp>

#include "course_model.hpp"
#include "question.hpp"

namespace lessons::reading_maps {

/// The inputs the walkthrough, the tests and the page start from. The filler for the needle is a
/// paragraph of the course's own prose (lesson 10's), long enough for a window of 128 bytes.
struct example {
    std::size_t period, seed;  // the repeated random string of step 1: two copies of `period` letters
    std::string attribution_text, filler;
    std::size_t needle, cue, trials, steps;
    ATTN_FIELDS(period, seed, attribution_text, filler, needle, cue, trials, steps)
};
inline example fixed_example() {
    return {32,
            7,
            "the softmax of the scor",
            "A language model writes one token at a time: it reads the prompt, produces a token, appends it, and "
            "runs again. The causal mask makes this cheap, if you notice one thing: the keys and values of the "
            "tokens already written never change.",
            8,
            2,
            24,
            400};
}

/// Every head on a random string said twice: how its map looks (its induction score, its weight on
/// the previous byte, on the first, its peak) beside what removing it costs the copy: the second
/// copy's surprisal with the head off, minus with every head on. Spearman's ρ over the heads says
/// how far the two orders agree; the looks are rounded to 0.01 first, since a map cannot show less.
struct head_table {
    std::string text;
    std::size_t period;
    std::vector<attn::head_row> heads;  // the looks (and the loss over the whole text without each)
    std::vector<double> copying;        // each head's induction score on the text (lesson 17)
    std::vector<double> copy_cost;      // the second copy's surprisal without the head, minus with it
    double second, first;               // the two copies' surprisal with every head on, nats per byte
    double copying_vs_cost, previous_vs_cost;
    ATTN_FIELDS(text, period, heads, copying, copy_cost, second, first, copying_vs_cost, previous_vs_cost)
};
inline head_table heads(std::size_t period, std::size_t seed) {
    attn::require_whole_in("the period", double(period), 4, 64);
    attn::require_whole_in("the seed", double(seed), 0, 1e9);
    const attn::lm_model& m = course_model();
    const attn::copy_test probe = attn::copy_probe(m, 2 * period, period, seed);
    head_table t{probe.text, period, attn::head_report(m, probe.text), {}, {}, probe.later, probe.first, 0, 0};
    const auto round2 = [](double x) { return std::round(x * 100) / 100; };
    std::vector<double> copying, previous;
    for (std::size_t k = 0; k < t.heads.size(); ++k) {
        t.copying.push_back(probe.scores[k / m.config.heads][k % m.config.heads]);
        attn::head_mask off = attn::all_heads_on(m.config);
        off[k / m.config.heads][k % m.config.heads] = true;
        t.copy_cost.push_back(attn::copy_probe(m, 2 * period, period, seed, &off).later - probe.later);
        copying.push_back(round2(t.copying.back()));
        previous.push_back(round2(t.heads[k].previous));
    }
    t.copying_vs_cost = attn::spearman(copying, t.copy_cost);
    t.previous_vs_cost = attn::spearman(previous, t.copy_cost);
    return t;
}

/// How much each byte matters to the next prediction: attention, rollout and occlusion.
inline attn::attribution attribute(const std::string& text) { return attn::attributions(course_model(), text); }

/// The layers' head-averaged maps of a text, and their rollout.
struct rollout_result {
    std::vector<std::string> tokens;
    std::vector<attn::matrix> layers;  // each layer's map, heads averaged
    attn::matrix rollout;
    ATTN_FIELDS(tokens, layers, rollout)
};
inline rollout_result rollout(const std::string& text) {
    const auto x = attn::model_tokens(course_model(), text);
    rollout_result r{{}, attn::head_means(attn::attention_maps(course_model(), x)), {}};
    r.rollout = attn::attention_rollout(r.layers);
    for (std::size_t c : x) r.tokens.push_back(c == ' ' ? "␣" : attn::decode_bytes({c}));
    return r;
}

/// Where in a 128-byte window a needle is recalled best.
inline std::vector<attn::needle_point> needle(std::size_t trials, std::size_t seed) {
    attn::require_whole_in("trials", double(trials), 1, 200);
    attn::require_whole_in("seed", double(seed), 0, 1e9);
    const example e = fixed_example();
    return attn::needle_recall(course_model(), e.filler, e.needle, e.cue, trials, seed);
}

/// One task, two models, two maps (attn::two_ways).
inline attn::two_ways_result two(std::size_t steps, std::size_t seed) {
    attn::require_whole_in("seed", double(seed), 0, 1e9);
    return attn::two_ways(steps, seed);
}

/// The mean weight a map puts on the positions that hold the same symbol as the query (its own among
/// them): what a model that copies by finding the symbol needs, wherever it is.
inline double same_symbol(const attn::matrix& A, const std::vector<std::size_t>& x) {
    double s = 0;
    for (std::size_t i = 0; i < A.shape(0); ++i)
        for (std::size_t j = 0; j < A.shape(1); ++j)
            if (x[j] == x[i]) s += A(i, j) / double(A.shape(0));
    return s;
}

/// What `attnlab example reading_maps --json` prints and the browser test checks the page against.
struct values {
    head_table heads;
    attn::attribution attribution;
    ATTN_FIELDS(heads, attribution)
};
inline values example_values() {
    const example e = fixed_example();
    return {heads(e.period, e.seed), attribute(e.attribution_text)};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json.
inline std::vector<checks::answer> answers() {
    using checks::mat;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_A1 = checks::mat({{1, 0}, {0.6f, 0.4f}}), ex_A2 = checks::mat({{1, 0}, {1, 0}});
    return {
        {"rollout-two",
         [] {  // two layers of "each token attends to the one before" (the first to itself)
             const attn::matrix A = mat({{1, 0, 0}, {1, 0, 0}, {0, 1, 0}});
             return std::vector<double>{attn::attention_rollout({A, A})(2, 0)};
         },
         {[] { return std::vector<double>{0}; }},
         {},
         [] {
             const attn::matrix A = mat({{1, 0, 0}, {1, 0, 0}, {0, 1, 0}});
             const attn::matrix one = attn::attention_rollout({A});
             return std::vector<std::string>{
                 "Â = ½·A + ½·I: token 2 keeps " + checks::num(one(2, 2)) + " and sends " + checks::num(one(2, 1)) +
                     " to token 1; token 1 keeps " + checks::num(one(1, 1)) + " and sends " + checks::num(one(1, 0)) +
                     " to token 0",
                 "two layers: token 2 → token 1 → token 0 = " + checks::num(one(2, 1)) + " · " +
                     checks::num(one(1, 0)) + " = " + checks::num(attn::attention_rollout({A, A})(2, 0))};
         }},
        {"copy-ablation",
         [] {
             // on step 1's string: is the head whose removal costs the copy most the best copier?
             const example e = fixed_example();
             const head_table t = heads(e.period, e.seed);
             std::size_t costliest = 0, copier = 0;
             for (std::size_t k = 1; k < t.heads.size(); ++k) {
                 if (t.copy_cost[k] > t.copy_cost[costliest]) costliest = k;
                 if (t.copying[k] > t.copying[copier]) copier = k;
             }
             return std::vector<double>{costliest == copier ? 0.0 : 1.0};
         },
         {[] { return std::vector<double>{0}; }}},
        {"spearman-reverse",
         [] {
             return std::vector<double>{attn::spearman({1, 2, 3, 4}, {40, 30, 20, 10})};
         },
         {[] { return std::vector<double>{0}; }}},
        {"paper-rollout",
         [=] {
             return checks::flat(attn::attention_rollout({ex_A1, ex_A2}));
         },
         {},
         [=] {
             return std::vector<checks::given>{{"A₁ (layer 1)", ex_A1}, {"A₂ (layer 2)", ex_A2}};
         },
         [=] {
             const auto half = [](const attn::matrix& A) {
                 return attn::attention_rollout({A});  // one layer: ½·A + ½·I, rows renormalised
             };
             std::vector<std::string> lines;
             const auto add_rows = [&](const std::string& what, const attn::matrix& M) {
                 std::string s = what;
                 for (const auto& r : checks::rows_text(M, 3)) s += " " + r;
                 lines.push_back(s);
             };
             add_rows("Â₁ = ½·A₁ + ½·I:", half(ex_A1));
             add_rows("Â₂ = ½·A₂ + ½·I:", half(ex_A2));
             add_rows("R = Â₂·Â₁:", attn::attention_rollout({ex_A1, ex_A2}));
             return lines;
         }},
    };
}

}  // namespace lessons::reading_maps
