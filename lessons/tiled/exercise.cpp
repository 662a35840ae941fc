// lessons/tiled/exercise.cpp — your turn: lesson 09.
//
// Write the tiled forward pass in four steps, each marked TODO(tiled) and each
// tested on its own (lessons/tiled/test.cpp): score one tile, fold one row of
// it into that query's running state, finalize a row, and the loops that put
// them together in FlashAttention-2's order (query blocks outside). The
// signatures are the library's (src/attn/tiled.hpp); the running state is
// lesson 08's attn::online_row (m, l and the unnormalised output o).
//
//   attnlab check 9    build and run the tests against this file
//   attnlab hint 9     a hint if you are stuck (ask again for the next)
//   attnlab lesson 9   the walkthrough, with a two-tile example worked number by number
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <attn/online.hpp>  // for attn::online_row, attn::start_row
#include <attn/shape.hpp>
#include <attn/tensor.hpp>
#include <attn/tiled.hpp>  // for attn::tile_visit

namespace exercise {

using attn::matrix;
using attn::online_row;
using attn::real;
using attn::vector;

/// Step 1. The tile of scaled scores of query rows [q0, q1) against key rows [k0, k1),
/// (q1 - q0, k1 - k0), with −∞ where the causal mask hides the key (the queries are the last
/// n_q positions when n_q ≠ n_k, lesson 06). An empty or out-of-range tile is an attn::value_error.
matrix score_tile(const matrix& Q, const matrix& K, std::size_t q0, std::size_t q1, std::size_t k0, std::size_t k1,
                  bool causal = false) {
    attn::require_shapes(Q.shape(1) == K.shape(1), "score_tile", "Q", Q, "K", K, "Q and K need the same d_k");
    if (q0 >= q1 || q1 > Q.shape(0) || k0 >= k1 || k1 > K.shape(0))
        throw attn::value_error("score_tile: the tile must be non-empty and inside Q and K");
    matrix S = xt::zeros<real>({q1 - q0, k1 - k0});
    // TODO(tiled): fill S: each entry is lesson 03's scaled score of one query against one key,
    //   or −∞ when causal and that key is in the query's future.
    (void)causal;  // silences "unused parameter" until you use it: delete this line
    return S;
}

/// Step 2. Fold one row of a tile (its scores s) and the tile's values V_j (one row per key) into
/// one query's running state; return the factor the old l and o were multiplied by. A row of
/// all −∞ changes nothing and returns 1. Mismatched sizes are an attn::shape_error.
real fold_row(online_row& row, const vector& s, const matrix& Vj) {
    if (s.size() != Vj.shape(0) || row.o.size() != Vj.shape(1))
        throw attn::shape_error("fold_row: the scores have " + std::to_string(s.size()) + " keys and o has " +
                                std::to_string(row.o.size()) + " columns, but V_j is " + attn::shape_str(Vj.shape()));
    // TODO(tiled): lesson 08's online_fold, with a block of scores where there was one: find the
    //   new maximum over the old one and the whole tile row first, then rescale once and add the
    //   tile's weighted values.
    return 0;
}

/// Step 3. The output row from a finished state: 0 where the row saw no key.
vector finalize(const online_row& row) {
    vector out = xt::zeros<real>({row.o.size()});
    // TODO(tiled): normalise, once.
    return out;
}

/// Step 4. softmax(Q·Kᵀ/√d_k)·V by tiles of Br queries and Bc keys. When `trace` is given, record
/// every tile visited, in order, with whether it was skipped (causal: every key after every query of
/// the block) or masked (some but not all pairs visible).
matrix tiled_attention(const matrix& Q, const matrix& K, const matrix& V, std::size_t Br, std::size_t Bc,
                       bool causal = false, std::vector<attn::tile_visit>* trace = nullptr) {
    attn::require_nonempty("tiled_attention", "Q", Q);
    attn::require_nonempty("tiled_attention", "V", V);
    attn::require_shapes(Q.shape(1) == K.shape(1), "tiled_attention", "Q", Q, "K", K, "Q and K need the same d_k");
    attn::require_shapes(K.shape(0) == V.shape(0), "tiled_attention", "K", K, "V", V, "K and V need one row per key");
    if (Br == 0 || Bc == 0) throw attn::value_error("tiled_attention: block sizes must be at least 1");
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});  // O is (n_q, d_v)
    // TODO(tiled): query blocks outside, key blocks inside; a fresh state per query row; skip the
    //   tiles no query of the block may see, record each visit, and finalize each row at the end.
    (void)Br, (void)Bc, (void)causal, (void)trace;  // delete this line
    return O;
}

}  // namespace exercise
