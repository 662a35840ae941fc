// lessons/transformer_block/exercise.cpp — your turn: lesson 16, the transformer block.
//
// Write the three functions marked TODO(transformer_block): layer norm, GELU, and the pre-norm
// block that wires attention and the MLP onto the residual stream. Causal multi-head attention
// and the linear layer are given (attn::causal_mha, attn::linear: lessons 05, 06 and 14 built
// them). Signatures are the library's (src/attn/transformer.hpp); lessons/transformer_block/test.cpp
// runs against these, in float64 and float32.
//
//   attnlab check 16    build and run the tests against this file
//   attnlab hint 16     a hint if you are stuck (ask again for the next)
//   attnlab lesson 16   the walkthrough: layer norm, the residual stream, where the FLOPs go
#include <cmath>
#include <cstddef>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>
#include <attn/transformer.hpp>  // attn::block_params, causal_mha, linear

namespace exercise {

using attn::block_params;
using attn::tensor2;

/// Each row of X (n, d) to mean 0 and variance 1 (the variance averaged over the d entries, with
/// ε = 1e-5 added inside the square root), then times the gain g and plus the shift b, both (1, d).
/// A g or b that is not (1, d) is an attn::shape_error.
template <class T>
tensor2<T> layer_norm(const tensor2<T>& X, const tensor2<T>& g, const tensor2<T>& b) {
    attn::require_shapes(g.shape() == b.shape() && g.shape(0) == 1 && g.shape(1) == X.shape(1), "layer_norm", "X", X,
                         "g", g, "the gain and the shift are (1, d), one per column of X");
    tensor2<T> Y = xt::zeros<T>(X.shape());
    // TODO(transformer_block): normalise each row, then scale by g and shift by b.
    return Y;
}

/// GELU in its tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
template <class T>
T gelu(T x) {
    // TODO(transformer_block): the formula above.
    (void)x;  // delete this line
    return T(0);
}

/// One pre-norm block on the residual stream X (n, d):
///   R = X + causal_mha(layer_norm(X, ln1_g, ln1_b))
///   out = R + linear(gelu(linear(layer_norm(R, ln2_g, ln2_b), W_1, b_1)), W_2, b_2)
/// with your layer_norm and gelu, and attn::causal_mha(H, p, heads), attn::linear(H, W, b).
template <class T>
tensor2<T> block_forward(const tensor2<T>& X, const block_params<T>& p, std::size_t heads) {
    tensor2<T> out = X;
    // TODO(transformer_block): attention, then the MLP, each added to the stream.
    (void)p, (void)heads;  // delete this line
    return out;
}

}  // namespace exercise
