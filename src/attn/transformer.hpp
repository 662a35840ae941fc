// attn/transformer.hpp — the transformer block that attention lives in, forward and backward.
//
// Teaches (lesson 16, the transformer block): a decoder-only transformer is attention plus
// a few plain layers, each of which a learner can check by finite differences:
//   X = E[x] + P                     token plus position embeddings, (n, d)
//   per block (pre-norm, Radford et al. 2019; Xiong et al. 2020):
//     A = MHA(LN₁(X)),  X ← X + A    causal multi-head attention (lessons 05, 06, 14) on the residual stream
//     M = GELU(LN₂(X)·W₁ + b₁)·W₂ + b₂,  X ← X + M    the MLP, 4·d wide (Hendrycks & Gimpel 2016)
//   Z = LN_f(X)·W_out                logits over the vocabulary, (n, vocab)
// and the mean cross-entropy of the next byte. Every layer has its backward beside its forward;
// attention's backward is lesson 14's attention_backward, per head. Trained with AdamW
// (Loshchilov & Hutter 2019) on a warm-up then cosine schedule (SGDR's decay, Loshchilov & Hutter
// 2017). Tokens are bytes: vocab 256.
// T is float for training and inference (the attention forward runs on lesson 09's tiled v4_simd)
// and double for the finite-difference checks (tests/transformer.cpp).
// Leaves out: dropout, batching inside a layer (a batch is a loop over sequences). Generation with
// a KV cache per layer and head is attn/inspect.hpp's lm_decoder, on these same layers.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "backward.hpp"
#include "cost.hpp"
#include "fields.hpp"
#include "kernels/registry.hpp"
#include "rng.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

namespace block_detail {
// The three products the block needs, all as C += A·B on raw row-major arrays, where A(i, p) is
// read through strides so that Aᵀ needs no copy: C = A·B, C = A·Bᵀ (as A·(Bᵀ)) and C += Aᵀ·B.
// A tile of C, 4 rows by 32 columns, is held in registers while p runs over the whole inner
// dimension, so each row of B read serves four rows of C, and C is read and written once; the
// inner loops have fixed lengths, which the compiler unrolls and vectorises. Every C(i, j) still
// sums its products in the order p = 0, 1, …, as the plain triple loop does.
template <class T>
void gemm_acc(const T* A, std::size_t a_row, std::size_t a_col, const T* __restrict B, T* __restrict C, std::size_t n,
              std::size_t k, std::size_t m) {
    constexpr std::size_t R = 4, J = 32;
    std::size_t i = 0;
    for (; i + R <= n; i += R) {
        std::size_t j0 = 0;
        for (; j0 + J <= m; j0 += J) {
            T acc[R][J];
            for (std::size_t r = 0; r < R; ++r)
                for (std::size_t j = 0; j < J; ++j) acc[r][j] = C[(i + r) * m + j0 + j];
            for (std::size_t p = 0; p < k; ++p) {
                const T* b = B + p * m + j0;
                for (std::size_t r = 0; r < R; ++r) {
                    const T a = A[(i + r) * a_row + p * a_col];
                    for (std::size_t j = 0; j < J; ++j) acc[r][j] += a * b[j];
                }
            }
            for (std::size_t r = 0; r < R; ++r)
                for (std::size_t j = 0; j < J; ++j) C[(i + r) * m + j0 + j] = acc[r][j];
        }
        for (std::size_t r = 0; r < R; ++r)  // the columns past the last whole tile
            for (std::size_t p = 0; p < k; ++p) {
                const T a = A[(i + r) * a_row + p * a_col];
                for (std::size_t j = j0; j < m; ++j) C[(i + r) * m + j] += a * B[p * m + j];
            }
    }
    for (; i < n; ++i)  // the rows past the last whole tile
        for (std::size_t p = 0; p < k; ++p) {
            const T a = A[i * a_row + p * a_col];
            for (std::size_t j = 0; j < m; ++j) C[i * m + j] += a * B[p * m + j];
        }
}
template <class T>
tensor2<T> mm(const tensor2<T>& A, const tensor2<T>& B) {  // A·B
    require_shapes(A.shape(1) == B.shape(0), "matmul", "A", A, "B", B, "A needs as many columns as B has rows");
    tensor2<T> C = xt::zeros<T>({A.shape(0), B.shape(1)});
    gemm_acc(A.data(), A.shape(1), 1, B.data(), C.data(), A.shape(0), A.shape(1), B.shape(1));
    return C;
}
template <class T>
tensor2<T> mm_bt(const tensor2<T>& A, const tensor2<T>& B) {  // A·Bᵀ
    require_shapes(A.shape(1) == B.shape(1), "matmul", "A", A, "B", B, "A and B need the same number of columns");
    const tensor2<T> Bt = xt::transpose(B);
    return mm(A, Bt);
}
template <class T>
void add_at_b(tensor2<T>& C, const tensor2<T>& A, const tensor2<T>& B) {  // C += Aᵀ·B
    require_shapes(A.shape(0) == B.shape(0) && C.shape(0) == A.shape(1) && C.shape(1) == B.shape(1), "matmul", "A", A,
                   "B", B, "C += Aᵀ·B needs A and B with as many rows, and C of (A's columns, B's columns)");
    gemm_acc(A.data(), 1, A.shape(1), B.data(), C.data(), A.shape(1), A.shape(0), B.shape(1));
}
template <class T>
tensor2<T> columns(const tensor2<T>& M, std::size_t from, std::size_t count) {
    return xt::view(M, xt::all(), xt::range(from, from + count));
}
template <class T>
void set_columns(tensor2<T>& M, std::size_t from, const tensor2<T>& part) {  // M[:, from..] = part
    for (std::size_t i = 0; i < part.shape(0); ++i)
        for (std::size_t j = 0; j < part.shape(1); ++j) M(i, from + j) = part(i, j);
}
}  // namespace block_detail

// [linear]
/// Y = X·W + b: X (n, d_in), W (d_in, d_out), b (1, d_out).
template <class T>
tensor2<T> linear(const tensor2<T>& X, const tensor2<T>& W, const tensor2<T>& b) {
    require_shapes(b.shape(0) == 1 && b.shape(1) == W.shape(1), "linear", "W", W, "b", b, "b is (1, d_out)");
    tensor2<T> Y = block_detail::mm(X, W);
    for (std::size_t i = 0; i < Y.shape(0); ++i)
        for (std::size_t j = 0; j < Y.shape(1); ++j) Y(i, j) += b(0, j);
    return Y;
}
/// Given dY: dW += Xᵀ·dY, db += Σ_rows dY; returns dX = dY·Wᵀ.
template <class T>
tensor2<T> linear_backward(const tensor2<T>& X, const tensor2<T>& W, const tensor2<T>& dY, tensor2<T>& dW,
                           tensor2<T>& db) {
    block_detail::add_at_b(dW, X, dY);
    for (std::size_t i = 0; i < dY.shape(0); ++i)
        for (std::size_t j = 0; j < dY.shape(1); ++j) db(0, j) += dY(i, j);
    return block_detail::mm_bt(dY, W);
}
// [linear]

// [layer_norm]
/// What layer_norm keeps for its backward: each row normalised, and 1/σ of each row.
template <class T>
struct norm_cache {
    tensor2<T> xhat;      // (n, d): (x − μ)/σ
    std::vector<T> rstd;  // (n): 1/σ = 1/√(var + ε)
};
/// Each row to mean 0 and variance 1, then scaled by g and shifted by b (both (1, d)) (Ba et al. 2016).
/// paper: LN(x) = g ∘ (x − μ)/σ + b (Ba et al. 2016)
template <class T>
tensor2<T> layer_norm(const tensor2<T>& X, const tensor2<T>& g, const tensor2<T>& b, norm_cache<T>* c = nullptr) {
    require_shapes(g.shape() == b.shape() && g.shape(0) == 1 && g.shape(1) == X.shape(1), "layer_norm", "X", X, "g", g,
                   "the gain and the shift are (1, d), one per column of X");
    const std::size_t n = X.shape(0), d = X.shape(1);
    const T eps = T(1e-5);
    tensor2<T> Y = xt::zeros<T>(X.shape()), xhat = xt::zeros<T>(X.shape());
    std::vector<T> rstd(n);
    for (std::size_t i = 0; i < n; ++i) {
        T mean = 0, var = 0;
        for (std::size_t j = 0; j < d; ++j) mean += X(i, j);
        mean /= T(d);
        for (std::size_t j = 0; j < d; ++j) var += (X(i, j) - mean) * (X(i, j) - mean);
        if (!std::isfinite(var))  // (x − μ)² past the number type: every x̂ of the row would be 0
            throw value_error("layer_norm: row " + std::to_string(i) + "'s variance overflows " +
                              (std::is_same_v<T, float> ? "float32" : "its number type") +
                              " (an entry too large to square)");
        rstd[i] = T(1) / std::sqrt(var / T(d) + eps);
        for (std::size_t j = 0; j < d; ++j) {
            xhat(i, j) = (X(i, j) - mean) * rstd[i];
            Y(i, j) = xhat(i, j) * g(0, j) + b(0, j);
        }
    }
    if (c) *c = {std::move(xhat), std::move(rstd)};
    return Y;
}
/// Given dY: dg += Σ dY∘x̂, db += Σ dY; returns dX = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂∘x̂)), dx̂ = dY∘g.
template <class T>
tensor2<T> layer_norm_backward(const tensor2<T>& dY, const tensor2<T>& g, const norm_cache<T>& c, tensor2<T>& dg,
                               tensor2<T>& db) {
    const std::size_t n = dY.shape(0), d = dY.shape(1);
    tensor2<T> dX = xt::zeros<T>(dY.shape());
    for (std::size_t i = 0; i < n; ++i) {
        T mean_dxhat = 0, mean_dxhat_xhat = 0;
        for (std::size_t j = 0; j < d; ++j) {
            const T dxhat = dY(i, j) * g(0, j);
            mean_dxhat += dxhat;
            mean_dxhat_xhat += dxhat * c.xhat(i, j);
            dg(0, j) += dY(i, j) * c.xhat(i, j);
            db(0, j) += dY(i, j);
        }
        mean_dxhat /= T(d);
        mean_dxhat_xhat /= T(d);
        for (std::size_t j = 0; j < d; ++j)
            dX(i, j) = c.rstd[i] * (dY(i, j) * g(0, j) - mean_dxhat - c.xhat(i, j) * mean_dxhat_xhat);
    }
    return dX;
}
// [layer_norm]

// [gelu]
/// GELU, tanh form (Hendrycks & Gimpel 2016): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
/// paper: GELU(x) = x·Φ(x) (Hendrycks & Gimpel 2016)
template <class T>
T gelu(T x) {
    const T k = T(0.7978845608028654);  // √(2/π)
    return T(0.5) * x * (T(1) + std::tanh(k * (x + T(0.044715) * x * x * x)));
}
/// d gelu / dx.
template <class T>
T gelu_slope(T x) {
    const T k = T(0.7978845608028654), t = std::tanh(k * (x + T(0.044715) * x * x * x));
    return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * k * (T(1) + T(3 * 0.044715) * x * x);
}
// [gelu]

/// A model's shape: bytes in (vocab 256), `layers` blocks of `heads` heads over d_model, context n.
struct block_config {
    std::size_t vocab = 256, context = 128, d_model = 128, heads = 4, layers = 2;
    std::size_t d_ff() const { return 4 * d_model; }
};

inline void check_block_config(const block_config& c) {
    require_in("transformer: vocab", double(c.vocab), 2, 256);
    require_in("transformer: context", double(c.context), 1, 4096);
    require_in("transformer: d_model", double(c.d_model), 2, 4096);
    require_in("transformer: heads", double(c.heads), 1, double(c.d_model));
    require_in("transformer: layers", double(c.layers), 1, 64);
    if (c.d_model % c.heads != 0)
        throw value_error("transformer: d_model " + std::to_string(c.d_model) + " does not split into " +
                          std::to_string(c.heads) + " heads of one width");
}

// [budget]
/// Where a decoder's weights and forward FLOPs go (a multiply-add is 2 FLOPs; norms, softmax,
/// biases and embeddings' additions, a few operations per number, are left out), for n tokens.
/// Per layer and token: the projections Q, K, V and W_o cost 2 FLOPs per weight, the MLP as much,
/// and attention's scores Q·Kᵀ and weighted sum P·V cost 4·n·(heads·d_head), counted in full (a
/// causal kernel that skips the masked half does half). The n² part overtakes the rest of the
/// layer at n = (projections + MLP per token) / (4·heads·d_head): 6·d_model for a GPT block.
struct block_budget {
    std::string name;
    std::size_t n;
    double attention_weights, mlp_weights;     // per layer
    double embedding_weights;                  // vocab × d_model (a read-out tied to it adds none)
    double projections, scores, mlp, readout;  // forward FLOPs for n tokens, all layers
    double crossover;                          // n at which scores = projections + mlp
    ATTN_FIELDS(name, n, attention_weights, mlp_weights, embedding_weights, projections, scores, mlp, readout,
                crossover)
};
/// paper: forward FLOPs per token and layer = 2·(4d² + 8d²) + 4·n·d (GPT block); n² passes the rest at n = 6·d
inline block_budget budget(const model_config& m, std::size_t n) {
    require_in("budget: n", double(n), 1, 1e9);
    const double d = double(m.d_model), q = double(m.heads * m.d_head), kv = double(m.kv_heads * m.d_head),
                 L = double(m.layers), N = double(n);
    const double attention = d * q + 2 * d * kv + q * d;  // W_q, W_k, W_v, W_o
    const double mlp = double(m.mlp_matrices) * d * double(m.d_ff);
    return {m.name,
            n,
            attention,
            mlp,
            double(m.vocab) * d,
            2 * attention * N * L,
            4 * N * N * q * L,
            2 * mlp * N * L,
            2 * d * double(m.vocab) * N,
            (2 * attention + 2 * mlp) / (4 * q)};
}
/// The course's model as a model_config, for budget() and the published models beside it.
inline model_config as_model_config(const block_config& c, const std::string& name) {
    return {name, c.layers, c.d_model, c.heads, c.heads, c.d_model / c.heads, c.d_ff(), c.context, 0, 4, 2, c.vocab};
}
// [budget]

/// One block's parameters.
template <class T>
struct block_params {
    tensor2<T> ln1_g, ln1_b;        // (1, d)
    tensor2<T> W_q, W_k, W_v, W_o;  // (d, d): the heads side by side, d/h columns each
    tensor2<T> ln2_g, ln2_b;        // (1, d)
    tensor2<T> W_1, b_1, W_2, b_2;  // (d, 4d), (1, 4d), (4d, d), (1, d)
    std::vector<tensor2<T>*> params() {
        return {&ln1_g, &ln1_b, &W_q, &W_k, &W_v, &W_o, &ln2_g, &ln2_b, &W_1, &b_1, &W_2, &b_2};
    }
};

/// The whole model's parameters, and (with the same shapes) their gradients and AdamW's moments.
template <class T>
struct model_params {
    tensor2<T> E, P;  // (vocab, d) tokens, (context, d) positions
    std::vector<block_params<T>> blocks;
    tensor2<T> lnf_g, lnf_b;  // (1, d)
    tensor2<T> W_out;         // (d, vocab)
    std::vector<tensor2<T>*> params() {
        std::vector<tensor2<T>*> all{&E, &P};
        for (auto& b : blocks)
            for (auto* p : b.params()) all.push_back(p);
        for (auto* p : {&lnf_g, &lnf_b, &W_out}) all.push_back(p);
        return all;
    }
    std::size_t count() {
        std::size_t n = 0;
        for (auto* p : params()) n += p->size();
        return n;
    }
};

/// All zeros, in the config's shapes (gradients and moments start here).
template <class T>
model_params<T> model_zeros(const block_config& c) {
    check_block_config(c);
    const std::size_t d = c.d_model, f = c.d_ff();
    auto z = [](std::size_t r, std::size_t k) { return tensor2<T>(xt::zeros<T>({r, k})); };
    model_params<T> m{z(c.vocab, d), z(c.context, d), {}, z(1, d), z(1, d), z(d, c.vocab)};
    for (std::size_t l = 0; l < c.layers; ++l)
        m.blocks.push_back({z(1, d), z(1, d), z(d, d), z(d, d), z(d, d), z(d, d), z(1, d), z(1, d), z(d, f), z(1, f),
                            z(f, d), z(1, d)});
    return m;
}

/// GPT's start: weights and embeddings ~ N(0, 0.02²) (Radford et al. 2018), the projections into
/// the residual stream (W_o, W_2) scaled by 1/√N for its N = 2·layers residual layers (Radford et
/// al. 2019, §2.3), gains 1, biases 0.
template <class T>
model_params<T> model_init(const block_config& c, rng& g) {
    model_params<T> m = model_zeros<T>(c);
    const double sd = 0.02, residual = sd / std::sqrt(2.0 * double(c.layers));
    auto draw = [&g](tensor2<T>& p, double s) { p = normal_matrix<T>(p.shape(0), p.shape(1), g, s); };
    draw(m.E, sd);
    draw(m.P, sd);
    for (auto& b : m.blocks) {
        b.ln1_g.fill(T(1));
        b.ln2_g.fill(T(1));
        for (auto* p : {&b.W_q, &b.W_k, &b.W_v, &b.W_1}) draw(*p, sd);
        draw(b.W_o, residual);
        draw(b.W_2, residual);
    }
    m.lnf_g.fill(T(1));
    draw(m.W_out, sd);
    return m;
}

// [attention_layer]
/// What one block's attention keeps for its backward.
template <class T>
struct mha_cache {
    tensor2<T> X, Q, K, V, O;  // the normalised input, its projections, and the heads' outputs side by side
};
/// Causal multi-head attention of X (n, d): each head h attends with columns h·d_h..(h+1)·d_h of
/// X·W_q, X·W_k and X·W_v; the heads' outputs side by side, times W_o. In float the heads run on
/// lesson 09's tiled SIMD kernel (v4_simd); in double on lesson 14's attention_forward (the same sums).
/// `off`, if given, switches heads off (off[h]): their outputs are zeros, as if the head were not there.
/// paper: MultiHead(Q, K, V) = Concat(head_1, …, head_h)·W^O, causal (Vaswani et al. 2017, §3.2.2); kernels: v4_simd
template <class T>
tensor2<T> causal_mha(const tensor2<T>& X, const block_params<T>& p, std::size_t heads, mha_cache<T>* c = nullptr,
                      const std::vector<bool>* off = nullptr) {
    const std::size_t n = X.shape(0), d = X.shape(1), dh = d / heads;
    mha_cache<T> k{X, block_detail::mm(X, p.W_q), block_detail::mm(X, p.W_k), block_detail::mm(X, p.W_v),
                   xt::zeros<T>({n, d})};
    for (std::size_t h = 0; h < heads; ++h) {
        if (off && (*off)[h]) continue;  // an ablated head adds nothing
        const tensor2<T> Qh = block_detail::columns(k.Q, h * dh, dh), Kh = block_detail::columns(k.K, h * dh, dh),
                         Vh = block_detail::columns(k.V, h * dh, dh);
        tensor2<T> Oh;
        if constexpr (std::is_same_v<T, real>) {
            kernels::run_options o;
            o.causal = true;
            Oh = kernels::kernel("simd").compute(Qh, Kh, Vh, o);
        } else {
            Oh = attention_forward<T>(Qh, Kh, Vh, true).O;
        }
        block_detail::set_columns(k.O, h * dh, Oh);
    }
    tensor2<T> Y = block_detail::mm(k.O, p.W_o);
    if (c) *c = std::move(k);
    return Y;
}
/// Given dY: adds dW_q, dW_k, dW_v, dW_o into g; returns dX. Each head's dQ, dK, dV is lesson 14's.
template <class T>
tensor2<T> causal_mha_backward(const tensor2<T>& dY, const block_params<T>& p, std::size_t heads, const mha_cache<T>& c,
                               block_params<T>& g) {
    const std::size_t n = dY.shape(0), d = dY.shape(1), dh = d / heads;
    block_detail::add_at_b(g.W_o, c.O, dY);                // dW_o = Oᵀ·dY
    const tensor2<T> dO = block_detail::mm_bt(dY, p.W_o);  // dO = dY·W_oᵀ
    tensor2<T> dQ = xt::zeros<T>({n, d}), dK = xt::zeros<T>({n, d}), dV = xt::zeros<T>({n, d});
    for (std::size_t h = 0; h < heads; ++h) {
        const auto a =
            attention_backward<T>(block_detail::columns(c.Q, h * dh, dh), block_detail::columns(c.K, h * dh, dh),
                                  block_detail::columns(c.V, h * dh, dh), block_detail::columns(dO, h * dh, dh), true);
        block_detail::set_columns(dQ, h * dh, a.dQ);
        block_detail::set_columns(dK, h * dh, a.dK);
        block_detail::set_columns(dV, h * dh, a.dV);
    }
    block_detail::add_at_b(g.W_q, c.X, dQ);
    block_detail::add_at_b(g.W_k, c.X, dK);
    block_detail::add_at_b(g.W_v, c.X, dV);
    return block_detail::mm_bt(dQ, p.W_q) + block_detail::mm_bt(dK, p.W_k) + block_detail::mm_bt(dV, p.W_v);
}
// [attention_layer]

// [block]
/// What one block keeps for its backward.
template <class T>
struct block_cache {
    norm_cache<T> ln1, ln2;
    mha_cache<T> attn;
    tensor2<T> h2, u;                       // the MLP's input LN₂(X) and its pre-activation h2·W₁ + b₁
    tensor2<T> a;                           // GELU(u)
    tensor2<T> added_attention, added_mlp;  // (n, d): what each layer added to the residual stream
};
/// One pre-norm block on the residual stream X (n, d): X + MHA(LN₁(X)), then + MLP(LN₂(·)).
/// paper: x + MHA(LN(x)), then x + FFN(LN(x)), FFN(x) = GELU(x·W₁ + b₁)·W₂ + b₂ (pre-LN, Xiong et al. 2020)
template <class T>
tensor2<T> block_forward(const tensor2<T>& X, const block_params<T>& p, std::size_t heads, block_cache<T>* c = nullptr,
                         const std::vector<bool>* off = nullptr) {
    block_cache<T> k;
    k.added_attention = causal_mha(layer_norm(X, p.ln1_g, p.ln1_b, &k.ln1), p, heads, &k.attn, off);
    tensor2<T> R = X + k.added_attention;
    k.h2 = layer_norm(R, p.ln2_g, p.ln2_b, &k.ln2);
    k.u = linear(k.h2, p.W_1, p.b_1);
    k.a = k.u;
    for (auto& x : k.a) x = gelu(x);
    k.added_mlp = linear(k.a, p.W_2, p.b_2);
    R += k.added_mlp;
    if (c) *c = std::move(k);
    return R;
}
/// Given dR (the gradient of the block's output): adds every parameter's gradient into g; returns dX.
template <class T>
tensor2<T> block_backward(const tensor2<T>& dR, const block_params<T>& p, std::size_t heads, const block_cache<T>& c,
                          block_params<T>& g) {
    tensor2<T> du = linear_backward(c.a, p.W_2, dR, g.W_2, g.b_2);  // through W₂: da
    for (std::size_t e = 0; e < du.size(); ++e) du.data()[e] *= gelu_slope(c.u.data()[e]);
    const tensor2<T> dh2 = linear_backward(c.h2, p.W_1, du, g.W_1, g.b_1);
    tensor2<T> dX = dR + layer_norm_backward(dh2, p.ln2_g, c.ln2, g.ln2_g, g.ln2_b);  // the residual passes dR on
    const tensor2<T> dh1 = causal_mha_backward(dX, p, heads, c.attn, g);
    return dX + layer_norm_backward(dh1, p.ln1_g, c.ln1, g.ln1_g, g.ln1_b);
}
// [block]

// [model]
/// One sequence through the model: the logits (n, vocab), and what the backward needs.
template <class T>
struct model_pass {
    tensor2<T> embedded;  // E[x] + P, the residual stream before the first block, (n, d)
    std::vector<block_cache<T>> blocks;
    norm_cache<T> lnf;
    tensor2<T> H;       // LN_f of the last residual stream, (n, d)
    tensor2<T> logits;  // (n, vocab)
};
/// Heads switched off, by layer: off[l][h] (the inspecting lessons' ablations; training uses none).
using head_mask = std::vector<std::vector<bool>>;

/// The logits (n, vocab) of the tokens x (1 ≤ n ≤ context); `pass` keeps what the backward needs.
template <class T>
tensor2<T> model_forward(const model_params<T>& m, const block_config& c, const std::vector<std::size_t>& x,
                         model_pass<T>* pass = nullptr, const head_mask* off = nullptr) {
    if (off && (off->size() != c.layers || std::any_of(off->begin(), off->end(), [&c](const std::vector<bool>& l) {
                    return l.size() != c.heads;
                })))
        throw shape_error("transformer: a head mask needs " + std::to_string(c.layers) + " layers of " +
                          std::to_string(c.heads) + " heads");
    const std::size_t n = x.size(), d = c.d_model;
    if (n == 0 || n > c.context)
        throw shape_error("transformer: the sequence has " + std::to_string(n) + " tokens; the model takes 1 to " +
                          std::to_string(c.context));
    tensor2<T> X = xt::zeros<T>({n, d});
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i] >= c.vocab)
            throw value_error("transformer: token " + std::to_string(x[i]) + " is outside the vocabulary 0.." +
                              std::to_string(c.vocab - 1));
        for (std::size_t j = 0; j < d; ++j) X(i, j) = m.E(x[i], j) + m.P(i, j);
    }
    model_pass<T> k;
    k.embedded = X;
    k.blocks.resize(m.blocks.size());
    for (std::size_t l = 0; l < m.blocks.size(); ++l)
        X = block_forward(X, m.blocks[l], c.heads, &k.blocks[l], off ? &(*off)[l] : nullptr);
    k.H = layer_norm(X, m.lnf_g, m.lnf_b, &k.lnf);
    k.logits = block_detail::mm(k.H, m.W_out);
    tensor2<T> logits = k.logits;
    if (pass) *pass = std::move(k);
    return logits;
}
/// The mean over positions of −ln softmax(logits)(i, y_i): nats per byte.
template <class T>
T cross_entropy(const tensor2<T>& logits, const std::vector<std::size_t>& y, tensor2<T>* dlogits = nullptr) {
    require_shapes(logits.shape(0) == y.size(), "cross_entropy", "logits", logits, "logits", logits,
                   "one target per row of logits");
    const std::size_t n = logits.shape(0), v = logits.shape(1);
    if (dlogits) *dlogits = xt::zeros<T>(logits.shape());
    T loss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (y[i] >= v)
            throw value_error("cross_entropy: target " + std::to_string(y[i]) + " is outside the vocabulary");
        T m = logits(i, 0), s = 0;
        for (std::size_t j = 1; j < v; ++j) m = std::max(m, logits(i, j));
        for (std::size_t j = 0; j < v; ++j) s += std::exp(logits(i, j) - m);
        loss += std::log(s) + m - logits(i, y[i]);
        if (dlogits)
            for (std::size_t j = 0; j < v; ++j)
                (*dlogits)(i, j) = (std::exp(logits(i, j) - m) / s - T(j == y[i])) / T(n);
    }
    return loss / T(n);
}
/// The loss of predicting y from x (y_i: the byte after x_i), and its gradient added into g.
template <class T>
T model_backward(const model_params<T>& m, const block_config& c, const std::vector<std::size_t>& x,
                 const std::vector<std::size_t>& y, model_params<T>& g) {
    model_pass<T> pass;
    tensor2<T> dZ;
    const T loss = cross_entropy(model_forward(m, c, x, &pass), y, &dZ);
    block_detail::add_at_b(g.W_out, pass.H, dZ);
    tensor2<T> dX = layer_norm_backward(block_detail::mm_bt(dZ, m.W_out), m.lnf_g, pass.lnf, g.lnf_g, g.lnf_b);
    for (std::size_t l = m.blocks.size(); l-- > 0;)
        dX = block_backward(dX, m.blocks[l], c.heads, pass.blocks[l], g.blocks[l]);
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t j = 0; j < c.d_model; ++j) {
            g.E(x[i], j) += dX(i, j);
            g.P(i, j) += dX(i, j);
        }
    return loss;
}
// [model]

// [adamw]
/// AdamW's settings (Loshchilov & Hutter 2019) and the schedule: linear warm-up to lr over `warmup`
/// steps, then a cosine down to lr·min_ratio at step `total`.
struct adamw_config {
    double lr = 3e-3, beta1 = 0.9, beta2 = 0.95, eps = 1e-8, weight_decay = 0.1;
    std::size_t warmup = 100, total = 2000;
    double min_ratio = 0.1;
};
/// The learning rate at step t (from 1).
inline double scheduled_lr(const adamw_config& a, std::size_t t) {
    if (t == 0) throw value_error("scheduled_lr: steps count from 1");
    if (t <= a.warmup) return a.lr * double(t) / double(std::max<std::size_t>(a.warmup, 1));
    const double progress = std::min(1.0, double(t - a.warmup) / double(std::max<std::size_t>(a.total - a.warmup, 1)));
    return a.lr * (a.min_ratio + (1 - a.min_ratio) * 0.5 * (1 + std::cos(3.141592653589793 * progress)));
}
/// One AdamW step t ≥ 1 on p with gradient g and moments m, v; `decay`: whether p decays (the
/// matrices do; gains, biases and embeddings do not, as GPT-2's recipe has it).
/// paper: θ ← θ − η·(m̂/(√v̂ + ε) + λ·θ) (Loshchilov & Hutter 2019, Algorithm 2; η the scheduled rate, as PyTorch's AdamW)
template <class T>
void adamw_update(tensor2<T>& p, const tensor2<T>& g, tensor2<T>& m, tensor2<T>& v, std::size_t t, double lr,
                  const adamw_config& a, bool decay) {
    require_shapes(p.shape() == g.shape() && p.shape() == m.shape() && p.shape() == v.shape(), "adamw_update", "p", p,
                   "g", g, "a parameter, its gradient and both moments share one shape");
    if (t == 0) throw value_error("adamw_update: steps count from 1");
    const double c1 = 1 - std::pow(a.beta1, double(t)), c2 = 1 - std::pow(a.beta2, double(t));
    for (std::size_t e = 0; e < p.size(); ++e) {
        T& mi = m.data()[e];
        T& vi = v.data()[e];
        const T gi = g.data()[e];
        mi = T(a.beta1) * mi + T(1 - a.beta1) * gi;
        vi = T(a.beta2) * vi + T(1 - a.beta2) * gi * gi;
        T& pi = p.data()[e];
        if (decay) pi -= T(lr * a.weight_decay) * pi;  // decoupled: not through the moments
        pi -= T(lr) * (mi / T(c1)) / (std::sqrt(vi / T(c2)) + T(a.eps));
    }
}
/// Which of a model's params() decay: the two-dimensional weights inside the blocks and W_out.
template <class T>
std::vector<bool> decays(model_params<T>& m) {
    std::vector<bool> out;
    for (auto* p : m.params())
        out.push_back(p != &m.E && p != &m.P && p->shape(0) > 1);  // (1, d) gains and biases do not
    return out;
}
// [adamw]

// [bytes]
/// Text as tokens: its bytes, 0..255 (UTF-8 text's multi-byte characters become several tokens).
inline std::vector<std::size_t> encode_bytes(const std::string& text) {
    std::vector<std::size_t> out;
    out.reserve(text.size());
    for (unsigned char ch : text) out.push_back(ch);
    return out;
}
inline std::string decode_bytes(const std::vector<std::size_t>& tokens) {
    std::string out;
    for (std::size_t t : tokens) {
        if (t > 255) throw value_error("decode_bytes: token " + std::to_string(t) + " is not a byte");
        out.push_back(char(static_cast<unsigned char>(t)));
    }
    return out;
}
// [bytes]

}  // namespace attn
