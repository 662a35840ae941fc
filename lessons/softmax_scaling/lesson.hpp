// lessons/softmax_scaling/lesson.hpp — lesson 02's C++ API: its example and its experiment.
//
// The fixed row of scores the walkthrough and the page start from, and the
// experiment behind "why 1/√d_k": draw queries and keys with independent
// standard-normal entries, measure the variance of their scores and what the
// softmax does with them. Seeded (attn/rng.hpp), so the walkthrough, the page
// and the tests see the same numbers.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <attn/fields.hpp>
#include <attn/scores.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::softmax_scaling {

/// The walkthrough's row of four scores.
inline attn::vector example_scores() { return {2.0f, 1.0f, 0.1f, -1.0f}; }

struct example {
    attn::vector z;
    ATTN_FIELDS(z)
};
inline example fixed_example() { return {example_scores()}; }

/// One row through both softmaxes (the page's first widget).
struct row_softmax {
    attn::vector stable, naive;  // softmax(z/T) with and without the max subtracted
    double entropy, sum;         // of the stable one, in nats
    attn::softmax_steps steps;   // the stable one step by step, for the picture
    ATTN_FIELDS(stable, naive, entropy, sum, steps)
};

inline row_softmax softmax_row(const attn::vector& z, attn::real T) {
    attn::vector scaled = z;
    for (auto& x : scaled) x /= T;
    const attn::vector p = attn::softmax(z, T);
    return {p, attn::softmax_naive(scaled), attn::entropy(p), double(xt::sum(p)()), attn::softmax_trace(z, T)};
}

/// The 1/√d_k experiment for the page's settings: the scores (flattened), their spread, the softmax.
struct exploration {
    std::vector<double> scores;  // every entry of S, row by row
    double variance, predicted, entropy, max_entropy, max_weight;
    std::size_t nonfinite_rows;
    attn::vector row;  // the first row of P
    ATTN_FIELDS(scores, variance, predicted, entropy, max_entropy, max_weight, nonfinite_rows, row)
};

inline exploration explore(std::size_t d_k, attn::real temperature, bool scaled, bool stable, attn::real gain) {
    attn::require_whole_in("d_k", double(d_k), 1, 4096);
    attn::scaling_settings s;
    s.d_k = d_k, s.temperature = temperature, s.scaled = scaled, s.stable = stable, s.gain = gain;
    const attn::scaling_experiment e = attn::run_scaling_experiment(s);
    return {std::vector<double>(e.S.begin(), e.S.end()), e.variance,   e.predicted,      e.entropy,
            std::log(static_cast<double>(s.n)),          e.max_weight, e.nonfinite_rows, xt::row(e.P, 0)};
}

/// What `attnlab example 2 --json` prints and the browser test checks the page against.
struct defaults {
    double variance, entropy, max_weight;
    std::size_t nonfinite_rows;
    ATTN_FIELDS(variance, entropy, max_weight, nonfinite_rows)
};
struct values {
    attn::vector z, softmax, softmax_T4;
    defaults experiment;
    ATTN_FIELDS(z, softmax, softmax_T4, experiment)
};

inline values example_values() {
    const attn::vector z = example_scores();
    const attn::scaling_experiment e = attn::run_scaling_experiment({});  // the page's defaults
    return {z, attn::softmax(z), attn::softmax(z, 4.0f), {e.variance, e.entropy, e.max_weight, e.nonfinite_rows}};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::vec;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_z = checks::mat({{4, 6, 5}});
    const attn::matrix ex_q = checks::mat({{1, 1, 1, 1}}), ex_k = checks::mat({{1, 1, 1, 1}, {1, 1, 0, 0}});
    return {
        {"softmax",
         [] {
             const attn::vector p = attn::softmax(vec({2, 1, 0}));
             return std::vector<double>(p.begin(), p.end());
         },
         {},
         {},
         [] {
             const attn::softmax_steps t = attn::softmax_trace(checks::vec({2, 1, 0}));
             return std::vector<std::string>{
                 "z − max = " + checks::tuple_text(t.shifted, 0), "e^(z − max) = " + checks::tuple_text(t.e, 3),
                 "their sum = " + checks::text(t.sum, 3), "softmax = " + checks::tuple_text(t.p, 3),
                 "each weight is e = " + checks::text(t.p(0) / t.p(1), 3) +
                     " times the next (a step of 1 in the scores)"};
         }},
        {"scale",
         [] {
             const attn::matrix one = xt::ones<float>({1, 64});
             // scaled_scores divides by √d_k: 1·1·64 becomes 64 / factor
             const double s = attn::scaled_scores(one, one)(0, 0);
             return std::vector<double>{64.0 / s};
         },
         {},
         {},
         [] {
             return std::vector<std::string>{"Var(q·k) = d_k = 64",
                                             "its standard deviation √64 = " + checks::num(std::sqrt(64.0)),
                                             "Var(q·k / 8) = 64 / 8² = " + checks::num(64.0 / 64.0)};
         }},
        {"vanish",
         [] {
             // dS for a near one-hot row, pushed by a unit gradient on each weight in turn
             const attn::vector p = attn::softmax(vec({30, 0, 0}));
             double largest = 0;
             for (std::size_t k = 0; k < 3; ++k)
                 for (std::size_t j = 0; j < 3; ++j)
                     largest = std::max(largest, double(std::abs(p(j) * (float(j == k) - p(k)))));
             return std::vector<double>{largest < 1e-6 ? 1.0 : 0.0};
         },
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{2}; }}},
        {"hot",
         [] {
             return std::vector<double>{attn::entropy(attn::softmax(vec({2, 1, 0.1f, -1}), 1e6f))};
         },
         {[] { return std::vector<double>{0}; }},
         {},
         [] {
             const attn::vector p = attn::softmax(checks::vec({3, 1, 0, -2}), 1e6f);
             return std::vector<std::string>{
                 "any four scores, say z = (3, 1, 0, −2), at T = 10⁶: softmax(z / T) = " + checks::tuple_text(p, 2),
                 "entropy of 4 equal weights = ln 4 = " + checks::text(attn::entropy(p), 3)};
         }},
        {"paper-normalise",
         [=] { return checks::flat(attn::softmax_rows(ex_z)); },
         {},
         [=] {
             return std::vector<checks::given>{{"z", ex_z}};
         },
         [=] {
             const attn::softmax_steps t = attn::softmax_trace(xt::row(ex_z, 0));
             return std::vector<std::string>{
                 "the largest score m = " + checks::num(t.m), "z − m = " + checks::tuple_text(t.shifted, 0),
                 "e^(z − m) = " + checks::tuple_text(t.e, 4), "their sum = " + checks::text(t.sum, 4),
                 "p = e^(z − m) / sum = " + checks::tuple_text(t.p, 4)};
         }},
        {"paper-scaled",
         [=] { return checks::flat(attn::softmax_rows(attn::scaled_scores(ex_q, ex_k))); },
         {},
         [=] {
             return std::vector<checks::given>{{"q", ex_q}, {"K", ex_k}};
         },
         [=] {
             std::vector<std::string> lines = checks::dot_lines("S", ex_q, ex_k);
             const attn::matrix scaled = attn::scaled_scores(ex_q, ex_k);
             lines.push_back("d_k = " + std::to_string(ex_q.shape(1)) + ", so divide by √d_k = " +
                             checks::num(std::sqrt(double(ex_q.shape(1)))) + ": " + checks::rows_text(scaled, 0)[0]);
             lines.push_back("softmax: " + checks::rows_text(attn::softmax_rows(scaled), 3)[0]);
             return lines;
         }},
    };
}

}  // namespace lessons::softmax_scaling
