// attn/positions.hpp — lesson 13: where tokens are. Sinusoids, RoPE, ALiBi.
//
// Teaches: attention is blind to order. Permute the keys with their values and
// the output does not change (lesson 03's property test), so "dog bites man"
// and "man bites dog" look alike unless position is put in. Three ways:
//  - sinusoidal encodings (Vaswani et al. 2017): add PE(p) to each embedding;
//    PE(p, 2i) = sin(p·ω_i), PE(p, 2i+1) = cos(p·ω_i), ω_i = 10000^(-2i/d).
//  - RoPE (Su et al. 2021): rotate each pair (2i, 2i+1) of q and k by the angle
//    p·ω_i. A rotation by a and one by b leave a dot product that depends on
//    b - a only, so the score sees the signed offset and the content, nothing
//    else. Applied to Q and K before any kernel: the tiled kernel needs no change.
//    Pairs are RoFormer's neighbours (2i, 2i+1), not rotate_half's (i, i + d/2).
//  - ALiBi (Press et al. 2022): add -m_h·|i - j| to the scores, a fixed linear
//    penalty with a different slope m_h = 2^(-8h/H) per head. The paper's form
//    is causal, -m_h·(i - j) for j ≤ i; |i - j| extends it to both directions
//    and agrees with it under a causal mask. A kernel would have to add it to
//    each tile of scores; the kernels here take no bias.
// Leaves out of the code: learned absolute embeddings (a table, like the token
// embeddings; the README teaches them and lesson 15's model trains one), the
// relative encodings of Shaw et al. and T5, and the context-extension tricks
// that rescale RoPE's frequencies.
// Run it: `attnlab lesson 13`.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "shape.hpp"
#include "softmax.hpp"
#include "tensor.hpp"

namespace attn {

/// ω_i = base^(-2i/d): the angular speed of pair i; pair 0 turns fastest, 1 radian per position.
inline double frequency(std::size_t pair, std::size_t d, double base = 10000) {
    return std::pow(base, -2.0 * double(pair) / double(d));
}

// [sinusoidal]
/// (n, d): row p is PE(p). Even columns sin(p·ω_i), odd columns cos(p·ω_i), ω_i for pair i = column/2.
/// paper: PE(p, 2i) = sin(p/10000^(2i/d)), PE(p, 2i+1) = cos(p/10000^(2i/d)) (Vaswani et al. 2017, §3.5)
inline matrix sinusoidal(std::size_t n, std::size_t d, double base = 10000) {
    if (n == 0 || d == 0)
        throw value_error("sinusoidal: n " + std::to_string(n) + " and d " + std::to_string(d) + " must be at least 1");
    matrix PE = xt::zeros<real>({n, d});
    for (std::size_t p = 0; p < n; ++p)
        for (std::size_t c = 0; c < d; ++c) {
            const double angle = double(p) * frequency(c / 2, d, base);
            PE(p, c) = static_cast<real>(c % 2 == 0 ? std::sin(angle) : std::cos(angle));
        }
    return PE;
}
// [sinusoidal]

inline void check_rope(const char* where, std::size_t d) {
    if (d == 0 || d % 2 != 0)
        throw shape_error(std::string(where) + ": rows have " + std::to_string(d) +
                          " columns; RoPE rotates pairs of columns, so d must be even and at least 2");
}

// [rope]
/// Row r of X (n, d), the token at position first + r, with every pair (2i, 2i+1)
/// rotated by the angle (first + r)·ω_i. Returns (n, d). Applied to Q and K alike.
/// paper: RoPE: rotate (x_2i, x_2i+1) by p·θ_i (Su et al. 2021)
inline matrix rope(const matrix& X, std::size_t first = 0, double base = 10000) {
    require_nonempty("rope", "X", X);
    check_rope("rope", X.shape(1));
    const std::size_t d = X.shape(1);
    matrix R = X;
    for (std::size_t r = 0; r < X.shape(0); ++r)
        for (std::size_t i = 0; i < d / 2; ++i) {
            const double angle = double(first + r) * frequency(i, d, base);
            const double c = std::cos(angle), s = std::sin(angle);
            const double x0 = X(r, 2 * i), x1 = X(r, 2 * i + 1);
            R(r, 2 * i) = static_cast<real>(x0 * c - x1 * s);  // (x0, x1) turned by the angle
            R(r, 2 * i + 1) = static_cast<real>(x0 * s + x1 * c);
        }
    return R;
}
// [rope]

/// The RoPE score of q at position m with k at position n: rope(q, m)·rope(k, n).
/// It depends on n - m only (and on q and k).
inline real rope_score(const vector& q, const vector& k, std::size_t m, std::size_t n, double base = 10000) {
    if (q.size() != k.size())
        throw shape_error("rope_score: q is " + shape_str(q.shape()) + " but k is " + shape_str(k.shape()) +
                          "; a dot product needs equal lengths");
    const matrix qm = rope(xt::view(q, xt::newaxis(), xt::all()), m, base);
    const matrix kn = rope(xt::view(k, xt::newaxis(), xt::all()), n, base);
    double dot = 0;
    for (std::size_t c = 0; c < q.size(); ++c) dot += double(qm(0, c)) * double(kn(0, c));
    return static_cast<real>(dot);
}

// [alibi]
/// ALiBi's per-head slopes m_h = 2^(-8h/H), h = 1..H: a geometric sequence from 2^(-8/H) down to 2^-8.
inline std::vector<real> alibi_slopes(std::size_t heads) {
    if (heads == 0) throw value_error("alibi_slopes: heads must be at least 1");
    std::vector<real> m;
    for (std::size_t h = 1; h <= heads; ++h)
        m.push_back(static_cast<real>(std::pow(2.0, -8.0 * double(h) / double(heads))));
    return m;
}

/// (n, n): the bias -slope·|i - j| added to score (i, j) before the softmax.
/// paper: ALiBi: S_ij − m·(i − j) (Press et al. 2022)
inline matrix alibi_bias(std::size_t n, real slope) {
    if (n == 0) throw value_error("alibi_bias: n is 0; a sequence needs at least one token");
    if (!(slope >= 0) || !std::isfinite(slope))
        throw value_error("alibi_bias: the slope " + std::to_string(slope) + " must be a finite number ≥ 0");
    matrix B = xt::zeros<real>({n, n});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) B(i, j) = -slope * static_cast<real>(i > j ? i - j : j - i);
    return B;
}
// [alibi]

/// The ways of putting position in, for the page and the demo.
enum class encoding { none, sinusoidal, rope, alibi };

inline encoding parse_encoding(const std::string& name) {
    if (name == "none") return encoding::none;
    if (name == "sinusoidal") return encoding::sinusoidal;
    if (name == "rope") return encoding::rope;
    if (name == "alibi") return encoding::alibi;
    throw value_error("unknown position encoding \"" + name + "\"; choose none, sinusoidal, rope or alibi");
}

// [position_scores]
/// The scaled scores S (n, n) of n tokens that all have the same content x (d), so
/// that anything that varies in S comes from position alone. Q = K = the encoded tokens;
/// ALiBi adds its bias to the scores instead. `slope` is ALiBi's m.
inline matrix position_scores(encoding how, const vector& x, std::size_t n, real slope = 0.5f) {
    if (n == 0) throw value_error("position_scores: n is 0");
    require_nonempty("position_scores", "x", x);
    matrix X = xt::zeros<real>({n, x.size()});  // (n, d): n copies of x
    for (std::size_t p = 0; p < n; ++p) xt::row(X, p) = x;
    if (how == encoding::sinusoidal) X = X + sinusoidal(n, x.size());
    if (how == encoding::rope) X = rope(X);
    matrix S = scaled_scores(X, X);  // (n, n)
    if (how == encoding::alibi) S = S + alibi_bias(n, slope);
    return S;
}
// [position_scores]

}  // namespace attn
