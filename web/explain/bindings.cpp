// web/explain/bindings.cpp — explain.mjs: how one cell of a score, weight or output map was
// computed (attn/explain.hpp), one small module for every page (assets/explain/), loaded by
// web/js/explain.js the first time a learner points at a cell.
//
//   score(Q, K, i, j, scaled) -> {ok, q, k, dot, scale, value}
//   weight(S, mask, i, j)     -> {ok, s, e, m, sum, value, masked}   mask: 0 or 1, one per score
//   output(P, V, i, c)        -> {ok, p, v, value}
//   gradient(Q, K, V, dO, causal, which, i, c) -> {ok, a, b, dot, scale, value}   which: 'Q', 'K' or 'V'
#include <attn/explain.hpp>

#include "convert.hpp"

EMSCRIPTEN_BINDINGS(explain) {
    web::export_fn<&attn::explain_score>("score", {"Q", "K", "the row", "the column", "scaled"});
    web::export_fn<&attn::explain_weight>("weight", {"S", "the mask", "the row", "the column"});
    web::export_fn<&attn::explain_output>("output", {"P", "V", "the row", "the column"});
    web::export_fn<&attn::explain_gradient>("gradient",
                                            {"Q", "K", "V", "dO", "causal", "which gradient", "the row", "the column"});
}
