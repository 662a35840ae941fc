// lessons/grouped_query/exercise.cpp — your turn: lesson 11.
//
// Write the three functions marked TODO(grouped_query): which K/V head a query head
// reads, pooling a multi-head K or V projection into groups, and grouped-query
// self-attention. Signatures are the library's (src/attn/gqa.hpp);
// lessons/grouped_query/test.cpp runs against these.
//
//   attnlab check 11    build and run the tests against this file
//   attnlab hint 11     a hint if you are stuck (ask again for the next)
//   attnlab lesson 11   the walkthrough: cache sizes and what pooling costs
#include <cstddef>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/gqa.hpp>  // for attn::gqa_weights, attn::check_groups
#include <attn/multihead.hpp>
#include <attn/scores.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::gqa_weights;
using attn::matrix;
using attn::real;

/// Query heads are grouped in consecutive runs of heads/kv_heads; return the group of `head`.
/// Bad counts (see attn::check_groups) and head ≥ heads are an attn::value_error.
std::size_t kv_group(std::size_t head, std::size_t heads, std::size_t kv_heads) {
    attn::check_groups("kv_group", heads, kv_heads);
    // TODO(grouped_query): refuse a head that does not exist (attn::value_error); consecutive query
    //   heads share a K/V head, in groups of equal size.
    (void)head;  // delete this line
    return 0;
}

/// W (d_model, heads·d_head) -> (d_model, kv_heads·d_head): each group's columns are the mean
/// of its heads' columns.
matrix pool_kv(const matrix& W, std::size_t heads, std::size_t kv_heads) {
    attn::check_groups("pool_kv", heads, kv_heads);
    const std::size_t d_head = W.shape(1) / heads;
    matrix P = xt::zeros<real>({W.shape(0), kv_heads * d_head});
    // TODO(grouped_query): refuse a W whose columns do not split into `heads` heads (attn::shape_error);
    //   then each group's block of columns is the mean of its heads' blocks (Ainslie et al. 2023).
    return P;
}

/// Grouped-query self-attention: Q = X·W_q (h heads), K = X·W_k and V = X·W_v (g heads);
/// query head i attends with K/V head kv_group(i); concatenate; times W_o.
matrix grouped_query_attention(const matrix& X, const gqa_weights& w, std::size_t heads, std::size_t kv_heads) {
    attn::check_groups("grouped_query_attention", heads, kv_heads);
    // TODO(grouped_query): lesson 05's multi-head attention, except that each query head reads the
    //   K/V head of its group (kv_group). attn::project, attn::head_slice, attn::attention and
    //   attn::concat_heads are the pieces.
    (void)X, (void)w;  // delete this line
    return matrix(xt::zeros<real>({std::size_t(1), std::size_t(1)}));
}

}  // namespace exercise
