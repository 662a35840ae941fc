// attn/softmax.hpp — lesson 02: softmax, its stable form, temperature and the 1/√d_k scale.
//
// Teaches: softmax turns a row of scores into weights that are positive and sum
// to 1, softmax(z)_j = exp(z_j) / Σ_k exp(z_k). Written naively it overflows:
// float32 exp() is inf beyond 88.72, and inf/inf is NaN. Subtracting the row's
// maximum first changes nothing mathematically (the factor exp(-max) cancels)
// and keeps every exponent ≤ 0. Dividing the scores by a temperature T > 0
// sharpens (T < 1) or flattens (T > 1) the weights; dividing them by √d_k keeps
// their variance at 1 whatever d_k is (Vaswani et al. 2017, section 3.2.1).
// Leaves out: the online (one-pass) softmax, which is lesson 07.
// Run it: `attnlab lesson 2`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

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
/// A row that is entirely -inf (every key masked, lesson 05) gives all zeros.
/// paper: softmax(z)_j = e^((z_j − max z)/T) / Σ_k e^((z_k − max z)/T)
inline vector softmax(const vector& z, real temperature = 1) {
    require_nonempty("softmax", "z", z);
    detail::require_temperature("softmax", temperature);
    real m = -std::numeric_limits<real>::infinity();  // m = max_j z_j
    for (std::size_t j = 0; j < z.size(); ++j) m = std::max(m, z(j));
    vector p = xt::zeros<real>({z.size()});  // p is (n)
    if (m == -std::numeric_limits<real>::infinity()) return p;  // nothing may be attended to
    real l = 0;                                                 // l = Σ_j exp((z_j - m)/T)
    for (std::size_t j = 0; j < z.size(); ++j) l += p(j) = std::exp((z(j) - m) / temperature);
    for (std::size_t j = 0; j < z.size(); ++j) p(j) /= l;
    return p;
}
// [softmax]

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

}  // namespace attn
