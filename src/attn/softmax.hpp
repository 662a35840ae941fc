// attn/softmax.hpp — lesson 02: softmax, its stable form, temperature and the 1/√d_k scale.
//
// Teaches: softmax turns a row of scores into weights that are positive and sum
// to 1, softmax(z)_j = exp(z_j) / Σ_k exp(z_k). Written naively it overflows:
// float32 exp() is inf beyond 88.72, and inf/inf is NaN. Subtracting the row's
// maximum first changes nothing mathematically (the factor exp(-max) cancels)
// and keeps every exponent ≤ 0. Dividing the scores by a temperature T > 0
// sharpens (T < 1) or flattens (T > 1) the weights; dividing them by √d_k keeps
// their variance at 1 whatever d_k is (Vaswani et al. 2017, section 3.2.1).
// run_scaling_experiment measures that last claim on random queries and keys.
// Leaves out: the online (one-pass) softmax, which is lesson 08.
// Run it: `attnlab lesson 2`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "rng.hpp"
#include "scores.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

namespace detail {
inline void require_temperature(const char* where, real temperature) {
    if (!(temperature > 0) || !std::isfinite(temperature))
        throw value_error(std::string(where) + ": temperature is " + std::to_string(temperature) +
                          "; it must be a finite number greater than 0");
}
}  // namespace detail

// [softmax_naive]
/// exp(z_j) / Σ_k exp(z_k), exactly as written. Overflows to inf (and NaN) once
/// any z_j exceeds about 88.7 in float32: lesson 02's cautionary tale.
inline vector softmax_naive(const vector& z) {
    require_nonempty("softmax_naive", "z", z);
    vector p = xt::zeros<real>({z.size()});  // p is (n)
    real sum = 0;
    for (std::size_t j = 0; j < z.size(); ++j) sum += p(j) = std::exp(z(j));
    for (std::size_t j = 0; j < z.size(); ++j) p(j) /= sum;
    return p;
}
// [softmax_naive]

// [softmax]
/// The stable softmax of one row at temperature T: exp((z_j - m)/T) / Σ_k exp((z_k - m)/T)
/// with m = max_k z_k, so every exponent is ≤ 0 and nothing overflows.
/// A row that is entirely -inf (every key masked, lesson 06) gives all zeros.
/// paper: softmax(z)_j = e^((z_j − max z)/T) / Σ_k e^((z_k − max z)/T)
inline vector softmax(const vector& z, real temperature = 1) {
    require_nonempty("softmax", "z", z);
    detail::require_temperature("softmax", temperature);
    real m = -std::numeric_limits<real>::infinity();  // m = max_j z_j
    for (std::size_t j = 0; j < z.size(); ++j) m = std::max(m, z(j));
    vector p = xt::zeros<real>({z.size()});                     // p is (n)
    if (m == -std::numeric_limits<real>::infinity()) return p;  // nothing may be attended to
    real l = 0;                                                 // l = Σ_j exp((z_j - m)/T)
    for (std::size_t j = 0; j < z.size(); ++j) l += p(j) = std::exp((z(j) - m) / temperature);
    for (std::size_t j = 0; j < z.size(); ++j) p(j) /= l;
    return p;
}
// [softmax]

/// The stable softmax of one row in the steps it is computed in, for the page's picture: the row
/// less its maximum, over T, exponentiated, summed, divided by the sum. p is softmax(z, T) itself.
struct softmax_steps {
    vector z;        // the row
    real m;          // its maximum
    vector shifted;  // z_j − m: every one ≤ 0, the largest 0
    vector scaled;   // (z_j − m) / T
    vector e;        // exp((z_j − m) / T): every one in (0, 1], the largest 1
    real sum;        // Σ_j e_j
    vector p;        // e_j / sum, exactly what softmax(z, T) returns
    ATTN_FIELDS(z, m, shifted, scaled, e, sum, p)
};
inline softmax_steps softmax_trace(const vector& z, real temperature = 1) {
    softmax_steps t{z, -std::numeric_limits<real>::infinity(), z, z, z, 0, softmax(z, temperature)};  // checks z, T
    for (auto x : z) t.m = std::max(t.m, x);
    for (std::size_t j = 0; j < z.size(); ++j) {
        const bool none = t.m == -std::numeric_limits<real>::infinity();  // all −∞: every weight is 0
        t.shifted(j) = none ? z(j) : z(j) - t.m;
        t.scaled(j) = none ? z(j) : (z(j) - t.m) / temperature;
        t.sum += t.e(j) = none ? real(0) : std::exp((z(j) - t.m) / temperature);
    }
    return t;
}

/// softmax() applied to every row of S, (n_q, n_k) -> P, (n_q, n_k); rows sum to 1.
inline matrix softmax_rows(const matrix& S, real temperature = 1) {
    require_nonempty("softmax_rows", "S", S);
    detail::require_temperature("softmax_rows", temperature);
    matrix P = xt::zeros<real>(S.shape());  // P is (n_q, n_k): one distribution per query
    for (std::size_t i = 0; i < S.shape(0); ++i) xt::row(P, i) = softmax(vector(xt::row(S, i)), temperature);
    return P;
}

/// softmax_naive() on every row: for showing what goes wrong.
inline matrix softmax_rows_naive(const matrix& S) {
    require_nonempty("softmax_rows_naive", "S", S);
    matrix P = xt::zeros<real>(S.shape());  // P is (n_q, n_k)
    for (std::size_t i = 0; i < S.shape(0); ++i) xt::row(P, i) = softmax_naive(vector(xt::row(S, i)));
    return P;
}

// [scaled_scores]
/// S / √d_k = Q·Kᵀ / √d_k. For q and k with independent unit-variance entries,
/// q·k has variance d_k; after the division it has variance 1.
/// Q is (n_q, d_k), K is (n_k, d_k). Returns (n_q, n_k).
/// paper: Q·Kᵀ/√d_k (Vaswani et al. 2017, §3.2.1)
inline matrix scaled_scores(const matrix& Q, const matrix& K) {
    matrix S = scores(Q, K);  // (n_q, n_k), checks the shapes
    const real scale = real(1) / std::sqrt(static_cast<real>(Q.shape(1)));
    for (auto& s : S) s *= scale;
    return S;
}
// [scaled_scores]

/// Shannon entropy of a distribution, in nats: -Σ p_j ln p_j (0·ln 0 = 0).
/// 0 when all weight is on one key, ln n when it is spread evenly over n keys.
inline real entropy(const vector& p) {
    require_nonempty("entropy", "p", p);
    real h = 0;
    for (auto x : p)
        if (x > 0) h -= x * std::log(x);
    return h;
}

// [scaling_experiment]
/// Why 1/√d_k, measured: n queries and n keys with independent N(0, 1) entries, their scores
/// (scaled or not, times a gain), and what the softmax (stable or not, at a temperature) makes of them.
struct scaling_experiment {
    matrix S;         // (n, n): the logits handed to softmax (scaled, times gain, over T)
    matrix P;         // (n, n): their softmax, stable or naive
    double mean = 0;  // of the scores before temperature (what the histogram shows)
    double variance = 0;
    double predicted = 0;            // d_k·gain² unscaled, gain² scaled
    double entropy = 0;              // mean over rows, nats; ln n is the most it can be
    double max_weight = 0;           // mean over rows of the largest weight
    std::size_t nonfinite_rows = 0;  // rows of P holding inf or NaN
};

struct scaling_settings {
    std::size_t d_k = 64;
    std::size_t n = 64;
    float temperature = 1;
    bool scaled = true;  // divide by √d_k
    bool stable = true;  // subtract the row max
    float gain = 1;      // multiply every score by this, to push the softmax to its limits
    std::uint32_t seed = 2017;
};

inline scaling_experiment run_scaling_experiment(const scaling_settings& s) {
    if (s.d_k == 0 || s.d_k > 4096 || s.n == 0 || s.n > 1024)
        throw value_error("scaling experiment: d_k must be 1..4096 and n 1..1024");
    if (!(s.gain > 0) || !std::isfinite(s.gain))
        throw value_error("scaling experiment: gain must be a positive number");
    rng g(s.seed);
    const matrix Q = normal_matrix(s.n, s.d_k, g);  // (n, d_k)
    const matrix K = normal_matrix(s.n, s.d_k, g);  // (n, d_k)
    scaling_experiment e;
    e.S = s.scaled ? scaled_scores(Q, K) : scores(Q, K);  // (n, n)
    for (auto& x : e.S) x *= s.gain;
    double sum = 0, sq = 0;
    for (auto x : e.S) sum += x;
    e.mean = sum / double(e.S.size());
    for (auto x : e.S) sq += (x - e.mean) * (x - e.mean);
    e.variance = sq / double(e.S.size() - 1);
    e.predicted = (s.scaled ? 1.0 : double(s.d_k)) * double(s.gain) * double(s.gain);
    if (s.stable) {
        e.P = softmax_rows(e.S, s.temperature);
    } else {
        matrix Z = e.S;  // (n, n): z / T, then exp without the max subtracted
        detail::require_temperature("scaling experiment", s.temperature);
        for (auto& x : Z) x /= s.temperature;
        e.P = softmax_rows_naive(Z);
    }
    for (std::size_t i = 0; i < s.n; ++i) {
        const vector p = xt::row(e.P, i);
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
        e.entropy += entropy(p);
        e.max_weight += top;
    }
    const std::size_t finite_rows = s.n - e.nonfinite_rows;
    if (finite_rows) {
        e.entropy /= double(finite_rows);
        e.max_weight /= double(finite_rows);
    }
    return e;
}
// [scaling_experiment]

}  // namespace attn
