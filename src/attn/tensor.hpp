// attn/tensor.hpp — the tensor types every lesson speaks.
//
// Teaches: nothing new; it names things. A `matrix` is a row-major float32
// xtensor of rank 2, a `vector` one of rank 1. Rows are tokens, columns are
// features, everywhere in the course.
// Leaves out: batching. A batch is a loop over sequences; the course keeps one
// sequence at a time so every shape comment stays two-dimensional.
#pragma once

#include <cstddef>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace attn {

using real = float;                       // what the kernels compute in
using matrix = xt::xtensor<real, 2>;      // (rows, cols), row-major
using vector = xt::xtensor<real, 1>;      // (n)
using matrix64 = xt::xtensor<double, 2>;  // float64 oracles in tests and checks

}  // namespace attn
