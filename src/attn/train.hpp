// attn/train.hpp — lesson 15 (capstone): train a tiny attention model.
//
// Teaches: everything before this, used for real. The model is one attention
// layer and nothing else:
//   X = E[x] + P                 token embedding plus a learned position embedding, (n, d)
//   O = softmax(X·W_q·(X·W_k)ᵀ/√d)·X·W_v      lesson 03's attention, (n, d)
//   Z = O·W_out                  logits over the vocabulary, (n, vocab)
// trained with cross-entropy on a toy task (copy, reverse, or shift a sequence of
// symbols) by Adam (Kingma & Ba 2015), with lesson 14's backward pass for the
// attention. The tasks are about *where* to look, so the attention map learns
// the answer: the diagonal for copy, the anti-diagonal for reverse, the band
// below the diagonal for shift. Everything is seeded by a platform-independent
// generator, so a seed trains the same natively and in the page.
// Leaves out: residual connections, MLPs, layer norm, more layers: a
// transformer block adds them around this attention (Vaswani et al. 2017).
// Run it: `attnlab lesson 15`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adam.hpp"
#include "backward.hpp"
#include "fields.hpp"
#include "rng.hpp"
#include "scores.hpp"
#include "softmax.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

enum class toy_task { copy, reverse, shift };

inline toy_task parse_task(const std::string& name) {
    if (name == "copy") return toy_task::copy;
    if (name == "reverse") return toy_task::reverse;
    if (name == "shift") return toy_task::shift;
    throw value_error("unknown task \"" + name + "\"; choose copy, reverse or shift");
}

inline const char* task_name(toy_task t) {
    return t == toy_task::copy ? "copy" : t == toy_task::reverse ? "reverse" : "shift";
}

// [target]
/// The answer the model must give at each position: x itself, x backwards, or x moved one
/// step right (position 0 gets the last symbol, so every answer is in the input).
inline std::vector<std::size_t> toy_target(toy_task task, const std::vector<std::size_t>& x) {
    const std::size_t n = x.size();
    std::vector<std::size_t> y(n);
    for (std::size_t i = 0; i < n; ++i)
        y[i] = task == toy_task::copy ? x[i] : task == toy_task::reverse ? x[n - 1 - i] : x[(i + n - 1) % n];
    return y;
}
// [target]

struct toy_config {
    toy_task task = toy_task::reverse;
    std::size_t vocab = 10;  // symbols 0..vocab-1
    std::size_t n = 10;      // sequence length
    std::size_t d = 32;      // model width
    std::size_t batch = 16;  // sequences per step
    real lr = 0.003f;        // Adam's step size
    std::uint64_t seed = 1;
};

inline void check_config(const toy_config& c) {
    auto in = [](const char* what, std::size_t v, double lo, double hi) {
        require_in(std::string("toy model: ") + what, double(v), lo, hi);
    };
    in("vocab", c.vocab, 2, 64);
    in("n", c.n, 2, 32);
    in("d", c.d, 2, 128);
    in("batch", c.batch, 1, 256);
    if (!(c.lr > 0 && c.lr <= 1)) throw value_error("toy model: the learning rate must be in (0, 1]");
}

/// The parameters (and, with the same shapes, their gradients and Adam's moments).
struct toy_model {
    matrix E;      // (vocab, d) token embeddings
    matrix P;      // (n, d) position embeddings
    matrix W_q;    // (d, d)
    matrix W_k;    // (d, d)
    matrix W_v;    // (d, d)
    matrix W_out;  // (d, vocab)
    std::vector<matrix*> params() { return {&E, &P, &W_q, &W_k, &W_v, &W_out}; }
};

inline toy_model toy_zeros(const toy_config& c) {
    return {xt::zeros<real>({c.vocab, c.d}), xt::zeros<real>({c.n, c.d}), xt::zeros<real>({c.d, c.d}),
            xt::zeros<real>({c.d, c.d}),     xt::zeros<real>({c.d, c.d}), xt::zeros<real>({c.d, c.vocab})};
}

/// Embeddings ~ N(0, 1), weights ~ N(0, 1/d): unit-scale activations at the start.
inline toy_model toy_init(const toy_config& c, rng& g) {
    check_config(c);
    toy_model m = toy_zeros(c);
    for (auto* p : m.params()) {
        const double sd = (p == &m.E || p == &m.P) ? 1.0 : 1.0 / std::sqrt(double(c.d));
        *p = normal_matrix(p->shape(0), p->shape(1), g, sd);
    }
    return m;
}

namespace detail {
// A·B with the loops in i, k, j order (the inner loop runs along rows of B and C, which the
// compiler vectorises): lesson 01's project() computes the same sums, in the same order, column
// by column, which is clearer and slower for the trainer's shapes.
inline matrix mm(const matrix& A, const matrix& B) {  // A·B
    matrix C = xt::zeros<real>({A.shape(0), B.shape(1)});
    for (std::size_t i = 0; i < A.shape(0); ++i)
        for (std::size_t k = 0; k < A.shape(1); ++k) {
            const real a = A(i, k);
            for (std::size_t j = 0; j < B.shape(1); ++j) C(i, j) += a * B(k, j);
        }
    return C;
}
inline void add_at_b(matrix& C, const matrix& A, const matrix& B) {  // C += Aᵀ·B
    for (std::size_t k = 0; k < A.shape(0); ++k)
        for (std::size_t i = 0; i < A.shape(1); ++i) {
            const real a = A(k, i);
            for (std::size_t j = 0; j < B.shape(1); ++j) C(i, j) += a * B(k, j);
        }
}
}  // namespace detail

/// One sequence through the model, every intermediate kept.
struct toy_pass {
    matrix X, Q, K, V;  // (n, d)
    matrix A;           // (n, n) attention weights
    matrix O;           // (n, d)
    matrix probs;       // (n, vocab) softmax of the logits
};

// [forward]
inline toy_pass toy_forward(const toy_model& m, const std::vector<std::size_t>& x) {
    const std::size_t n = m.P.shape(0), vocab = m.E.shape(0);
    if (x.size() != n)
        throw shape_error("toy_forward: the sequence has " + std::to_string(x.size()) +
                          " symbols but the model is for " + std::to_string(n));
    toy_pass r;
    r.X = m.P;  // X = E[x] + P
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i] >= vocab)
            throw value_error("toy_forward: symbol " + std::to_string(x[i]) + " is outside the vocabulary 0.." +
                              std::to_string(vocab - 1));
        xt::row(r.X, i) += xt::row(m.E, x[i]);
    }
    r.Q = detail::mm(r.X, m.W_q);
    r.K = detail::mm(r.X, m.W_k);
    r.V = detail::mm(r.X, m.W_v);
    const auto f = attention_forward<real>(r.Q, r.K, r.V);  // lesson 14's forward: A and O
    r.A = f.P;
    r.O = f.O;
    r.probs = softmax_rows(detail::mm(r.O, m.W_out));  // the logits Z, as probabilities (lesson 02)
    return r;
}
// [forward]

// [backward]
/// Adds this sequence's gradient of (Σ_i -ln probs(i, y_i)) · weight into g; returns the summed loss.
inline real toy_backward(const toy_model& m, const std::vector<std::size_t>& x, const std::vector<std::size_t>& y,
                         real weight, toy_model& g) {
    const toy_pass f = toy_forward(m, x);
    const std::size_t n = x.size();
    matrix dZ = f.probs;  // d(-ln softmax)/dZ = probs - onehot(y)
    real loss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        loss -= std::log(std::max(f.probs(i, y[i]), real(1e-30)));
        dZ(i, y[i]) -= 1;
    }
    dZ *= weight;
    detail::add_at_b(g.W_out, f.O, dZ);                          // dW_out = Oᵀ·dZ
    const matrix dO = scores(dZ, m.W_out);                       // dO = dZ·W_outᵀ
    const auto a = attention_backward<real>(f.Q, f.K, f.V, dO);  // lesson 14
    detail::add_at_b(g.W_q, f.X, a.dQ);                          // dW_q = Xᵀ·dQ, and so on
    detail::add_at_b(g.W_k, f.X, a.dK);
    detail::add_at_b(g.W_v, f.X, a.dV);
    const matrix dX = scores(a.dQ, m.W_q) + scores(a.dK, m.W_k) + scores(a.dV, m.W_v);
    g.P += dX;  // X = E[x] + P: both get dX
    for (std::size_t i = 0; i < n; ++i) xt::row(g.E, x[i]) += xt::row(dX, i);
    return loss;
}
// [backward]

/// Held-out figures of a model.
struct toy_eval {
    real loss;      // mean cross-entropy per symbol
    real accuracy;  // fraction of symbols whose most likely answer is right
    ATTN_FIELDS(loss, accuracy)
};

/// A model, its optimiser and its data, stepped one batch at a time.
class toy_trainer {
public:
    explicit toy_trainer(const toy_config& c)
        : cfg_(c), data_(c.seed * 2 + 1), model_(init(c)), m_(toy_zeros(c)), v_(toy_zeros(c)) {
        rng held_out(c.seed * 2 + 2);
        for (std::size_t s = 0; s < 64; ++s) eval_.push_back(sample(held_out));
    }

    const toy_config& config() const { return cfg_; }
    const toy_model& model() const { return model_; }
    std::size_t steps() const { return t_; }

    /// A random sequence of symbols.
    std::vector<std::size_t> sample(rng& g) const {
        std::vector<std::size_t> x(cfg_.n);
        for (auto& s : x) s = g.below(cfg_.vocab);
        return x;
    }

    /// One Adam step on a fresh batch; returns that batch's mean loss per symbol.
    real step() {
        toy_model grad = toy_zeros(cfg_);
        const real weight = real(1) / real(cfg_.batch * cfg_.n);
        real loss = 0;
        for (std::size_t b = 0; b < cfg_.batch; ++b) {
            const auto x = sample(data_);
            loss += toy_backward(model_, x, toy_target(cfg_.task, x), weight, grad);
        }
        ++t_;
        auto p = model_.params(), g = grad.params(), m = m_.params(), v = v_.params();
        for (std::size_t k = 0; k < p.size(); ++k) adam_update(*p[k], *g[k], *m[k], *v[k], t_, cfg_.lr);
        return loss * weight;
    }

    /// Mean loss per symbol and the fraction of symbols right, on 64 held-out sequences:
    /// 64 forward passes, so call it once for both figures.
    toy_eval evaluate() const {
        double loss = 0, right = 0;
        for (const auto& x : eval_) {
            const toy_pass f = toy_forward(model_, x);
            const auto y = toy_target(cfg_.task, x);
            for (std::size_t i = 0; i < x.size(); ++i) {
                loss -= std::log(std::max(double(f.probs(i, y[i])), 1e-30));
                right += argmax_row(f.probs, i) == y[i];
            }
        }
        const double count = double(eval_.size() * cfg_.n);
        return {real(loss / count), real(right / count)};
    }

    /// The model's answer (most likely symbol) at each position, and its attention map.
    std::vector<std::size_t> predict(const std::vector<std::size_t>& x) const {
        const toy_pass f = toy_forward(model_, x);
        std::vector<std::size_t> out(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) out[i] = argmax_row(f.probs, i);
        return out;
    }
    matrix attention_map(const std::vector<std::size_t>& x) const { return toy_forward(model_, x).A; }

private:
    static toy_model init(const toy_config& c) {
        rng g(c.seed);
        return toy_init(c, g);
    }

    toy_config cfg_;
    rng data_;
    toy_model model_, m_, v_;
    std::size_t t_ = 0;
    std::vector<std::vector<std::size_t>> eval_;
};

}  // namespace attn
