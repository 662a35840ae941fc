// lessons/tiled/exercise.cpp — your turn: lesson 08.
//
// Write tiled_attention, marked TODO(tiled): the FlashAttention forward
// pass with the online softmax of lesson 07 applied tile by tile. Its
// signature is the library's (src/attn/tiled.hpp); lessons/tiled/test.cpp
// checks it against float64 for many block sizes, lengths that are not
// multiples of them, and the causal mask (with tiles above the diagonal
// skipped and recorded in `trace`).
//
//   attnlab check 8    build and run the tests against this file
//   attnlab hint 8     a hint if you are stuck (ask again for the next)
//   attnlab lesson 8   the walkthrough
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>
#include <attn/tiled.hpp>  // for attn::tile_visit

namespace exercise {

using attn::matrix;
using attn::real;
using attn::vector;

matrix tiled_attention(const matrix& Q, const matrix& K, const matrix& V, std::size_t Br, std::size_t Bc,
                       bool causal = false, std::vector<attn::tile_visit>* trace = nullptr) {
    attn::require_nonempty("tiled_attention", "Q", Q);
    attn::require_nonempty("tiled_attention", "V", V);
    attn::require_shapes(Q.shape(1) == K.shape(1), "tiled_attention", "Q", Q, "K", K, "Q and K need the same d_k");
    attn::require_shapes(K.shape(0) == V.shape(0), "tiled_attention", "K", K, "V", V, "K and V need one row per key");
    if (Br == 0 || Bc == 0) throw attn::value_error("tiled_attention: block sizes must be at least 1");
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});  // O is (n_q, d_v)
    // TODO(tiled): for each query block [q0, q1): m = -inf, l = 0, O_i = 0 per row;
    //   for each key block [k0, k1): record {q0, q1, k0, k1, skipped, masked} in *trace if given;
    //     skip it when causal and its first key is after the block's last query, whose position is
    //     q1 - 1 + n_k - n_q (lesson 05); otherwise score the tile (−inf where the key k0 + c is after
    //     query q0 + r's position, under the causal mask), then per row: m_new = max(m, rowmax), rescale = exp(m - m_new),
    //     P = exp(S - m_new), l = l·rescale + rowsum(P), O_i = O_i·rescale + P·V_j, m = m_new.
    //   Finally O rows = O_i / l (0 where l is 0).
    (void)Br, (void)Bc, (void)causal, (void)trace;  // silences "unused parameter" until you use them: delete this line
    return O;
}

}  // namespace exercise
