// lessons/02_softmax_scaling/example.hpp — lesson 02's example and its experiment.
//
// The fixed row of scores the walkthrough and the page start from, and the
// experiment behind "why 1/√d_k": draw queries and keys with independent
// standard-normal entries, measure the variance of their scores and what the
// softmax does with them. Seeded, so the demo, the page and the tests see the
// same numbers.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>

#include <attn/softmax.hpp>

namespace lesson02 {

/// The walkthrough's row of four scores.
inline attn::vector example_scores() { return {2.0f, 1.0f, 0.1f, -1.0f}; }

/// (rows, cols) of independent N(0, 1) entries (Box–Muller over mt19937, whose
/// stream is the same on every platform).
inline attn::matrix gaussian_matrix(std::size_t rows, std::size_t cols, std::uint32_t seed) {
    std::mt19937 gen(seed);
    auto uniform = [&] { return (static_cast<double>(gen() >> 5) + 0.5) * 0x1p-27; };  // (0, 1)
    attn::matrix m = xt::zeros<float>({rows, cols});  // m is (rows, cols)
    for (auto& x : m) {
        const double u = uniform(), v = uniform();
        x = static_cast<float>(std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v));
    }
    return m;
}

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
    const attn::matrix Q = gaussian_matrix(s.n, s.d_k, s.seed);      // (n, d_k)
    const attn::matrix K = gaussian_matrix(s.n, s.d_k, s.seed + 1);  // (n, d_k)
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

}  // namespace lesson02
