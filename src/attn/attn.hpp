// attn/attn.hpp — the whole library: the shared pieces first, then the lessons in order.
#pragma once

// Shared by every lesson.
#include "shape.hpp"     // attn::shape_error and the checks that throw it
#include "tensor.hpp"    // matrix and vector: rows are tokens, columns features
#include "fields.hpp"    // ATTN_FIELDS: one list of a struct's fields for JSON and JavaScript
#include "format.hpp"    // numbers as the walkthroughs print them
#include "rng.hpp"       // seeded examples, lessons 11-15
#include "visible.hpp"   // which keys a query sees (causal, windows, n_q != n_k)
#include "examples.hpp"  // the cat sat on the mat
#include "explain.hpp"   // how one cell of a score, weight or output map was computed (every page)

// The lessons.
#include "scores.hpp"          // lesson 01
#include "softmax.hpp"         // lesson 02
#include "attention.hpp"       // lesson 03
#include "seq2seq.hpp"         // why attention: the RNN encoder-decoder, with and without it (to come)
#include "multihead.hpp"       // lesson 05
#include "mask.hpp"            // lesson 06
#include "cost.hpp"            // lesson 07
#include "kernels/naive.hpp"   // lesson 07: v1_naive
#include "online.hpp"          // lesson 08
#include "kernels/online.hpp"  // lesson 08: v2_online
#include "tiled.hpp"           // lesson 09
#include "kernels/tiled.hpp"   // lesson 09: v3_tiled, v4_simd; lesson 12: v4_window
#include "kv_cache.hpp"        // lesson 10
#include "gqa.hpp"             // lesson 11
#include "window.hpp"          // lesson 12
#include "positions.hpp"       // lesson 13
#include "backward.hpp"        // lesson 14
#include "train.hpp"           // lesson 15
#include "transformer.hpp"     // lesson 16, the transformer block
#include "lm.hpp"              // lesson 17: the trainer and the weights file
#include "inspect.hpp"         // lesson 17, inside a trained model
#include "interpret.hpp"       // lesson 18, reading attention maps
#include "tile_plan.hpp"       // lesson 19: which tiles a mask leaves
#include "sparse.hpp"          // lesson 19: sparse patterns
#include "kernels/sparse.hpp"  // lesson 19: v4_sparse
#include "linear.hpp"          // lesson 19: linear attention
