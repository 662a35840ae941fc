// attn/seq2seq.hpp — why attention: an RNN encoder-decoder, without and with Bahdanau's attention.
//
// Teaches: before attention, a sentence was translated by reading it into one fixed vector and
// writing the translation out of that vector (Sutskever et al. 2014; Cho et al. 2014). Bahdanau,
// Cho & Bengio (2014) let the decoder look back at every source position instead: before writing
// target word i it scores each encoder state h_j against its own state s_{i-1},
//   e_ij = vᵀ tanh(W s_{i-1} + U h_j)      (additive attention)
//   α_ij = softmax_j(e_ij)                  c_i = Σ_j α_ij h_j,
// and the weights α, trained only to translate, come out as an alignment. Here both models are
// trained on a made-up language pair whose adjectives move after their nouns, so the true
// alignment is known and the learned one can be checked against it.
//   encoder   h_j = →h_j = GRU(x_j, →h_{j-1}), a GRU (Cho et al. 2014, §2.3) reading left to right;
//             or, read both ways as Bahdanau et al. did (§3.2), h_j = [→h_j; ←h_j] with
//             ←h_j = GRU'(x_j, ←h_{j+1})
//   decoder   s_0 = tanh(W_s →h_n) (tanh(W_s ←h_1) both ways);  s_i = GRU([y_{i-1}; c_i], s_{i-1});
//             p(y_i) = softmax(W_o [s_i; c_i] + b_o)
//   context   without attention c_i = →h_n for every i ([→h_n; ←h_1] both ways): the one fixed
//             vector, the bottleneck; with it, the α-weighted sum of the h_j
// The gradient is written out by hand through time (the tests check it against finite differences
// in float64), and Adam trains it (attn/adam.hpp).
// Leaves out: beam search, an end-of-sentence symbol (the decoder writes as many words as the
// source has) and the paper's maxout output layer (appendix A.2.2; here one softmax layer).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adam.hpp"
#include "fields.hpp"
#include "rng.hpp"
#include "shape.hpp"
#include "softmax.hpp"
#include "tensor.hpp"

namespace attn {

// ---------------------------------------------------------------------------------------------
// The task

/// A made-up language pair: words 0..nouns-1 are nouns, the rest adjectives, and every word has
/// one translation (its own number, in the other language). The source says an adjective before
/// its noun ("red car"), the target after it ("voiture rouge").
struct translation_task {
    std::size_t nouns = 60, adjectives = 40;
    std::size_t words() const { return nouns + adjectives; }
    bool is_adjective(std::size_t w) const { return w >= nouns && w < words(); }
};

/// A sentence, its translation, and which source position each target word translates.
struct sentence_pair {
    std::vector<std::size_t> source, target, alignment;
    ATTN_FIELDS(source, target, alignment)
};

/// A random sentence of `length` words: phrases from left to right, each a noun alone or, half
/// the time when two words are left, an adjective and its noun.
inline sentence_pair make_sentence(const translation_task& t, std::size_t length, rng& g) {
    if (length == 0) throw value_error("a sentence has at least one word");
    sentence_pair p;
    while (p.source.size() < length) {
        const std::size_t j = p.source.size(), noun = g.below(t.nouns);
        if (length - j >= 2 && g.below(2)) {
            const std::size_t adjective = t.nouns + g.below(t.adjectives);
            p.source.insert(p.source.end(), {adjective, noun});
            p.target.insert(p.target.end(), {noun, adjective});
            p.alignment.insert(p.alignment.end(), {j + 1, j});
        } else {
            p.source.push_back(noun);
            p.target.push_back(noun);
            p.alignment.push_back(j);
        }
    }
    return p;
}

// ---------------------------------------------------------------------------------------------
// The model

struct seq2seq_config {
    bool attention = true;
    bool both_ways = false;  // a second encoder reading right to left (Bahdanau et al. 2014, §3.2)
    translation_task task;
    std::size_t min_length = 4, max_length = 8;  // training sentences, in words
    std::size_t embed = 16, hidden = 32, align = 32;
    std::size_t batch = 16;
    real lr = 0.01f;
    real clip = 5;  // the gradient's norm is cut to this (Pascanu et al. 2013)
    std::uint64_t seed = 1;
};

inline void check_config(const seq2seq_config& c) {
    auto in = [](const char* what, std::size_t v, double lo, double hi) {
        require_in(std::string("seq2seq: ") + what, double(v), lo, hi);
    };
    in("nouns", c.task.nouns, 1, 64);
    in("adjectives", c.task.adjectives, 1, 64);
    in("min_length", c.min_length, 1, 64);
    in("max_length", c.max_length, double(c.min_length), 64);
    in("embed", c.embed, 1, 256);
    in("hidden", c.hidden, 1, 256);
    in("align", c.align, 1, 256);
    in("batch", c.batch, 1, 256);
    if (!(c.lr > 0 && c.lr <= 1)) throw value_error("seq2seq: the learning rate must be in (0, 1]");
    if (!(c.clip > 0)) throw value_error("seq2seq: the gradient clip must be positive");
}

/// The parameters (and, with the same shapes, their gradients and Adam's moments). A GRU's three
/// gates are stacked in its W, U and b: rows [0, H) reset, [H, 2H) update, [2H, 3H) candidate.
template <class T>
struct seq2seq_params {
    xt::xtensor<T, 2> src_embed;            // (V, E)
    xt::xtensor<T, 2> tgt_embed;            // (V + 1, E): row V is the start symbol
    xt::xtensor<T, 2> fwd_W, fwd_U, fwd_b;  // (3H, E), (3H, H), (1, 3H): the encoder left to right
    xt::xtensor<T, 2> bwd_W, bwd_U, bwd_b;  // the same shapes right to left, or no rows at all
    xt::xtensor<T, 2> init_W;               // (H, H): s_0 = tanh(W_s →h_n), or W_s ←h_1
    xt::xtensor<T, 2> dec_W, dec_U, dec_b;  // (3H, E + D), (3H, H), (1, 3H); D = H, or 2H both ways
    xt::xtensor<T, 2> att_W, att_U, att_v;  // (A, H), (A, D), (1, A)
    xt::xtensor<T, 2> out_W, out_b;         // (V, H + D), (1, V)
    bool both_ways() const { return bwd_U.size() > 0; }
    std::vector<xt::xtensor<T, 2>*> params() {
        return {&src_embed, &tgt_embed, &fwd_W, &fwd_U, &fwd_b, &bwd_W, &bwd_U, &bwd_b, &init_W,
                &dec_W,     &dec_U,     &dec_b, &att_W, &att_U, &att_v, &out_W, &out_b};
    }
};

template <class T>
seq2seq_params<T> seq2seq_zeros(const seq2seq_config& c) {
    const std::size_t V = c.task.words(), E = c.embed, H = c.hidden, A = c.align, B = c.both_ways ? 3 * H : 0,
                      D = c.both_ways ? 2 * H : H;
    auto z = [](std::size_t r, std::size_t k) { return xt::xtensor<T, 2>(xt::zeros<T>({r, k})); };
    return {z(V, E), z(V + 1, E),     z(3 * H, E), z(3 * H, H), z(1, 3 * H), z(B, E), z(B, H), z(B ? 1 : 0, 3 * H),
            z(H, H), z(3 * H, E + D), z(3 * H, H), z(1, 3 * H), z(A, H),     z(A, D), z(1, A), z(V, H + D),
            z(1, V)};
}

/// Weights ~ N(0, 1/fan_in), biases 0: unit-scale activations at the start.
template <class T>
seq2seq_params<T> seq2seq_init(const seq2seq_config& c, rng& g) {
    check_config(c);
    seq2seq_params<T> p = seq2seq_zeros<T>(c);
    for (auto* m : p.params()) {
        if (m == &p.fwd_b || m == &p.bwd_b || m == &p.dec_b || m == &p.out_b) continue;
        const std::size_t fan_in = (m == &p.src_embed || m == &p.tgt_embed) ? 1 : m->shape(1);
        *m = normal_matrix<T>(m->shape(0), m->shape(1), g, 1.0 / std::sqrt(double(fan_in)));
    }
    return p;
}

namespace detail {
template <class T>
using vec = std::vector<T>;

// y += M·x over M's rows [r0, r0 + y.size()), x taken from column c0 on.
template <class T>
void add_mv(vec<T>& y, const xt::xtensor<T, 2>& M, const vec<T>& x, std::size_t r0 = 0, std::size_t c0 = 0) {
    const std::size_t cols = M.shape(1);
    for (std::size_t i = 0; i < y.size(); ++i) {
        const T* row = M.data() + (r0 + i) * cols + c0;
        T s = 0;
        for (std::size_t k = 0; k < x.size(); ++k) s += row[k] * x[k];
        y[i] += s;
    }
}
// y += Mᵀ·x over M's rows [r0, r0 + x.size()) and columns [c0, c0 + y.size()).
template <class T>
void add_mtv(vec<T>& y, const xt::xtensor<T, 2>& M, const vec<T>& x, std::size_t r0 = 0, std::size_t c0 = 0) {
    const std::size_t cols = M.shape(1);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const T* row = M.data() + (r0 + i) * cols + c0;
        for (std::size_t k = 0; k < y.size(); ++k) y[k] += row[k] * x[i];
    }
}
// M[r0 + i, c0 + k] += a_i · b_k
template <class T>
void add_outer(xt::xtensor<T, 2>& M, const vec<T>& a, const vec<T>& b, std::size_t r0 = 0, std::size_t c0 = 0) {
    const std::size_t cols = M.shape(1);
    for (std::size_t i = 0; i < a.size(); ++i) {
        T* row = M.data() + (r0 + i) * cols + c0;
        for (std::size_t k = 0; k < b.size(); ++k) row[k] += a[i] * b[k];
    }
}
template <class T>
T sigmoid(T x) {
    return T(1) / (T(1) + std::exp(-x));
}
template <class T>
vec<T> embed_row(const xt::xtensor<T, 2>& E, std::size_t w) {
    return vec<T>(E.data() + w * E.shape(1), E.data() + (w + 1) * E.shape(1));
}
template <class T>
vec<T> concat(const vec<T>& a, const vec<T>& b) {
    vec<T> out(a);
    out.insert(out.end(), b.begin(), b.end());
    return out;
}
}  // namespace detail

/// One GRU step, and what its backward pass needs.
template <class T>
struct gru_step {
    std::vector<T> x, h;     // the input and the previous state
    std::vector<T> r, z, n;  // reset and update gates, the candidate state
    std::vector<T> out;      // the new state
};

// [gru]
/// Cho et al. (2014), §2.3, eqs. 5-8: r = σ(W_r x + U_r h + b_r), z = σ(W_z x + U_z h + b_z),
/// ñ = tanh(W_n x + U_n (r ⊙ h) + b_n), h' = z ⊙ h + (1 − z) ⊙ ñ (eq. 8 writes a general φ for
/// the tanh; §4.1.1 uses a tanh).
/// paper: h' = z ⊙ h + (1 − z) ⊙ tanh(W x + U(r ⊙ h)), r and z = σ(W x + U h) (Cho et al. 2014, §2.3)
template <class T>
gru_step<T> gru_forward(const xt::xtensor<T, 2>& W, const xt::xtensor<T, 2>& U, const xt::xtensor<T, 2>& b,
                        std::vector<T> x, std::vector<T> h) {
    using namespace detail;
    const std::size_t H = h.size();
    gru_step<T> s{std::move(x), std::move(h), vec<T>(H), vec<T>(H), vec<T>(H), vec<T>(H)};
    vec<T> a(b.data(), b.data() + 3 * H);  // W x + b, all three gates
    add_mv(a, W, s.x);
    vec<T> u(2 * H, T(0));  // U_r h and U_z h
    add_mv(u, U, s.h);
    vec<T> rh(H);
    for (std::size_t k = 0; k < H; ++k) {
        s.r[k] = sigmoid(a[k] + u[k]);
        s.z[k] = sigmoid(a[H + k] + u[H + k]);
        rh[k] = s.r[k] * s.h[k];
    }
    vec<T> un(H, T(0));
    add_mv(un, U, rh, 2 * H);
    for (std::size_t k = 0; k < H; ++k) {
        s.n[k] = std::tanh(a[2 * H + k] + un[k]);
        s.out[k] = s.z[k] * s.h[k] + (T(1) - s.z[k]) * s.n[k];
    }
    return s;
}
// [gru]

/// Given dh' (the gradient reaching the step's output), adds the step's weight gradients into
/// dW, dU, db and the gradients of its input and previous state into dx and dh.
template <class T>
void gru_backward(const xt::xtensor<T, 2>& W, const xt::xtensor<T, 2>& U, const gru_step<T>& s,
                  const std::vector<T>& dout, xt::xtensor<T, 2>& dW, xt::xtensor<T, 2>& dU, xt::xtensor<T, 2>& db,
                  std::vector<T>& dx, std::vector<T>& dh) {
    using namespace detail;
    const std::size_t H = s.h.size();
    vec<T> da(3 * H), rh(H);
    for (std::size_t k = 0; k < H; ++k) {
        dh[k] += dout[k] * s.z[k];                                             // h' = z h + ...
        da[H + k] = dout[k] * (s.h[k] - s.n[k]) * s.z[k] * (T(1) - s.z[k]);    // through z
        da[2 * H + k] = dout[k] * (T(1) - s.z[k]) * (T(1) - s.n[k] * s.n[k]);  // through ñ
        rh[k] = s.r[k] * s.h[k];
    }
    vec<T> drh(H, T(0));  // U_nᵀ da_n: the gradient of r ⊙ h
    add_mtv(drh, U, vec<T>(da.begin() + 2 * H, da.end()), 2 * H);
    for (std::size_t k = 0; k < H; ++k) {
        da[k] = drh[k] * s.h[k] * s.r[k] * (T(1) - s.r[k]);  // through r
        dh[k] += drh[k] * s.r[k];
    }
    add_outer(dW, da, s.x);
    const vec<T> da_rz(da.begin(), da.begin() + 2 * H), da_n(da.begin() + 2 * H, da.end());
    add_outer(dU, da_rz, s.h);
    add_outer(dU, da_n, rh, 2 * H);
    for (std::size_t k = 0; k < 3 * H; ++k) db.data()[k] += da[k];
    add_mtv(dx, W, da);
    add_mtv(dh, U, da_rz);
}

/// A sentence through the model, every intermediate kept: the encoder's steps both ways, the
/// decoder's, the attention weights α (one row per target word, one column per source word) and
/// p(y_i).
template <class T>
struct seq2seq_pass {
    std::vector<gru_step<T>> fwd, bwd;    // the encoder's steps, bwd[j] at source position j
    std::vector<std::vector<T>> h;        // h_j = [→h_j; ←h_j], the annotations
    std::vector<std::vector<T>> Uh;       // U h_j, computed once per sentence
    std::vector<T> s0;                    // the decoder's first state
    std::vector<gru_step<T>> dec;         // the decoder's steps
    std::vector<std::vector<T>> tanh_ij;  // tanh(W s_{i-1} + U h_j), row i·n + j
    std::vector<std::vector<T>> context;  // c_i
    std::vector<std::vector<T>> scores;   // e_i·, the scores α is the softmax of (empty without attention)
    std::vector<std::vector<T>> alpha;    // α_i·, one row per target word (empty without attention)
    std::vector<std::vector<T>> probs;    // p(y_i = w), one row per target word
    std::vector<std::size_t> inputs;      // y_{i-1}: the start symbol, then the previous word
    /// The one fixed vector a decoder without attention gets: →h_n, or [→h_n; ←h_1] both ways.
    std::vector<T> summary() const {
        return bwd.empty() ? fwd.back().out : detail::concat(fwd.back().out, bwd.front().out);
    }
    /// The encoder's last state, which s_0 starts from: →h_n, or ←h_1 both ways.
    const std::vector<T>& last() const { return bwd.empty() ? fwd.back().out : bwd.front().out; }
};

/// A pass's rows (α or p) as a matrix.
template <class T>
xt::xtensor<T, 2> rows_matrix(const std::vector<std::vector<T>>& rows, std::size_t cols) {
    xt::xtensor<T, 2> M = xt::zeros<T>({rows.size(), cols});
    for (std::size_t i = 0; i < rows.size(); ++i) std::copy(rows[i].begin(), rows[i].end(), M.data() + i * cols);
    return M;
}

/// Reads the source both ways: the annotations h_j, U h_j for the attention, and s_0.
/// paper: h_j = [→h_j; ←h_j], s_0 = tanh(W_s ←h_1) (Bahdanau et al. 2014, §3.2 and appendix A.2.2; both_ways)
template <class T>
seq2seq_pass<T> seq2seq_encode(const seq2seq_params<T>& p, const std::vector<std::size_t>& source) {
    using namespace detail;
    const std::size_t V = p.src_embed.shape(0), H = p.fwd_U.shape(1), n = source.size();
    if (source.empty()) throw value_error("seq2seq: the sentence is empty");
    for (std::size_t w : source)
        if (w >= V)
            throw value_error("seq2seq: word " + std::to_string(w) + " is outside the vocabulary 0.." +
                              std::to_string(V - 1));
    seq2seq_pass<T> f;
    vec<T> h(H, T(0));
    for (std::size_t j = 0; j < n; ++j) {
        f.fwd.push_back(gru_forward(p.fwd_W, p.fwd_U, p.fwd_b, embed_row(p.src_embed, source[j]), h));
        h = f.fwd.back().out;
    }
    if (p.both_ways()) {
        f.bwd.resize(n);
        h.assign(H, T(0));
        for (std::size_t j = n; j-- > 0;) {
            f.bwd[j] = gru_forward(p.bwd_W, p.bwd_U, p.bwd_b, embed_row(p.src_embed, source[j]), h);
            h = f.bwd[j].out;
        }
    }
    for (std::size_t j = 0; j < n; ++j) {
        f.h.push_back(f.bwd.empty() ? f.fwd[j].out : concat(f.fwd[j].out, f.bwd[j].out));
        vec<T> uh(p.att_U.shape(0), T(0));
        add_mv(uh, p.att_U, f.h.back());
        f.Uh.push_back(std::move(uh));
    }
    f.s0.assign(H, T(0));
    add_mv(f.s0, p.init_W, f.last());
    for (auto& v : f.s0) v = std::tanh(v);
    return f;
}

// [additive]
namespace detail {
/// One additive score: vᵀ tanh(Ws + Uh), the tanh's values kept in `t` (A entries) when given.
template <class T>
T additive_score(const T* Ws, const T* Uh, const T* v, std::size_t A, T* t = nullptr) {
    T sum = 0;
    for (std::size_t a = 0; a < A; ++a) {
        const T th = std::tanh(Ws[a] + Uh[a]);
        if (t) t[a] = th;
        sum += v[a] * th;
    }
    return sum;
}
}  // namespace detail

/// Bahdanau's score of one decoder state s (H_s entries) against every annotation h_j (the rows
/// of Hs, (n, H_h)): e_j = vᵀ tanh(W s + U h_j), with W (A, H_s), U (A, H_h) and v (A). Where
/// lesson 01's score is a dot product after its projections W_q and W_k, this one maps both sides
/// into an A-wide space, adds them, squashes the sum and reads it with v: a small network.
/// paper: e_ij = vᵀ tanh(W s_{i−1} + U h_j) (Bahdanau et al. 2014, eq. 6 and appendix A.1.2)
inline vector additive_scores(const vector& s, const matrix& Hs, const matrix& W, const matrix& U, const vector& v) {
    const char* where = "additive_scores";
    require_nonempty(where, "Hs", Hs);
    require_nonempty(where, "v", v);
    require_shapes(W.shape(1) == s.size(), where, "W", W, "s", s, "W needs one column per entry of s");
    require_shapes(U.shape(1) == Hs.shape(1), where, "U", U, "Hs", Hs, "U needs one column per column of Hs");
    require_shapes(W.shape(0) == v.size(), where, "W", W, "v", v, "W needs one row per entry of v");
    require_shapes(U.shape(0) == v.size(), where, "U", U, "v", v, "U needs one row per entry of v");
    const std::size_t A = v.size(), n = Hs.shape(0);
    std::vector<real> Ws(A, 0), Uh(A);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t k = 0; k < s.size(); ++k) Ws[a] += W(a, k) * s(k);
    vector e = xt::zeros<real>({n});
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t a = 0; a < A; ++a) {
            Uh[a] = 0;
            for (std::size_t k = 0; k < Hs.shape(1); ++k) Uh[a] += U(a, k) * Hs(j, k);
        }
        e(j) = detail::additive_score(Ws.data(), Uh.data(), v.data(), A);
        if (!std::isfinite(e(j)))
            throw value_error("additive_scores: e(" + std::to_string(j) + ") came out " +
                              (std::isnan(e(j)) ? "NaN" : "infinite") + ": an input is not finite or too large");
    }
    return e;
}

/// The scores, their softmax α (lesson 02) and the context c = Σ_j α_j h_j (a row of Hs's width).
struct additive_result {
    vector e, alpha, context;
    ATTN_FIELDS(e, alpha, context)
};
/// paper: α_ij = exp(e_ij) / Σ_k exp(e_ik), c_i = Σ_j α_ij h_j (Bahdanau et al. 2014, eqs. 5-6)
inline additive_result additive_attention(const vector& s, const matrix& Hs, const matrix& W, const matrix& U,
                                          const vector& v) {
    additive_result r;
    r.e = additive_scores(s, Hs, W, U, v);
    r.alpha = softmax(r.e);
    r.context = xt::zeros<real>({Hs.shape(1)});
    for (std::size_t j = 0; j < Hs.shape(0); ++j)
        for (std::size_t k = 0; k < Hs.shape(1); ++k) r.context(k) += r.alpha(j) * Hs(j, k);
    return r;
}
// [additive]

// [attention]
/// One target word: the context (Bahdanau et al. 2014, eqs. 5-6 and appendix A.1.2; without
/// attention, the fixed summary), the decoder's step, and p(y_i | y_{<i}, x).
/// paper: e_ij = vᵀ tanh(W s_{i−1} + U h_j), α_ij = softmax_j(e_ij), c_i = Σ_j α_ij h_j (Bahdanau et al. 2014, eqs. 5-6, appendix A.1.2)
template <class T>
void seq2seq_decode_step(const seq2seq_params<T>& p, bool attention, seq2seq_pass<T>& f, std::size_t previous) {
    using namespace detail;
    const std::size_t n = f.h.size(), A = p.att_W.shape(0), V = p.out_W.shape(0);
    const vec<T>& s = f.dec.empty() ? f.s0 : f.dec.back().out;  // s_{i-1}
    vec<T> c;
    if (attention) {
        vec<T> Ws(A, T(0)), e(n), alpha(n);
        add_mv(Ws, p.att_W, s);
        for (std::size_t j = 0; j < n; ++j) {  // e_ij = vᵀ tanh(W s_{i-1} + U h_j)
            vec<T> t(A);
            e[j] = additive_score(Ws.data(), f.Uh[j].data(), p.att_v.data(), A, t.data());
            f.tanh_ij.push_back(std::move(t));
        }
        const T m = *std::max_element(e.begin(), e.end());
        T total = 0;
        for (std::size_t j = 0; j < n; ++j) total += alpha[j] = std::exp(e[j] - m);
        c.assign(f.h[0].size(), T(0));
        for (std::size_t j = 0; j < n; ++j) {  // α_ij = softmax_j(e_ij), c_i = Σ_j α_ij h_j
            alpha[j] /= total;
            for (std::size_t k = 0; k < c.size(); ++k) c[k] += alpha[j] * f.h[j][k];
        }
        f.scores.push_back(e);
        f.alpha.push_back(std::move(alpha));
    } else {
        c = f.summary();
    }
    f.inputs.push_back(previous);
    f.dec.push_back(gru_forward(p.dec_W, p.dec_U, p.dec_b, concat(embed_row(p.tgt_embed, previous), c), s));
    vec<T> z(p.out_b.data(), p.out_b.data() + V);  // W_o [s_i; c_i] + b_o, then softmax
    add_mv(z, p.out_W, concat(f.dec.back().out, c));
    const T m = *std::max_element(z.begin(), z.end());
    T total = 0;
    for (auto& v : z) total += v = std::exp(v - m);
    for (auto& v : z) v /= total;
    f.context.push_back(std::move(c));
    f.probs.push_back(std::move(z));
}
// [attention]

/// The model reading `source` and writing `target` word by word, each step fed the right previous
/// word (teacher forcing): what training sees.
template <class T>
seq2seq_pass<T> seq2seq_forward(const seq2seq_params<T>& p, bool attention, const std::vector<std::size_t>& source,
                                const std::vector<std::size_t>& target) {
    const std::size_t V = p.src_embed.shape(0);
    seq2seq_pass<T> f = seq2seq_encode(p, source);
    std::size_t previous = V;  // the start symbol
    for (std::size_t w : target) {
        if (w >= V) throw value_error("seq2seq: target word " + std::to_string(w) + " is outside the vocabulary");
        seq2seq_decode_step(p, attention, f, previous);
        previous = w;
    }
    return f;
}

/// The model translating on its own: each step fed its own previous word, the most likely each
/// time (greedy), as many words as the source has.
template <class T>
seq2seq_pass<T> seq2seq_translate(const seq2seq_params<T>& p, bool attention, const std::vector<std::size_t>& source) {
    seq2seq_pass<T> f = seq2seq_encode(p, source);
    std::size_t previous = p.src_embed.shape(0);
    for (std::size_t i = 0; i < source.size(); ++i) {
        seq2seq_decode_step(p, attention, f, previous);
        previous = std::size_t(std::max_element(f.probs[i].begin(), f.probs[i].end()) - f.probs[i].begin());
    }
    return f;
}

/// The words a pass wrote: the most likely at each step.
template <class T>
std::vector<std::size_t> seq2seq_words(const seq2seq_pass<T>& f) {
    std::vector<std::size_t> out;
    for (const auto& row : f.probs) out.push_back(std::size_t(std::max_element(row.begin(), row.end()) - row.begin()));
    return out;
}

// [backward]
/// Adds this pair's gradient of (Σ_i −ln p(y_i)) · weight into g, through time: the decoder's
/// steps from the last back to the first, the attention at each, then the encoder's steps both
/// ways. Returns the summed loss; `d_source`, if given, receives the gradient reaching each source
/// word's embedding (how much the loss still feels word j after the whole way back). With `only`,
/// the loss is that one target word's alone.
template <class T>
T seq2seq_backward(const seq2seq_params<T>& p, bool attention, const sentence_pair& ex, T weight, seq2seq_params<T>& g,
                   std::vector<std::vector<T>>* d_source = nullptr, std::size_t only = std::size_t(-1)) {
    using namespace detail;
    const seq2seq_pass<T> f = seq2seq_forward(p, attention, ex.source, ex.target);
    const std::size_t n = ex.source.size(), m = ex.target.size(), H = p.fwd_U.shape(1), A = p.att_W.shape(0),
                      V = p.out_W.shape(0), E = p.src_embed.shape(1), D = f.h[0].size();
    const bool both = p.both_ways();
    T loss = 0;
    std::vector<vec<T>> dh(n, vec<T>(D, T(0)));  // dL/dh_j from the decoder's side
    vec<T> ds(H, T(0));                          // dL/ds_i, carried back through time
    for (std::size_t i = m; i-- > 0;) {
        const bool counted = only == std::size_t(-1) || only == i;
        vec<T> dz = f.probs[i];  // p − onehot(y_i)
        if (counted) loss -= std::log(std::max(dz[ex.target[i]], T(1e-30)));
        dz[ex.target[i]] -= 1;
        for (auto& v : dz) v *= counted ? weight : T(0);
        add_outer(g.out_W, dz, concat(f.dec[i].out, f.context[i]));
        for (std::size_t k = 0; k < V; ++k) g.out_b.data()[k] += dz[k];
        vec<T> dc(D, T(0));
        add_mtv(ds, p.out_W, dz, 0, 0);  // W_o's first H columns meet s_i
        add_mtv(dc, p.out_W, dz, 0, H);  // the other D, c_i
        vec<T> dx(E + D, T(0)), ds_prev(H, T(0));
        gru_backward(p.dec_W, p.dec_U, f.dec[i], ds, g.dec_W, g.dec_U, g.dec_b, dx, ds_prev);
        for (std::size_t k = 0; k < E; ++k) g.tgt_embed(f.inputs[i], k) += dx[k];
        for (std::size_t k = 0; k < D; ++k) dc[k] += dx[E + k];
        if (attention) {
            const vec<T>& s = i ? f.dec[i - 1].out : f.s0;
            vec<T> dalpha(n), dWs(A, T(0));
            T dot = 0;
            for (std::size_t j = 0; j < n; ++j) {  // c_i = Σ_j α_ij h_j
                T d = 0;
                for (std::size_t k = 0; k < D; ++k) {
                    d += dc[k] * f.h[j][k];
                    dh[j][k] += f.alpha[i][j] * dc[k];
                }
                dalpha[j] = d;
                dot += f.alpha[i][j] * d;
            }
            for (std::size_t j = 0; j < n; ++j) {  // softmax's Jacobian, then e_ij = vᵀ tanh(·)
                const T de = f.alpha[i][j] * (dalpha[j] - dot);
                const vec<T>& t = f.tanh_ij[i * n + j];
                vec<T> da(A);
                for (std::size_t a = 0; a < A; ++a) {
                    g.att_v.data()[a] += de * t[a];
                    da[a] = de * p.att_v.data()[a] * (T(1) - t[a] * t[a]);
                    dWs[a] += da[a];
                }
                add_outer(g.att_U, da, f.h[j]);
                add_mtv(dh[j], p.att_U, da);
            }
            add_outer(g.att_W, dWs, s);
            add_mtv(ds_prev, p.att_W, dWs);
        } else {  // c = →h_n, or [→h_n; ←h_1]
            for (std::size_t k = 0; k < H; ++k) dh[n - 1][k] += dc[k];
            if (both)
                for (std::size_t k = 0; k < H; ++k) dh[0][H + k] += dc[H + k];
        }
        ds = std::move(ds_prev);
    }
    vec<T> da0(H), dlast(H, T(0));  // s_0 = tanh(W_s →h_n), or tanh(W_s ←h_1)
    for (std::size_t k = 0; k < H; ++k) da0[k] = ds[k] * (T(1) - f.s0[k] * f.s0[k]);
    add_outer(g.init_W, da0, f.last());
    add_mtv(dlast, p.init_W, da0);
    for (std::size_t k = 0; k < H; ++k) (both ? dh[0][H + k] : dh[n - 1][k]) += dlast[k];
    if (d_source) d_source->assign(n, vec<T>(E, T(0)));
    auto embed_grad = [&](std::size_t j, const vec<T>& dx) {
        for (std::size_t k = 0; k < E; ++k) g.src_embed(ex.source[j], k) += dx[k];
        if (d_source)
            for (std::size_t k = 0; k < E; ++k) (*d_source)[j][k] += dx[k];
    };
    vec<T> carry(H, T(0));
    for (std::size_t j = n; j-- > 0;) {  // left to right, walked back
        for (std::size_t k = 0; k < H; ++k) carry[k] += dh[j][k];
        vec<T> dx(E, T(0)), dprev(H, T(0));
        gru_backward(p.fwd_W, p.fwd_U, f.fwd[j], carry, g.fwd_W, g.fwd_U, g.fwd_b, dx, dprev);
        embed_grad(j, dx);
        carry = std::move(dprev);
    }
    carry.assign(H, T(0));
    for (std::size_t j = 0; both && j < n; ++j) {  // right to left, walked back
        for (std::size_t k = 0; k < H; ++k) carry[k] += dh[j][H + k];
        vec<T> dx(E, T(0)), dprev(H, T(0));
        gru_backward(p.bwd_W, p.bwd_U, f.bwd[j], carry, g.bwd_W, g.bwd_U, g.bwd_b, dx, dprev);
        embed_grad(j, dx);
        carry = std::move(dprev);
    }
    return loss;
}
// [backward]

/// How far the loss reaches back: the size of the gradient that the loss at the target word
/// translating source word j sends to word j's embedding, for every j. Without attention it
/// travels the whole recurrence (the rest of the source, then the decoder's steps so far); with
/// attention it also has the short way through c_i.
template <class T>
std::vector<double> gradient_reach(const seq2seq_params<T>& p, bool attention, const sentence_pair& ex) {
    std::vector<double> out(ex.source.size());
    for (std::size_t i = 0; i < ex.target.size(); ++i) {
        seq2seq_params<T> unused = p;
        std::vector<std::vector<T>> d;
        seq2seq_backward(p, attention, ex, T(1), unused, &d, i);
        double norm = 0;
        for (T v : d[ex.alignment[i]]) norm += double(v) * double(v);
        out[ex.alignment[i]] = std::sqrt(norm);
    }
    return out;
}

/// Vaswani et al. (2017, Table 1)'s two counts for a model reading n source words and writing m:
/// the operations that must run one after another, and the longest of the shortest paths from a
/// source word to a target word, counted on the model's graph (x_j → h_j, h_{j-1} → h_j,
/// h_n → s_0, s_{i-1} → s_i, c_i → s_i and y_i, s_i → y_i; c_i is fed by h_n without attention, by
/// every h_j and s_{i-1} with it). One self-attention layer joins every x_j to every y_i directly.
struct path_counts {
    std::size_t sequential, longest_path;
    ATTN_FIELDS(sequential, longest_path)
};
enum class reader { rnn, rnn_attention, self_attention };
/// paper: sequential operations and maximum path length (Vaswani et al. 2017, Table 1)
inline path_counts count_paths(reader r, std::size_t n, std::size_t m) {
    if (n == 0 || m == 0) throw value_error("count_paths: at least one source and one target word");
    if (r == reader::self_attention) return {1, 1};
    // nodes: x_j = j, h_j = n + j, s_i = 2n + i (s_0..s_m), c_i = 2n + m + 1 + i, y_i = 2n + 2m + 1 + i
    const std::size_t X = 0, Hn = n, S = 2 * n, C = 2 * n + m + 1, Y = 2 * n + 2 * m + 1, N = Y + m;
    std::vector<std::vector<std::size_t>> next(N);
    for (std::size_t j = 0; j < n; ++j) {
        next[X + j].push_back(Hn + j);
        if (j + 1 < n) next[Hn + j].push_back(Hn + j + 1);
    }
    next[Hn + n - 1].push_back(S);
    for (std::size_t i = 0; i < m; ++i) {  // target word i is written from s_{i+1}
        next[S + i].push_back(S + i + 1);
        next[C + i].push_back(S + i + 1);
        next[C + i].push_back(Y + i);
        next[S + i + 1].push_back(Y + i);
        if (r == reader::rnn) {
            next[Hn + n - 1].push_back(C + i);
        } else {
            for (std::size_t j = 0; j < n; ++j) next[Hn + j].push_back(C + i);
            next[S + i].push_back(C + i);
        }
    }
    // The longest chain of dependent steps, walking the graph in the order its nodes are numbered
    // (every edge goes forward in it, except s_i → c_i, whose c_i comes later: walk c_i with s_{i+1}).
    std::vector<std::size_t> order;
    for (std::size_t v = 0; v < S; ++v) order.push_back(v);
    for (std::size_t i = 0; i <= m; ++i) {
        order.push_back(S + i);
        if (i < m) order.push_back(C + i);
    }
    for (std::size_t i = 0; i < m; ++i) order.push_back(Y + i);
    std::vector<std::size_t> depth(N, 0);
    for (std::size_t v : order)
        for (std::size_t w : next[v]) depth[w] = std::max(depth[w], depth[v] + 1);
    path_counts out{0, 0};
    for (std::size_t i = 0; i < m; ++i) out.sequential = std::max(out.sequential, depth[Y + i]);
    for (std::size_t j = 0; j < n; ++j) {  // breadth first from x_j
        std::vector<std::size_t> dist(N, std::size_t(-1)), queue{X + j};
        dist[X + j] = 0;
        for (std::size_t q = 0; q < queue.size(); ++q)
            for (std::size_t w : next[queue[q]])
                if (dist[w] == std::size_t(-1)) dist[w] = dist[queue[q]] + 1, queue.push_back(w);
        for (std::size_t i = 0; i < m; ++i) out.longest_path = std::max(out.longest_path, dist[Y + i]);
    }
    return out;
}

/// Figures of a model on sentences of one length.
struct seq2seq_eval {
    double accuracy;                  // target words right, translating on its own (greedy)
    double alignment;                 // target words whose largest α is on their true source word (with attention)
    std::vector<double> by_position;  // accuracy at each target position 1..length
    ATTN_FIELDS(accuracy, alignment, by_position)
};

/// A model, its optimiser and its data, stepped one batch at a time.
class seq2seq_trainer {
public:
    explicit seq2seq_trainer(const seq2seq_config& c)
        : cfg_(c), data_(c.seed * 2 + 1), params_(init(c)), m_(seq2seq_zeros<real>(c)), v_(seq2seq_zeros<real>(c)) {}

    const seq2seq_config& config() const { return cfg_; }
    const seq2seq_params<real>& params() const { return params_; }
    std::size_t steps() const { return t_; }

    /// One Adam step on a fresh batch of sentences (lengths min_length..max_length); returns the
    /// batch's mean loss per target word.
    real step() {
        seq2seq_params<real> grad = seq2seq_zeros<real>(cfg_);
        std::vector<sentence_pair> batch;
        std::size_t words = 0;
        for (std::size_t b = 0; b < cfg_.batch; ++b) {
            const std::size_t span = cfg_.max_length - cfg_.min_length + 1;
            batch.push_back(make_sentence(cfg_.task, cfg_.min_length + data_.below(span), data_));
            words += batch.back().target.size();
        }
        const real weight = real(1) / real(words);
        real loss = 0;
        for (const auto& ex : batch) loss += seq2seq_backward(params_, cfg_.attention, ex, weight, grad);
        double norm = 0;  // clip the whole gradient's norm
        for (auto* g : grad.params())
            for (real v : *g) norm += double(v) * v;
        const real scale = norm > double(cfg_.clip) * cfg_.clip ? real(cfg_.clip / std::sqrt(norm)) : real(1);
        ++t_;
        auto p = params_.params(), g = grad.params(), m = m_.params(), v = v_.params();
        for (std::size_t k = 0; k < p.size(); ++k) {
            *g[k] *= scale;
            adam_update(*p[k], *g[k], *m[k], *v[k], t_, cfg_.lr);
        }
        return loss * weight;
    }

    /// Accuracy and alignment on `count` sentences of `length` words, drawn from `seed`.
    seq2seq_eval evaluate(std::size_t length, std::size_t count, std::uint64_t seed) const {
        require_whole_in("evaluate: the length", double(length), 1, 64);
        require_whole_in("evaluate: the count", double(count), 1, 10000);
        rng g(seed);
        double right = 0, aligned = 0, words = 0;
        std::vector<double> at(length, 0.0);
        for (std::size_t s = 0; s < count; ++s) {
            const sentence_pair ex = make_sentence(cfg_.task, length, g);
            const auto f = seq2seq_translate(params_, cfg_.attention, ex.source);
            const auto out = seq2seq_words(f);
            for (std::size_t i = 0; i < out.size(); ++i) {
                right += out[i] == ex.target[i];
                at[i] += out[i] == ex.target[i];
                if (!cfg_.attention) continue;
                const auto& row = f.alpha[i];
                aligned += std::size_t(std::max_element(row.begin(), row.end()) - row.begin()) == ex.alignment[i];
            }
            words += double(out.size());
        }
        for (auto& a : at) a /= double(count);
        return {right / words, aligned / words, at};
    }

    seq2seq_pass<real> translate(const std::vector<std::size_t>& source) const {
        return seq2seq_translate(params_, cfg_.attention, source);
    }

private:
    static seq2seq_params<real> init(const seq2seq_config& c) {
        rng g(c.seed);
        return seq2seq_init<real>(c, g);
    }

    seq2seq_config cfg_;
    rng data_;
    seq2seq_params<real> params_, m_, v_;
    std::size_t t_ = 0;
};

}  // namespace attn
