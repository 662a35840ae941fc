// lessons/softmax_scaling/lesson.hpp — lesson 02's C++ API: its example and its experiment.
//
// The fixed row of scores the walkthrough and the page start from, and the
// experiment behind "why 1/√d_k": draw queries and keys with independent
// standard-normal entries, measure the variance of their scores and what the
// softmax does with them. Seeded (attn/rng.hpp), so the walkthrough, the page
// and the tests see the same numbers.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <attn/fields.hpp>
#include <attn/rng.hpp>
#include <attn/scores.hpp>
#include <attn/softmax.hpp>

namespace lessons::softmax_scaling {

/// The walkthrough's row of four scores.
inline attn::vector example_scores() { return {2.0f, 1.0f, 0.1f, -1.0f}; }

/// What the softmax of n random scores looks like for one setting of the page.
struct experiment {
    attn::matrix S;        // (n, n): the logits handed to softmax (scaled, times gain, over T)
    attn::matrix P;        // (n, n): their softmax, stable or naive
    double mean = 0;       // of the scores before temperature (what the histogram shows)
    double variance = 0;
    double predicted = 0;  // d_k·gain² unscaled, gain² scaled
    double entropy = 0;    // mean over rows, nats; ln n is the most it can be
    double max_weight = 0; // mean over rows of the largest weight
    std::size_t nonfinite_rows = 0;  // rows of P holding inf or NaN
};

struct settings {
    std::size_t d_k = 64;
    std::size_t n = 64;
    float temperature = 1;
    bool scaled = true;   // divide by √d_k
    bool stable = true;   // subtract the row max
    float gain = 1;       // multiply every score by this, to push the softmax to its limits
    std::uint32_t seed = 2017;
};

inline experiment run(const settings& s) {
    if (s.d_k == 0 || s.d_k > 4096 || s.n == 0 || s.n > 1024)
        throw attn::value_error("experiment: d_k must be 1..4096 and n 1..1024");
    if (!(s.gain > 0) || !std::isfinite(s.gain)) throw attn::value_error("experiment: gain must be a positive number");
    attn::rng g(s.seed);
    const attn::matrix Q = attn::normal_matrix(s.n, s.d_k, g);  // (n, d_k)
    const attn::matrix K = attn::normal_matrix(s.n, s.d_k, g);  // (n, d_k)
    experiment e;
    e.S = s.scaled ? attn::scaled_scores(Q, K) : attn::scores(Q, K);  // (n, n)
    for (auto& x : e.S) x *= s.gain;
    double sum = 0, sq = 0;
    for (auto x : e.S) sum += x;
    e.mean = sum / double(e.S.size());
    for (auto x : e.S) sq += (x - e.mean) * (x - e.mean);
    e.variance = sq / double(e.S.size() - 1);
    e.predicted = (s.scaled ? 1.0 : double(s.d_k)) * double(s.gain) * double(s.gain);
    if (s.stable) {
        e.P = attn::softmax_rows(e.S, s.temperature);
    } else {
        attn::matrix Z = e.S;  // (n, n): z / T, then exp without the max subtracted
        attn::detail::require_temperature("experiment", s.temperature);
        for (auto& x : Z) x /= s.temperature;
        e.P = attn::softmax_rows_naive(Z);
    }
    for (std::size_t i = 0; i < s.n; ++i) {
        const attn::vector p = xt::row(e.P, i);
        bool finite = true;
        double top = 0;
        for (auto x : p) {
            finite = finite && std::isfinite(x);
            top = std::max(top, double(x));
        }
        if (!finite) {
            ++e.nonfinite_rows;
            continue;
        }
        e.entropy += attn::entropy(p);
        e.max_weight += top;
    }
    const std::size_t finite_rows = s.n - e.nonfinite_rows;
    if (finite_rows) {
        e.entropy /= double(finite_rows);
        e.max_weight /= double(finite_rows);
    }
    return e;
}

struct example {
    attn::vector z;
    ATTN_FIELDS(z)
};
inline example fixed_example() { return {example_scores()}; }

/// One row through both softmaxes (the page's first widget).
struct row_softmax {
    attn::vector stable, naive;  // softmax(z/T) with and without the max subtracted
    double entropy, sum;         // of the stable one, in nats
    ATTN_FIELDS(stable, naive, entropy, sum)
};

inline row_softmax softmax_row(const attn::vector& z, attn::real T) {
    attn::vector scaled = z;
    for (auto& x : scaled) x /= T;
    const attn::vector p = attn::softmax(z, T);
    return {p, attn::softmax_naive(scaled), attn::entropy(p), double(xt::sum(p)())};
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
    settings s;
    s.d_k = d_k, s.temperature = temperature, s.scaled = scaled, s.stable = stable, s.gain = gain;
    const experiment e = run(s);
    return {std::vector<double>(e.S.begin(), e.S.end()), e.variance, e.predicted, e.entropy,
            std::log(static_cast<double>(s.n)), e.max_weight, e.nonfinite_rows, xt::row(e.P, 0)};
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
    const experiment e = run(settings{});  // the page's defaults
    return {z, attn::softmax(z), attn::softmax(z, 4.0f), {e.variance, e.entropy, e.max_weight, e.nonfinite_rows}};
}

}  // namespace lessons::softmax_scaling
