// cli/compute.cpp — `attnlab compute`: attention on your own arrays, for cross-checking.
//
//   attnlab compute --q Q.npy --k K.npy --v V.npy --out O.npy
//                   [--kernel simd|tiled|online|naive|reference] [--causal] [--window W]
//                   [--mask M.npy] [--heads H] [--scale S] [--threads T]
//
// Reads NumPy arrays (float32 or float64 Q, K, V; a bool or uint8 mask), runs
// one of the course's kernels, writes O as float32. Everything is checked
// before any work: the files (format, dtype, rank, size), the shapes against
// each other, the options against the kernel, the memory the run would need
// against the memory available, and the values (NaN and ±inf are refused).
// Every failure is one line on stderr and exit status 1 (2 for a usage error).
// No input is ever overwritten: an --out that is one of them is refused, and O
// is written through a temporary file and a rename (cli/files.hpp). With
// --causal or --window and n_q ≠ n_k, the queries are the last n_q positions.
#include "compute.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <attn/attn.hpp>
#include <attn/kernels/registry.hpp>

#include "npy.hpp"

namespace attnlab {
namespace {

/// What compute runs with, once the command line has been checked.
struct options {
    std::string q, k, v, out, mask;
    std::string kernel;
    bool causal = false;
    std::size_t window = 0;  // 0: no window
    std::size_t heads = 1;
    double scale = 0;  // 0: 1/√d_head
    std::size_t threads = 1;
};

std::size_t parse_whole(const std::string& flag, const std::string& s, std::size_t lo, std::size_t hi) {
    std::size_t v = 0;
    bool ok = !s.empty() && s.size() <= 12;
    for (char c : s) ok = ok && c >= '0' && c <= '9';
    if (ok) v = std::stoull(s);
    if (!ok || v < lo || v > hi)
        throw usage_error(flag + " takes a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                          ", not '" + s + "'");
    return v;
}

/// The kernels' names, the course's last first, as the usage lists them: "decode, sparse, simd, tiled, online, naive, reference".
std::string kernel_list() {
    std::string out;
    const auto& all = attn::kernels::registry();
    for (auto k = all.rbegin(); k != all.rend(); ++k) out += (out.empty() ? "" : ", ") + std::string(k->name);
    return out;
}

options check_options(const compute_options& c) {
    options o;
    o.q = c.q, o.k = c.k, o.v = c.v, o.out = c.out, o.mask = c.mask, o.kernel = c.kernel, o.causal = c.causal;
    if (!c.window.empty()) o.window = parse_whole("--window", c.window, 1, std::size_t(1) << 40);
    if (!c.heads.empty()) o.heads = parse_whole("--heads", c.heads, 1, 4096);
    if (!c.threads.empty()) o.threads = parse_whole("--threads", c.threads, 1, 256);
    if (!c.scale.empty()) {
        char* end = nullptr;
        o.scale = std::strtod(c.scale.c_str(), &end);
        if (*end != '\0' || !std::isfinite(o.scale) || o.scale <= 0)
            throw usage_error("--scale takes a finite number greater than 0, not '" + c.scale + "'");
    }
    for (auto [flag, field] : {std::pair{"--q", &o.q}, {"--k", &o.k}, {"--v", &o.v}, {"--out", &o.out}})
        if (field->empty()) throw usage_error(std::string("compute needs ") + flag + " FILE");
    const attn::kernels::kernel_info* k = nullptr;
    for (const auto& entry : attn::kernels::registry())
        if (o.kernel == entry.name) k = &entry;
    if (!k) throw usage_error("--kernel is one of " + kernel_list() + "; not '" + o.kernel + "'");
    if (!o.mask.empty() && !k->masks)
        throw usage_error(
            "--mask needs --kernel sparse or reference: the other kernels take only --causal and --window");
    if (o.window && !k->window) throw usage_error("--window runs on --kernel simd (v4_window), tiled or reference");
    return o;
}

/// MemAvailable from /proc/meminfo, in bytes; the physical total if that cannot be read.
double available_memory() {
    std::ifstream in("/proc/meminfo");
    for (std::string key; in >> key;) {
        double kib = 0;
        std::string unit;
        in >> kib >> unit;
        if (key == "MemAvailable:") return kib * 1024;
    }
    return double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGESIZE));
}

/// The header of `path` (reading at most its first MiB) and the file's size, checked against each other.
npy::header matrix_header(const std::string& path, const std::string& name, std::size_t& file_bytes) {
    const std::string head = npy::read_file(path, name, (1 << 20) + 16);  // the largest header parse_header allows
    npy::header h = npy::parse_header(head, name, false);
    file_bytes = std::size_t(std::ifstream(path, std::ios::binary | std::ios::ate).tellg());
    npy::require_data_size(h, file_bytes, name);
    return h;
}

attn::matrix to_float32(const attn::matrix64& m, const std::string& name) {
    if (const std::string bad = npy::first_non_finite(m); !bad.empty())
        throw npy::npy_error(name + ": element " + bad + "; Q, K and V must be finite");
    for (double x : m)
        if (std::abs(x) > double(std::numeric_limits<float>::max())) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.6g", x);
            throw npy::npy_error(name + ": holds " + buf +
                                 ", beyond float32's range (±3.4e38) that the kernels "
                                 "compute in");
        }
    return xt::cast<float>(m);
}

attn::matrix run_head(const options& o, const attn::matrix& Q, const attn::matrix& K, const attn::matrix& V,
                      const attn::mask* M) {
    attn::kernels::run_options r;
    r.causal = o.causal, r.window = o.window, r.threads = o.threads, r.allowed = M;
    r.limit_bytes = 1e300;  // memory was checked against what is available, above
    return attn::kernels::kernel(o.kernel).compute(Q, K, V, r);
}

/// Query rows that can see no key at all: their output is 0 by the library's definition (lesson 06).
std::size_t fully_masked_rows(const options& o, std::size_t n_q, std::size_t n_k, const attn::mask* M) {
    if (!M) return attn::blind_rows(n_q, n_k, o.causal, o.window);
    std::size_t rows = 0;
    for (std::size_t i = 0; i < n_q; ++i) {
        bool any = false;
        for (std::size_t j = 0; j < n_k && !any; ++j)
            any = (*M)(i, j) && attn::sees(i, j, n_q, n_k, o.causal, o.window);
        rows += !any;
    }
    return rows;
}

}  // namespace

CLI::App* add_compute(CLI::App& app, compute_options& c) {
    CLI::App* sub = app.add_subcommand("compute", "attention on your own NumPy arrays");
    sub->set_help_flag("-h,--help", "these options");
    sub->add_option("--q", c.q, "Q, (n_q, d_k), float32 or float64 .npy");
    sub->add_option("--k", c.k, "K, (n_k, d_k)");
    sub->add_option("--v", c.v, "V, (n_k, d_v)");
    sub->add_option("--out", c.out, "where O, (n_q, d_v) float32, is written (never one of the inputs)");
    sub->add_option("--kernel", c.kernel, "decode, sparse, simd, tiled, online, naive or reference (default simd)");
    sub->add_flag("--causal", c.causal, "each query sees no later key (the queries are the last n_q positions)");
    sub->add_option("--window", c.window, "each query sees the W nearest keys (simd, tiled, reference)");
    sub->add_option("--mask", c.mask, "bool or uint8 (n_q, n_k), 1 = may attend (reference only)");
    sub->add_option("--heads", c.heads, "split d_k and d_v into H heads");
    sub->add_option("--scale", c.scale, "softmax(S·Q·Kᵀ)·V instead of S = 1/√(d_k/H)");
    sub->add_option("--threads", c.threads, "threads for the tiled kernels");
    return sub;
}

int cmd_compute(const compute_options& c) {
    const options o = check_options(c);
    check_writable(o.out);
    refuse_input_as_output("--out", o.out, {{"--q", o.q}, {"--k", o.k}, {"--v", o.v}, {"--mask", o.mask}});

    // 1. Headers only: shapes, dtypes, sizes; nothing big is read yet.
    std::size_t qb = 0, kb = 0, vb = 0, mb = 0;
    const npy::header hq = matrix_header(o.q, "Q (" + o.q + ")", qb);
    const npy::header hk = matrix_header(o.k, "K (" + o.k + ")", kb);
    const npy::header hv = matrix_header(o.v, "V (" + o.v + ")", vb);
    npy::require_matrix(hq, "Q (" + o.q + ")");
    npy::require_matrix(hk, "K (" + o.k + ")");
    npy::require_matrix(hv, "V (" + o.v + ")");
    const std::size_t n_q = hq.shape[0], d_k = hq.shape[1], n_k = hk.shape[0], d_v = hv.shape[1];
    auto shapes = [&](const char* a, const npy::header& x, const char* b, const npy::header& y) {
        return std::string(a) + " is " + npy::shape_text(x.shape) + " but " + b + " is " + npy::shape_text(y.shape);
    };
    if (n_q == 0 || d_k == 0 || n_k == 0 || d_v == 0)
        throw attn::shape_error("compute: Q is " + npy::shape_text(hq.shape) + ", K " + npy::shape_text(hk.shape) +
                                ", V " + npy::shape_text(hv.shape) + "; every dimension needs at least one element");
    if (hk.shape[1] != d_k)
        throw attn::shape_error("compute: " + shapes("Q", hq, "K", hk) +
                                "; Q and K need the same number of columns (d_k)");
    if (hv.shape[0] != n_k)
        throw attn::shape_error("compute: " + shapes("K", hk, "V", hv) + "; K and V need one row per key");
    if (d_k % o.heads || d_v % o.heads)
        throw attn::value_error("compute: --heads " + std::to_string(o.heads) + " must divide d_k = " +
                                std::to_string(d_k) + " and d_v = " + std::to_string(d_v) + " into equal slices");
    npy::header hm;
    if (!o.mask.empty()) {
        hm = matrix_header(o.mask, "mask (" + o.mask + ")", mb);
        if (hm.shape.size() != 2 || hm.shape[0] != n_q || hm.shape[1] != n_k)
            throw attn::shape_error("compute: the mask is " + npy::shape_text(hm.shape) + " but Q·Kᵀ is (" +
                                    std::to_string(n_q) + ", " + std::to_string(n_k) +
                                    "); it needs one entry per score");
    }

    // 2. Memory, up front: the files, their float copies, the output, the kernel's own buffers.
    const double elems = double(n_q) * double(d_k) + double(n_k) * double(d_k) + double(n_k) * double(d_v);
    const double pairs = double(n_q) * double(n_k);
    double need = 3.0 * double(qb + kb + vb + mb) + 12.0 * elems + 8.0 * double(n_q) * double(d_v);
    std::string biggest = "the inputs and the output";
    if (o.kernel == "reference") {
        need += 12.0 * pairs + 2.0 * pairs;  // S, masked S, P in float32; the mask and its combination
        biggest = "the reference kernel's " + std::to_string(n_q) + "×" + std::to_string(n_k) + " score matrices";
    } else if (o.kernel == "sparse") {
        need += 2.0 * pairs;  // the mask with causal or the window folded in, and its tile plan (far smaller)
        biggest = "the sparse kernel's " + std::to_string(n_q) + "×" + std::to_string(n_k) + " mask";
    } else if (o.kernel == "naive") {
        need += 4.0 * pairs;
        biggest = "the naive kernel's " + std::to_string(n_q) + "×" + std::to_string(n_k) + " score matrix";
    }
    const double avail = available_memory();
    if (need > avail)
        throw attn::resource_error(
            "compute would need about " + attn::format_bytes(need) + " (mostly " + biggest + ") but " +
            attn::format_bytes(avail) + " of memory is available" +
            (o.kernel == "reference" || o.kernel == "naive" ? "; --kernel simd needs memory linear in n" : ""));

    // 3. The data: loaded by xnpy behind the checks of npy.hpp, then values checked.
    const attn::matrix Q = to_float32(npy::load_matrix(npy::read_file(o.q, "Q"), "Q (" + o.q + ")"), "Q (" + o.q + ")");
    const attn::matrix K = to_float32(npy::load_matrix(npy::read_file(o.k, "K"), "K (" + o.k + ")"), "K (" + o.k + ")");
    const attn::matrix V = to_float32(npy::load_matrix(npy::read_file(o.v, "V"), "V (" + o.v + ")"), "V (" + o.v + ")");
    attn::mask M;
    if (!o.mask.empty()) M = npy::load_mask(npy::read_file(o.mask, "mask"), "mask (" + o.mask + ")");
    const attn::mask* mask = o.mask.empty() ? nullptr : &M;

    // 4. Per head: columns h·d/H .. (h+1)·d/H of Q, K, V; a custom scale folds into Q.
    const std::size_t H = o.heads;
    const double q_factor = o.scale > 0 ? o.scale * std::sqrt(double(d_k / H)) : 1.0;
    std::vector<attn::matrix> outs;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t h = 0; h < H; ++h) {
        attn::matrix Qh = attn::head_slice(Q, h, H);
        if (q_factor != 1.0) Qh *= float(q_factor);
        outs.push_back(run_head(o, Qh, attn::head_slice(K, h, H), attn::head_slice(V, h, H), mask));
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const attn::matrix O = H == 1 ? outs[0] : attn::concat_heads(outs);
    if (const std::string bad = npy::first_non_finite(O); !bad.empty())
        throw attn::value_error("compute: output element " + bad +
                                " although every input was finite; please report "
                                "this with the input files");

    write_atomically(o.out, xt::dump_npy(O));
    std::ostringstream note;
    note << "O " << npy::shape_text({O.shape(0), O.shape(1)}) << " float32 -> " << o.out << "  (kernel " << o.kernel;
    if (o.kernel == "simd") note << ", " << attn::kernels::kernel(o.kernel).isa;
    note << "; " << H << (H == 1 ? " head" : " heads");
    if (o.causal) note << ", causal";
    if (o.window) note << ", window " << o.window;
    if (mask) note << ", mask";
    if (o.scale > 0) note << ", scale " << o.scale;
    char t[32];
    std::snprintf(t, sizeof t, "%.3g ms", ms);
    note << "; " << t << ")\n";
    std::cout << note.str();
    if (const std::size_t rows = fully_masked_rows(o, n_q, n_k, mask))
        std::cout << "note: " << rows << " query row" << (rows == 1 ? " sees" : "s see")
                  << " no key at all; by the library's definition (lesson 06) their output rows are 0\n";
    return 0;
}

}  // namespace attnlab
