// tests/fuzz/fuzz_npy.cpp — libFuzzer over attnlab's .npy reader (cli/npy.hpp).
//
// Any bytes at all: the reader must either return a matrix (or mask) whose
// shape is the header's, or throw npy_error. Never another exception, a crash,
// an out-of-bounds read or an allocation larger than the input.
// The seed corpus (tests/fuzz/npy_corpus) holds valid files of each dtype.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../../cli/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    auto must = [](bool ok, const char* what) {
        if (!ok) {
            std::fprintf(stderr, "fuzz_npy: %s\n", what);
            std::abort();
        }
    };
    try {
        const attnlab::npy::header h = attnlab::npy::parse_header(bytes, "input");
        must(h.data_offset + h.data_bytes == size, "a header accepted with the wrong data size");
        try {
            const attn::matrix64 m = attnlab::npy::load_matrix(bytes, "input");
            must(h.shape.size() == 2 && m.shape(0) == h.shape[0] && m.shape(1) == h.shape[1], "matrix shape");
        } catch (const attnlab::npy::npy_error&) {}
        try {
            const auto mask = attnlab::npy::load_mask(bytes, "input");
            must(mask.shape(0) == h.shape[0] && mask.shape(1) == h.shape[1], "mask shape");
        } catch (const attnlab::npy::npy_error&) {}
    } catch (const attnlab::npy::npy_error&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_npy: an exception other than npy_error: %s\n", e.what());
        std::abort();
    }
    return 0;
}
