// attn/attn.hpp — the whole library, in lesson order.
#pragma once

#include "shape.hpp"
#include "tensor.hpp"
#include "scores.hpp"  // lesson 01
#include "format.hpp"
