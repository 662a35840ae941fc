// lessons/kv_cache/exercise.cpp — your turn: lesson 10.
//
// Write the three functions marked TODO(kv_cache): caching one token's key and
// value, attending from one new query over the cache, and decoding a whole
// sequence token by token. Signatures are the library's
// (src/attn/kv_cache.hpp); lessons/kv_cache/test.cpp runs against these.
//
//   attnlab check 10    build and run the tests against this file
//   attnlab hint 10     a hint if you are stuck (ask again for the next)
//   attnlab lesson 10   the walkthrough: prefill, decode, cost, memory
#include <cmath>
#include <cstddef>
#include <string>

#include <attn/kv_cache.hpp>  // for attn::kv_cache
#include <attn/shape.hpp>
#include <attn/softmax.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::kv_cache;
using attn::matrix;
using attn::real;
using attn::vector;

/// Cache one token: k (d_k) into row c.length of c.K, v (d_v) into row c.length of c.V, then c.length += 1.
/// Wrong lengths are an attn::shape_error; a full cache is an attn::value_error.
void append(kv_cache& c, const vector& k, const vector& v) {
    // TODO(kv_cache): refuse wrong widths (attn::shape_error) and a full cache (attn::value_error),
    //   then store the token in the next free row.
    (void)c, (void)k, (void)v;  // delete this line
}

/// softmax(q·K[0..t)ᵀ/√d_k)·V[0..t) over the t = c.length cached rows. q is (d_k); returns (d_v).
vector decode_step(const kv_cache& c, const vector& q) {
    attn::require_nonempty("decode_step", "q", q);
    vector o = xt::zeros<real>({c.d_v()});
    // TODO(kv_cache): lesson 03's attention for one query, over the rows of the cache that are
    //   filled (only those!). Throw attn::shape_error for a q of the wrong width and
    //   attn::value_error when the cache is empty.
    return o;
}

/// Token by token through a cache of n rows: append k_t and v_t, then row t of O is decode_step(q_t).
/// Q, K (n, d_k), V (n, d_v). Returns (n, d_v), equal to causal attention.
matrix decode_all(const matrix& Q, const matrix& K, const matrix& V) {
    attn::require_nonempty("decode_all", "Q", Q);
    attn::require_shapes(Q.shape() == K.shape(), "decode_all", "Q", Q, "K", K, "one query and one key per token");
    attn::require_shapes(K.shape(0) == V.shape(0), "decode_all", "K", K, "V", V, "one key and one value per token");
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    // TODO(kv_cache): one token at a time, as a decoder would: cache it, then answer its query.
    //   (xt::row(M, t) is row t.)
    return O;
}

}  // namespace exercise
