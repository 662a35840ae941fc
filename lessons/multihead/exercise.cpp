// lessons/multihead/exercise.cpp — your turn: lesson 05.
//
// Write the three functions marked TODO(multihead): cutting a projection into
// heads, putting head outputs back together, and multi-head attention itself.
// Signatures are the library's (src/attn/multihead.hpp);
// lessons/multihead/test.cpp runs against these.
//
//   attnlab check 5    build and run the tests against this file
//   attnlab hint 5     a hint if you are stuck (ask again for the next)
//   attnlab lesson 5   the walkthrough, with every intermediate number
//
// attn::project and attn::attention (lessons 01 and 03) are yours to use;
// attn::check_mha does the shape checks.
#include <cstddef>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/multihead.hpp>
#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;
using attn::real;

/// Columns [head·w, (head+1)·w) of M, w = M.shape(1) / heads. Returns (n, w).
matrix head_slice(const matrix& M, std::size_t head, std::size_t heads) {
    if (heads == 0 || M.shape(1) % heads != 0)
        throw attn::value_error("head_slice: " + std::to_string(heads) + " heads cannot split " +
                                attn::shape_str(M.shape()) + " into equal column slices");
    if (head >= heads) throw attn::value_error("head_slice: no head " + std::to_string(head));
    const std::size_t w = M.shape(1) / heads;
    matrix out = xt::zeros<real>({M.shape(0), w});  // (n, w)
    // TODO(multihead): copy column head·w + c of M into column c of out.
    return out;
}

/// The heads' outputs side by side: h matrices of (n, w) -> (n, h·w).
matrix concat_heads(const std::vector<matrix>& outs) {
    if (outs.empty()) throw attn::value_error("concat_heads: no heads to concatenate");
    matrix C = xt::zeros<real>({outs[0].shape(0), outs[0].shape(1) * outs.size()});  // (n, h·w)
    // TODO(multihead): head h's column c goes to column h·w + c of C.
    return C;
}

/// Concat(head_0, ..., head_{h-1})·W_o with head_i = Attention(X_q·W_q, X_kv·W_k, X_kv·W_v) in slice i.
matrix multihead_attention(const matrix& X_q, const matrix& X_kv, const attn::mha_weights& w, std::size_t heads) {
    attn::check_mha(X_q, X_kv, w, heads);
    // TODO(multihead): project once, attend per head in its slice, concatenate, multiply by W_o.
    return xt::zeros<real>({X_q.shape(0), w.W_o.shape(1)});
}

}  // namespace exercise
