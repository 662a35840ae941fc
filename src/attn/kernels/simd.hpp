// attn/kernels/simd.hpp — the one small header that knows about vector registers.
//
// Teaches (lesson 09): a kernel written against a handful of operations on a
// register of W floats runs as AVX-512 (W = 16), AVX2 + FMA (W = 8), WebAssembly
// SIMD128 (W = 4) or plain scalar code (W = 1), whichever the compiler targets.
// The choice is made by the compiler's own target macros (-march=native,
// -msimd128), not by the platform. exp() is a Cephes-style polynomial with
// range reduction, accurate to about 2 ulp on [-87, 88], and exactly 0 below,
// so a masked score (-inf) contributes exactly nothing.
// Leaves out: relaxed-SIMD FMA for wasm (Node 20 does not run it) and ARM NEON.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace attn::simd {

#if defined(__AVX512F__)
inline constexpr const char* isa = "AVX-512";
inline constexpr int W = 16;
inline constexpr int registers = 32;  // zmm0-31
using reg = __m512;
inline reg load(const float* p) { return _mm512_loadu_ps(p); }
inline void store(float* p, reg v) { _mm512_storeu_ps(p, v); }
inline reg set1(float x) { return _mm512_set1_ps(x); }
inline reg zero() { return _mm512_setzero_ps(); }
inline reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
inline reg sub(reg a, reg b) { return _mm512_sub_ps(a, b); }
inline reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
inline reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }  // a·b + c
inline reg max(reg a, reg b) { return _mm512_max_ps(a, b); }
inline reg min(reg a, reg b) { return _mm512_min_ps(a, b); }
inline reg round(reg a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
inline reg pow2i(reg n) {  // 2^n for whole n in [-126, 127]
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23));
}
inline reg zero_below(reg y, reg x, float lo) {  // y where x >= lo, else 0
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, set1(lo), _CMP_GE_OQ), y);
}
#elif defined(__AVX2__) && defined(__FMA__)
inline constexpr const char* isa = "AVX2";
inline constexpr int W = 8;
inline constexpr int registers = 16;  // ymm0-15
using reg = __m256;
inline reg load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, reg v) { _mm256_storeu_ps(p, v); }
inline reg set1(float x) { return _mm256_set1_ps(x); }
inline reg zero() { return _mm256_setzero_ps(); }
inline reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
inline reg sub(reg a, reg b) { return _mm256_sub_ps(a, b); }
inline reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
inline reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
inline reg max(reg a, reg b) { return _mm256_max_ps(a, b); }
inline reg min(reg a, reg b) { return _mm256_min_ps(a, b); }
inline reg round(reg a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
inline reg pow2i(reg n) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
}
inline reg zero_below(reg y, reg x, float lo) { return _mm256_and_ps(y, _mm256_cmp_ps(x, set1(lo), _CMP_GE_OQ)); }
#elif defined(__wasm_simd128__)
inline constexpr const char* isa = "WebAssembly SIMD128";
inline constexpr int W = 4;
inline constexpr int registers = 16;  // what V8 and SpiderMonkey have on x86-64 (xmm0-15)
using reg = v128_t;
inline reg load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, reg v) { wasm_v128_store(p, v); }
inline reg set1(float x) { return wasm_f32x4_splat(x); }
inline reg zero() { return wasm_f32x4_splat(0.0f); }
inline reg add(reg a, reg b) { return wasm_f32x4_add(a, b); }
inline reg sub(reg a, reg b) { return wasm_f32x4_sub(a, b); }
inline reg mul(reg a, reg b) { return wasm_f32x4_mul(a, b); }
inline reg fma(reg a, reg b, reg c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }  // no fused op in SIMD128
inline reg max(reg a, reg b) { return wasm_f32x4_pmax(a, b); }
inline reg min(reg a, reg b) { return wasm_f32x4_pmin(a, b); }
inline reg round(reg a) { return wasm_f32x4_nearest(a); }
inline reg pow2i(reg n) {
    return wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
}
inline reg zero_below(reg y, reg x, float lo) { return wasm_v128_and(y, wasm_f32x4_ge(x, set1(lo))); }
#else
inline constexpr const char* isa = "scalar";
inline constexpr int W = 1;
inline constexpr int registers = 16;
using reg = float;
inline reg load(const float* p) { return *p; }
inline void store(float* p, reg v) { *p = v; }
inline reg set1(float x) { return x; }
inline reg zero() { return 0.0f; }
inline reg add(reg a, reg b) { return a + b; }
inline reg sub(reg a, reg b) { return a - b; }
inline reg mul(reg a, reg b) { return a * b; }
inline reg fma(reg a, reg b, reg c) { return a * b + c; }
inline reg max(reg a, reg b) { return a > b ? a : b; }
inline reg min(reg a, reg b) { return a < b ? a : b; }
inline reg round(reg a) { return std::nearbyint(a); }
inline reg pow2i(reg n) {
    const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}
inline reg zero_below(reg y, reg x, float lo) { return x >= lo ? y : 0.0f; }
#endif

/// Holds v in a register from here on. Without it GCC folds a loaded operand into
/// every FMA that uses it (vfmadd231ps ymm, ymm, [mem]), so a micro-kernel that
/// reuses one load R times issues R loads and runs out of load ports before FMA
/// ports (measured on AVX2: 1.7x slower). An empty asm that claims to change v in
/// a vector register stops the folding and costs no instruction. Elsewhere: nothing.
inline void keep([[maybe_unused]] reg& v) {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__AVX512F__)
    __asm__("" : "+v"(v));  // any of zmm0-31
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__AVX2__)
    __asm__("" : "+x"(v));  // any of ymm0-15
#endif
}

// [exp]
/// e^x lane by lane: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial
/// (Cephes expf's coefficients), then times 2^n by building the exponent bits.
/// Below -87.33 (where float32 e^x underflows) the result is exactly 0.
inline reg exp(reg x) {
    const reg xc = min(max(x, set1(-87.33654f)), set1(88.72283f));
    const reg n = round(mul(xc, set1(1.44269504088896341f)));  // n = round(x / ln 2)
    reg r = fma(n, set1(-0.693359375f), xc);                   // r = x - n·ln2, in two parts
    r = fma(n, set1(2.12194440e-4f), r);
    reg p = set1(1.9875691500e-4f);
    p = fma(p, r, set1(1.3981999507e-3f));
    p = fma(p, r, set1(8.3334519073e-3f));
    p = fma(p, r, set1(4.1665795894e-2f));
    p = fma(p, r, set1(1.6666665459e-1f));
    p = fma(p, r, set1(5.0000001201e-1f));
    const reg y = add(fma(mul(p, r), r, r), set1(1.0f));  // e^r = 1 + r + r²·p(r)
    return zero_below(mul(y, pow2i(n)), x, -87.33654f);
}
// [exp]

// [exp2]
/// 2^x lane by lane for x ≤ 0: what a softmax needs for e^(s − m) = 2^((s − m)·log₂e), the
/// score less its maximum (FlashAttention-2's exp2; v4_simd scales s − m, not the query, so no
/// score can overflow). x = n + r with
/// n = round(x) and |r| ≤ ½ needs no ln 2 split, and 2^r = 1 + r·q(r) with q of degree 5 (its
/// coefficients least-squares fitted for relative error ≤ 1.7·2⁻²⁴ on [−½, ½]): 4 instructions
/// fewer than exp. Exactly 1 at 0 (so an unchanged maximum rescales by exactly 1) and exactly 0 at
/// or below −126, −∞ included. Not for x > 0.
inline reg exp2_nonpositive(reg x) {
    const reg xc = max(x, set1(-126.0f));
    const reg n = round(xc);
    const reg r = sub(xc, n);
    reg p = set1(1.535336050e-4f);
    p = fma(p, r, set1(1.339887502e-3f));
    p = fma(p, r, set1(9.618436918e-3f));
    p = fma(p, r, set1(5.550332367e-2f));
    p = fma(p, r, set1(2.402264774e-1f));
    p = fma(p, r, set1(6.931471825e-1f));
    p = fma(p, r, set1(1.0f));
    return zero_below(mul(p, pow2i(n)), x, -125.999f);
}
// [exp2]

}  // namespace attn::simd
