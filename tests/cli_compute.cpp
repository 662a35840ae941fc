// tests/cli_compute.cpp — `attnlab compute`, run as a user runs it.
//
// Writes .npy files into a scratch folder, runs the attnlab binary on them, and
// checks (a) every kernel's output against a float64 oracle, and (b) that each
// bad input ends with exit status 1 or 2 and the one line a user needs, and no
// output file. docs/reliability.md lists the same cases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xtensor/xnpy.hpp>

#include <attn/mask.hpp>
#include <attn/multihead.hpp>
#include <attn/window.hpp>

#include "../cli/npy.hpp"
#include "../cli/process.hpp"
#include "support/allclose.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

namespace fs = std::filesystem;
using testing::AllClose;
using testing::random_matrix;

namespace {

struct scratch {
    fs::path dir;
    scratch() {
        char tmpl[] = "/tmp/attnlab-compute-XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~scratch() { fs::remove_all(dir); }
    std::string operator()(const std::string& name) const { return (dir / name).string(); }
};

attnlab::run_result attnlab_run(std::vector<std::string> args) {
    args.insert(args.begin(), ATTNLAB_BINARY);
    return attnlab::run_capture(args);
}

attn::matrix64 read_output(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return attnlab::npy::load_matrix(bytes, path);
}

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

/// Q (6, 8), K (9, 8), V (9, 4), plus square K/V (6, ·) for causal runs.
struct inputs {
    scratch dir;
    attn::matrix Q = random_matrix(6, 8, 1), K = random_matrix(9, 8, 2), V = random_matrix(9, 4, 3);
    attn::matrix Ks = random_matrix(6, 8, 4), Vs = random_matrix(6, 4, 5);
    inputs() {
        xt::dump_npy(dir("Q.npy"), Q);
        xt::dump_npy(dir("K.npy"), K);
        xt::dump_npy(dir("V.npy"), V);
        xt::dump_npy(dir("Ks.npy"), Ks);
        xt::dump_npy(dir("Vs.npy"), Vs);
    }
    std::vector<std::string> args(const std::string& k = "K.npy", const std::string& v = "V.npy") const {
        return {"compute", "--q", dir("Q.npy"), "--k", dir(k), "--v", dir(v), "--out", dir("O.npy")};
    }
};

/// Runs a bad command and checks: the exit status, the message, no output file, no crash.
void expect_refusal(const inputs& in, std::vector<std::string> args, int status, const std::string& message) {
    fs::remove(in.dir("O.npy"));
    const attnlab::run_result r = attnlab_run(args);
    INFO(r.output);
    CHECK(r.exit_code == status);
    CHECK_THAT(r.output, Catch::Contains(message));
    CHECK_FALSE(fs::exists(in.dir("O.npy")));
}

}  // namespace

TEST_CASE("attnlab compute: every kernel matches the float64 oracle", "[cli][compute]") {
    inputs in;
    const attn::matrix64 expected = oracle::attention(in.Q, in.K, in.V);
    for (const char* kernel : {"decode", "sparse", "simd", "tiled", "online", "naive", "reference"}) {
        INFO("kernel " << kernel);
        auto args = in.args();
        args.insert(args.end(), {"--kernel", kernel});
        const attnlab::run_result r = attnlab_run(args);
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.output, Catch::Contains("O (6, 4) float32"));
        CHECK_THAT(read_output(in.dir("O.npy")), AllClose(expected, 1e-6, 1e-5));
    }
}

TEST_CASE("attnlab compute: causal, window, mask, heads, scale and float64 input", "[cli][compute]") {
    inputs in;
    SECTION("causal, on the simd kernel") {
        auto args = in.args("Ks.npy", "Vs.npy");
        args.push_back("--causal");
        REQUIRE(attnlab_run(args).exit_code == 0);
        const attn::mask M = attn::causal_mask(6);
        CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(in.Q, in.Ks, in.Vs, &M), 1e-6, 1e-5));
    }
    SECTION("causal with n_q < n_k: the queries are the last 6 of 9 positions, on every kernel") {
        const attn::mask M = oracle::visible(6, 9, true);
        for (const char* kernel : {"decode", "simd", "tiled", "online", "naive", "reference"}) {
            INFO("kernel " << kernel);
            auto args = in.args();
            args.insert(args.end(), {"--causal", "--kernel", kernel});
            REQUIRE(attnlab_run(args).exit_code == 0);
            CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(in.Q, in.K, in.V, &M), 1e-6, 1e-5));
        }
    }
    SECTION("causal with n_q > n_k: rows that see no key are 0, and the run says how many") {
        xt::dump_npy(in.dir("K3.npy"), attn::matrix(xt::view(in.K, xt::range(0, 3), xt::all())));
        xt::dump_npy(in.dir("V3.npy"), attn::matrix(xt::view(in.V, xt::range(0, 3), xt::all())));
        const attn::matrix K3 = xt::view(in.K, xt::range(0, 3), xt::all()),
                           V3 = xt::view(in.V, xt::range(0, 3), xt::all());
        const attn::mask M = oracle::visible(6, 3, true);
        for (const char* kernel : {"simd", "naive", "reference"}) {
            auto args = in.args("K3.npy", "V3.npy");
            args.insert(args.end(), {"--causal", "--kernel", kernel});
            const attnlab::run_result r = attnlab_run(args);
            REQUIRE(r.exit_code == 0);
            CHECK_THAT(r.output, Catch::Contains("3 query rows see no key at all"));
            CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(in.Q, K3, V3, &M), 1e-6, 1e-5));
        }
    }
    SECTION("a causal window of 3 with n_q < n_k, simd and reference agree with the oracle") {
        const attn::mask M = oracle::visible(6, 9, true, 3);
        for (const char* kernel : {"simd", "reference"}) {
            auto args = in.args();
            args.insert(args.end(), {"--causal", "--window", "3", "--kernel", kernel});
            REQUIRE(attnlab_run(args).exit_code == 0);
            CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(in.Q, in.K, in.V, &M), 1e-6, 1e-5));
        }
    }
    SECTION("a causal window of 2, simd and reference agree with the oracle") {
        for (const char* kernel : {"simd", "reference"}) {
            auto args = in.args("Ks.npy", "Vs.npy");
            args.insert(args.end(), {"--causal", "--window", "2", "--kernel", kernel});
            REQUIRE(attnlab_run(args).exit_code == 0);
            const attn::mask M = attn::window_mask(6, 2, true);
            CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(in.Q, in.Ks, in.Vs, &M), 1e-6, 1e-5));
        }
    }
    SECTION("a bool mask with a fully masked row: that row is 0, and the run says so") {
        xt::xtensor<bool, 2> M = xt::ones<bool>({6, 9});
        for (std::size_t j = 0; j < 9; ++j) M(2, j) = false;
        M(0, 0) = M(4, 8) = false;
        xt::dump_npy(in.dir("M.npy"), M);
        for (const char* kernel : {"reference", "sparse"}) {
            INFO("kernel " << kernel);
            auto args = in.args();
            args.insert(args.end(), {"--mask", in.dir("M.npy"), "--kernel", kernel});
            const attnlab::run_result r = attnlab_run(args);
            REQUIRE(r.exit_code == 0);
            CHECK_THAT(r.output, Catch::Contains("1 query row sees no key at all"));
            const attn::matrix64 O = read_output(in.dir("O.npy"));
            CHECK_THAT(O, AllClose(oracle::attention(in.Q, in.K, in.V, &M), 1e-6, 1e-5));
            for (std::size_t c = 0; c < 4; ++c) CHECK(O(2, c) == 0.0);
        }
    }
    SECTION("two heads: each head's columns attend separately, outputs side by side") {
        auto args = in.args();
        args.insert(args.end(), {"--heads", "2"});
        REQUIRE(attnlab_run(args).exit_code == 0);
        const attn::matrix64 O = read_output(in.dir("O.npy"));
        for (std::size_t h = 0; h < 2; ++h) {
            const attn::matrix64 want = oracle::attention(attn::head_slice(in.Q, h, 2), attn::head_slice(in.K, h, 2),
                                                          attn::head_slice(in.V, h, 2));
            CHECK_THAT(attn::matrix64(xt::view(O, xt::all(), xt::range(2 * h, 2 * h + 2))), AllClose(want, 1e-6, 1e-5));
        }
    }
    SECTION("--scale s is softmax(s·Q·Kᵀ)·V") {
        auto args = in.args();
        args.insert(args.end(), {"--scale", "0.75"});
        REQUIRE(attnlab_run(args).exit_code == 0);
        // softmax(0.75·QKᵀ) = softmax(QKᵀ/√8 with Q scaled by 0.75·√8)
        const attn::matrix Qs = in.Q * float(0.75 * std::sqrt(8.0));
        CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(Qs, in.K, in.V), 1e-6, 1e-5));
    }
    SECTION("float64 files are read and computed in float32") {
        xt::dump_npy(in.dir("Q64.npy"), attn::matrix64(xt::cast<double>(in.Q)));
        auto args = in.args();
        args[2] = in.dir("Q64.npy");
        REQUIRE(attnlab_run(args).exit_code == 0);
        CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(in.Q, in.K, in.V), 1e-6, 1e-5));
    }
}

TEST_CASE("attnlab compute: every bad input is one clear message and a non-zero exit", "[cli][compute]") {
    inputs in;
    const std::string good = xt::dump_npy(in.Q);
    SECTION("missing file") {
        auto args = in.args();
        args[2] = in.dir("missing.npy");
        expect_refusal(in, args, 1, "cannot open");
    }
    SECTION("a text file") {
        write_bytes(in.dir("text.npy"), "1 2 3\n4 5 6\n");
        auto args = in.args();
        args[2] = in.dir("text.npy");
        expect_refusal(in, args, 1, "not a NumPy .npy file");
    }
    SECTION("truncated data") {
        write_bytes(in.dir("short.npy"), good.substr(0, good.size() - 7));
        auto args = in.args();
        args[2] = in.dir("short.npy");
        expect_refusal(in, args, 1, "(truncated?)");
    }
    SECTION("truncated header") {
        write_bytes(in.dir("head.npy"), good.substr(0, 40));
        auto args = in.args();
        args[2] = in.dir("head.npy");
        expect_refusal(in, args, 1, "ends inside its header");
    }
    SECTION("wrong dtype: int32") {
        xt::dump_npy(in.dir("int.npy"), xt::xtensor<std::int32_t, 2>(xt::ones<std::int32_t>({6, 8})));
        auto args = in.args();
        args[2] = in.dir("int.npy");
        expect_refusal(in, args, 1, "dtype is '<i4'; attention takes float32");
    }
    SECTION("wrong rank") {
        xt::dump_npy(in.dir("vec.npy"), xt::xtensor<float, 1>(xt::ones<float>({8})));
        auto args = in.args();
        args[2] = in.dir("vec.npy");
        expect_refusal(in, args, 1, "has shape (8,); it must be a matrix");
    }
    SECTION("mismatched shapes name both") {
        auto args = in.args("K.npy", "Vs.npy");
        expect_refusal(in, args, 1, "K is (9, 8) but V is (6, 4)");
    }
    SECTION("NaN and inf inputs") {
        attn::matrix bad = in.Q;
        bad(3, 5) = std::numeric_limits<float>::quiet_NaN();
        xt::dump_npy(in.dir("nan.npy"), bad);
        auto args = in.args();
        args[2] = in.dir("nan.npy");
        expect_refusal(in, args, 1, "element (3, 5) is nan");
        bad(3, 5) = -std::numeric_limits<float>::infinity();
        xt::dump_npy(in.dir("nan.npy"), bad);
        expect_refusal(in, args, 1, "element (3, 5) is -inf");
    }
    SECTION("float64 beyond float32's range") {
        attn::matrix64 big = xt::cast<double>(in.Q);
        big(0, 0) = 1e300;
        xt::dump_npy(in.dir("big.npy"), big);
        auto args = in.args();
        args[2] = in.dir("big.npy");
        expect_refusal(in, args, 1, "beyond float32's range");
    }
    SECTION("scores that overflow float32") {
        xt::dump_npy(in.dir("huge.npy"), attn::matrix(xt::ones<float>({6, 8}) * 1e30f));
        auto args = in.args();
        args[2] = in.dir("huge.npy");
        args[4] = in.dir("huge.npy");
        args[6] = in.dir("huge.npy");
        expect_refusal(in, args, 1, "scores could overflow float32");
        args.insert(args.end(), {"--kernel", "reference"});
        expect_refusal(in, args, 1, "reference: scores could overflow float32");
    }
    SECTION("heads that do not divide d") {
        auto args = in.args();
        args.insert(args.end(), {"--heads", "3"});
        expect_refusal(in, args, 1, "--heads 3 must divide d_k = 8 and d_v = 4");
    }
    SECTION("a mask of the wrong shape or type") {
        xt::dump_npy(in.dir("M.npy"), xt::xtensor<bool, 2>(xt::ones<bool>({6, 8})));
        auto args = in.args();
        args.insert(args.end(), {"--mask", in.dir("M.npy"), "--kernel", "reference"});
        expect_refusal(in, args, 1, "the mask is (6, 8) but Q·Kᵀ is (6, 9)");
        xt::dump_npy(in.dir("M.npy"), attn::matrix(xt::ones<float>({6, 9})));
        expect_refusal(in, args, 1, "a mask is bool ('|b1') or uint8");
    }
    SECTION("sizes beyond the memory available are refused before anything is read") {
        // 100 000 keys of width 1: tiny files, but the reference kernel's score matrices need 130 GiB.
        const attn::matrix long_seq = xt::ones<float>({100000, 1});
        xt::dump_npy(in.dir("long.npy"), long_seq);
        expect_refusal(in,
                       {"compute", "--q", in.dir("long.npy"), "--k", in.dir("long.npy"), "--v", in.dir("long.npy"),
                        "--out", in.dir("O.npy"), "--kernel", "reference"},
                       1, "of memory is available; --kernel simd needs memory linear in n");
    }
    SECTION("an output folder that does not exist") {
        auto args = in.args();
        args[8] = in.dir("no/such/folder/O.npy");
        expect_refusal(in, args, 1, "cannot write");
    }
    SECTION("usage errors exit with 2") {
        expect_refusal(in, {"compute", "--q", in.dir("Q.npy")}, 2, "compute needs --k FILE");
        auto args = in.args();
        args.insert(args.end(), {"--kernel", "fast"});
        expect_refusal(in, args, 2, "--kernel is one of decode, sparse, simd, tiled, online, naive, reference");
        args = in.args();
        args.insert(args.end(), {"--window", "0"});
        expect_refusal(in, args, 2, "--window takes a whole number from 1");
        args = in.args();
        args.insert(args.end(), {"--scale", "nan"});
        expect_refusal(in, args, 2, "--scale takes a finite number greater than 0");
        args = in.args();
        args.insert(args.end(), {"--mask", in.dir("Q.npy")});
        expect_refusal(in, args, 2, "--mask needs --kernel sparse or reference");
    }
}

TEST_CASE("npy reader: headers numpy writes in other forms load the same", "[cli][npy]") {
    const attn::matrix Q = random_matrix(3, 5, 7);
    const std::string bytes = xt::dump_npy(Q);
    const attnlab::npy::header h = attnlab::npy::parse_header(bytes, "Q");
    CHECK(h.descr == "<f4");
    CHECK(h.shape == std::vector<std::size_t>{3, 5});
    SECTION("version 2.0, double quotes, keys in another order, Fortran order") {
        // The same matrix stored column by column, as numpy does for a Fortran-ordered array.
        std::string data;
        for (std::size_t j = 0; j < 5; ++j)
            for (std::size_t i = 0; i < 3; ++i) data.append(reinterpret_cast<const char*>(&Q(i, j)), 4);
        const std::string dict = "{\"shape\": (3, 5), \"fortran_order\": True, \"descr\": \"<f4\"}   \n";
        std::string file("\x93NUMPY\x02\x00", 8);
        for (int b = 0; b < 4; ++b) file += char((dict.size() >> (8 * b)) & 0xff);
        file += dict + data;
        CHECK_THAT(attnlab::npy::load_matrix(file, "F"), AllClose(oracle::to64(Q), 0, 0));
    }
    SECTION("a header longer than 127 bytes (xnpy alone would misread its length)") {
        std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 5), }";
        dict.append(182 - dict.size() - 1, ' ');
        dict += '\n';
        std::string file("\x93NUMPY\x01\x00", 8);
        file += char(dict.size() & 0xff);
        file += char(dict.size() >> 8);
        file += dict + bytes.substr(attnlab::npy::parse_header(bytes, "Q").data_offset);
        CHECK_THAT(attnlab::npy::load_matrix(file, "long header"), AllClose(oracle::to64(Q), 0, 0));
    }
    SECTION("malformed headers are npy_errors, not crashes") {
        for (const std::string& dict :
             {std::string("{}\n"), std::string("{'descr': '<f4'}\n"),
              std::string("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (3, 5)}\n"),
              std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 5)"),
              std::string("{'descr': 'O', 'fortran_order': False, 'shape': (3, 5)}\n"),
              std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 5)}\n")}) {
            std::string file("\x93NUMPY\x01\x00", 8);
            file += char(dict.size() & 0xff);
            file += char(dict.size() >> 8);
            file += dict;
            INFO(dict);
            CHECK_THROWS_AS(attnlab::npy::load_matrix(file, "bad"), attnlab::npy::npy_error);
        }
    }
}

namespace {

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Names in `dir` other than the ones given: leftovers such as a temporary file.
std::vector<std::string> strays(const fs::path& dir, const std::vector<std::string>& expected) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (std::find(expected.begin(), expected.end(), name) == expected.end()) out.push_back(name);
    }
    return out;
}

}  // namespace

TEST_CASE("attnlab compute never destroys an input: --out naming one is refused, by path or identity",
          "[cli][compute][files]") {
    inputs in;
    const std::string q_before = file_bytes(in.dir("Q.npy")), k_before = file_bytes(in.dir("K.npy"));
    fs::create_symlink(in.dir("Q.npy"), in.dir("Q-link.npy"));
    fs::create_hard_link(in.dir("K.npy"), in.dir("K-hard.npy"));
    struct named {
        std::string out, message;
    };
    for (const named& c :
         {named{in.dir("Q.npy"), "is the same file as --q"}, named{in.dir("./Q.npy"), "is the same file as --q"},
          named{in.dir("../") + in.dir.dir.filename().string() + "/V.npy", "is the same file as --v"},
          named{in.dir("Q-link.npy"), "is the same file as --q"},
          named{in.dir("K-hard.npy"), "is the same file as --k"}}) {
        INFO("--out " << c.out);
        auto args = in.args();
        args[8] = c.out;
        const attnlab::run_result r = attnlab_run(args);
        INFO(r.output);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.output, Catch::Contains(c.message) && Catch::Contains("would destroy your input"));
        CHECK(file_bytes(in.dir("Q.npy")) == q_before);
        CHECK(file_bytes(in.dir("K.npy")) == k_before);
    }
    SECTION("the mask counts as an input too") {
        xt::dump_npy(in.dir("M.npy"), xt::xtensor<bool, 2>(xt::ones<bool>({6, 9})));
        const std::string m_before = file_bytes(in.dir("M.npy"));
        auto args = in.args();
        args[8] = in.dir("M.npy");
        args.insert(args.end(), {"--mask", in.dir("M.npy"), "--kernel", "reference"});
        const attnlab::run_result r = attnlab_run(args);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.output, Catch::Contains("is the same file as --mask"));
        CHECK(file_bytes(in.dir("M.npy")) == m_before);
    }
    SECTION("an existing output that is not an input is replaced whole, and a symlink is replaced, not followed") {
        write_bytes(in.dir("O.npy"), "an old output");
        write_bytes(in.dir("elsewhere.txt"), "keep me");
        fs::create_symlink(in.dir("elsewhere.txt"), in.dir("O-link.npy"));
        REQUIRE(attnlab_run(in.args()).exit_code == 0);
        CHECK_THAT(read_output(in.dir("O.npy")), AllClose(oracle::attention(in.Q, in.K, in.V), 1e-6, 1e-5));
        auto args = in.args();
        args[8] = in.dir("O-link.npy");
        REQUIRE(attnlab_run(args).exit_code == 0);
        CHECK(file_bytes(in.dir("elsewhere.txt")) == "keep me");
        CHECK_FALSE(fs::is_symlink(in.dir("O-link.npy")));
        CHECK(strays(in.dir.dir, {"Q.npy", "K.npy", "V.npy", "Ks.npy", "Vs.npy", "Q-link.npy", "K-hard.npy", "O.npy",
                                  "elsewhere.txt", "O-link.npy"})
                  .empty());
    }
}

TEST_CASE("attnlab compute killed midway leaves no partial output, and an old output whole", "[cli][compute][files]") {
    // One run is timed whole (3000 queries and keys, an O of 3000 × 512 floats, 6 MiB to write),
    // then others are killed at fractions of that time, from the start through the write: whenever
    // a run dies, O.npy is either the old file, untouched, or the complete new one, and no
    // temporary file is left behind.
    scratch dir;
    xt::dump_npy(dir("Q.npy"), random_matrix(3000, 64, 1));
    xt::dump_npy(dir("K.npy"), random_matrix(3000, 64, 2));
    xt::dump_npy(dir("V.npy"), random_matrix(3000, 512, 3));
    const std::string old = "the previous output, which a failed run must leave alone";
    const std::vector<std::string> argv{ATTNLAB_BINARY, "compute", "--q",        dir("Q.npy"), "--k",
                                        dir("K.npy"),   "--v",     dir("V.npy"), "--out",      dir("O.npy")};
    // Starts the run; with delay_us ≥ 0 sends `sig` after that long. Returns the wait status.
    auto run = [&](long delay_us, int sig) {
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            const int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            dup2(devnull, 2);
            execv(args[0], args.data());
            _exit(127);
        }
        if (delay_us >= 0) {
            usleep(useconds_t(delay_us));
            kill(pid, sig);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        return status;
    };
    const auto t0 = std::chrono::steady_clock::now();
    const int whole = run(-1, 0);
    const long T = long(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    REQUIRE((WIFEXITED(whole) && WEXITSTATUS(whole) == 0));
    int killed = 0;
    for (double f : {0.02, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98, 1.0, 1.05}) {
        const int sig = killed % 2 ? SIGINT : SIGTERM;
        write_bytes(dir("O.npy"), old);
        const int status = run(long(f * double(T)), sig);
        INFO("signal " << sig << " after " << f << " of " << T << " µs");
        if (WIFSIGNALED(status)) {
            ++killed;
            CHECK(WTERMSIG(status) == sig);
        } else {
            CHECK(WEXITSTATUS(status) == 0);
        }
        if (file_bytes(dir("O.npy")) != old) {
            const attn::matrix64 O = read_output(dir("O.npy"));
            CHECK((O.shape(0) == 3000 && O.shape(1) == 512));
        }
        CHECK(strays(dir.dir, {"Q.npy", "K.npy", "V.npy", "O.npy"}).empty());
    }
    CHECK(killed > 0);  // the test interrupted real runs, not only finished ones
}
