// Kernel microbenchmarks (Google Benchmark): every kernel of every ISA this
// CPU runs, at the seed networks' shapes at batch 64 and at 512^3, beside
// OpenBLAS cblas_sgemm on one thread and on all threads.
//
// Before the benchmarks run, main() measures each ISA's FMA peak on one core
// (median of 7 runs of its fma_peak kernel); every sgemm row then carries
// GFLOPS (2 m n k per call) and peak_frac, its fraction of that peak.
// The convolutions count 2 FLOPs per multiply-add of the convolution and
// report peak_frac the same way.
// Elementwise kernels report GFLOPS by the FLOPs per element stated in
// elementwise_ops below, and GB/s of memory traffic.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" {
#include "kernels/kernels.h"
}

namespace {

// FMA peak per ISA, GFLOP/s on one core, measured in main().
std::map<std::string, double> peak_gflops;

struct GemmShape {
    gemm_layout layout;
    int m, n, k;
    const char *what;
};

// The seed networks' dense layers at batch 64: Dense(784 -> 3136) of the
// first network and Dense(784 -> 784) of the skip connection, forward (NN),
// input gradient (NT) and weight gradient (TN); and the 512^3 reference.
const GemmShape gemm_shapes[] = {
    {GEMM_NN, 64, 3136, 784, "dense784x3136_fwd"},
    {GEMM_NT, 64, 784, 3136, "dense784x3136_dx"},
    {GEMM_TN, 784, 3136, 64, "dense784x3136_dw"},
    {GEMM_NN, 64, 784, 784, "dense784x784_fwd"},
    {GEMM_NT, 64, 784, 784, "dense784x784_dx"},
    {GEMM_TN, 784, 784, 64, "dense784x784_dw"},
    {GEMM_NN, 512, 512, 512, "square512_NN"},
    {GEMM_NT, 512, 512, 512, "square512_NT"},
    {GEMM_TN, 512, 512, 512, "square512_TN"},
};

struct Aligned {
    void operator()(float *p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float[], Aligned>;

Buffer make_buffer(size_t n, float value)
{
    size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    Buffer b(static_cast<float *>(std::aligned_alloc(64, bytes)));
    if (!b) {
        std::fprintf(stderr, "bench: out of memory allocating %zu bytes\n", bytes);
        std::exit(1);
    }
    for (size_t i = 0; i < n; i++)
        b[i] = value + 1e-3f * static_cast<float>(i % 97);
    return b;
}

// Operand sizes of a shape in its layout (row-major, tightly packed).
void operand_dims(const GemmShape &s, int *lda, int *ldb, size_t *a_size, size_t *b_size)
{
    *lda = s.layout == GEMM_TN ? s.m : s.k;
    *ldb = s.layout == GEMM_NT ? s.k : s.n;
    *a_size = static_cast<size_t>(s.m) * s.k;
    *b_size = static_cast<size_t>(s.k) * s.n;
}

void set_flop_counters(benchmark::State &state, double flops_per_call, double peak)
{
    double flops = flops_per_call * static_cast<double>(state.iterations());
    state.counters["GFLOPS"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
    if (peak > 0)
        state.counters["peak_frac"] = benchmark::Counter(flops * 1e-9 / peak, benchmark::Counter::kIsRate);
}

void set_gemm_counters(benchmark::State &state, const GemmShape &s, double peak)
{
    set_flop_counters(state, 2.0 * s.m * s.n * s.k, peak);
}

void bench_sgemm(benchmark::State &state, const kernels *k, GemmShape s)
{
    int lda, ldb;
    size_t a_size, b_size;
    operand_dims(s, &lda, &ldb, &a_size, &b_size);
    Buffer a = make_buffer(a_size, 0.5f), b = make_buffer(b_size, -0.25f);
    Buffer c = make_buffer(static_cast<size_t>(s.m) * s.n, 0.0f);
    for (auto _ : state) {
        k->sgemm(s.layout, s.m, s.n, s.k, a.get(), lda, b.get(), ldb, c.get(), s.n, 0, nullptr,
                 ACTIVATION_NONE);
        benchmark::DoNotOptimize(c.get());
        benchmark::ClobberMemory();
    }
    set_gemm_counters(state, s, peak_gflops[k->isa]);
}

// OpenBLAS on the same shape; threads = 1 or all. Its fraction is of the
// widest ISA's one-core peak times the thread count.
void bench_openblas(benchmark::State &state, GemmShape s, int threads, double peak)
{
    int lda, ldb;
    size_t a_size, b_size;
    operand_dims(s, &lda, &ldb, &a_size, &b_size);
    Buffer a = make_buffer(a_size, 0.5f), b = make_buffer(b_size, -0.25f);
    Buffer c = make_buffer(static_cast<size_t>(s.m) * s.n, 0.0f);
    openblas_set_num_threads(threads);
    CBLAS_TRANSPOSE ta = s.layout == GEMM_TN ? CblasTrans : CblasNoTrans;
    CBLAS_TRANSPOSE tb = s.layout == GEMM_NT ? CblasTrans : CblasNoTrans;
    for (auto _ : state) {
        cblas_sgemm(CblasRowMajor, ta, tb, s.m, s.n, s.k, 1.0f, a.get(), lda, b.get(), ldb, 0.0f, c.get(), s.n);
        benchmark::DoNotOptimize(c.get());
        benchmark::ClobberMemory();
    }
    set_gemm_counters(state, s, peak * threads);
}

// Convolution layers at batch 64, each direction under its kernel's name
// (conv_transpose2d, conv_transpose2d_backward_data,
// conv_transpose2d_backward_weights; conv2d and its two likewise): the
// seed networks' Conv2DTranspose layers, and the
// Conv2D layers of the Keras-example U-Net at MNIST size (widths 32, 64, 96
// at 28x28, 14x14, 7x7; 3x3 in the residual blocks, whose inputs on the up
// path are the concatenation of the upsampled path and a skip; 1x1 for the
// residual width changes, the image's entry and the output). FLOPs: 2 per
// multiply-add of the convolution, B H W Cin Cout taps (H W of the input of
// a transposed convolution). Beside each, OpenBLAS on one thread runs the
// GEMM of the im2col formulation with the same FLOPs: forward and
// backward-data NN (pixels x taps*channels times taps*channels x
// channels), backward-weights TN.
struct ConvCase {
    bool transposed;
    conv_transpose2d_shape conv_transpose2d;  // when transposed
    conv2d_shape conv2d;                      // otherwise
    const char *what;                         // the sizes, as the training step's profile writes them
};

const ConvCase conv_cases[] = {
    {true, {64, 7, 7, 64, 64, 2}, {}, "7x7x64_to_14x14x64"},
    {true, {64, 14, 14, 64, 32, 2}, {}, "14x14x64_to_28x28x32"},
    {true, {64, 28, 28, 32, 1, 1}, {}, "28x28x32_to_28x28x1"},
    {false, {}, {64, 28, 28, 64, 32, 3}, "3x3_28x28x64_to_32"},
    {false, {}, {64, 28, 28, 32, 32, 3}, "3x3_28x28x32_to_32"},
    {false, {}, {64, 28, 28, 96, 32, 3}, "3x3_28x28x96_to_32"},
    {false, {}, {64, 14, 14, 32, 64, 3}, "3x3_14x14x32_to_64"},
    {false, {}, {64, 14, 14, 64, 64, 3}, "3x3_14x14x64_to_64"},
    {false, {}, {64, 14, 14, 160, 64, 3}, "3x3_14x14x160_to_64"},
    {false, {}, {64, 7, 7, 64, 96, 3}, "3x3_7x7x64_to_96"},
    {false, {}, {64, 7, 7, 96, 96, 3}, "3x3_7x7x96_to_96"},
    {false, {}, {64, 28, 28, 64, 32, 1}, "1x1_28x28x64_to_32"},
    {false, {}, {64, 14, 14, 160, 64, 1}, "1x1_14x14x160_to_64"},
    {false, {}, {64, 28, 28, 1, 32, 1}, "1x1_28x28x1_to_32"},
    {false, {}, {64, 28, 28, 32, 1, 1}, "1x1_28x28x32_to_1"},
};
// The kernel of each direction: forward, backward-data, backward-weights.
const char *const conv_transpose2d_kernels[] = {"conv_transpose2d", "conv_transpose2d_backward_data",
                                                "conv_transpose2d_backward_weights"};
const char *const conv2d_kernels[] = {"conv2d", "conv2d_backward_data", "conv2d_backward_weights"};

// The sizes every direction works on: input pixels, channels in and out, taps.
struct ConvDims {
    size_t pixels, in_c, out_c, taps, out_pixels;
};

ConvDims conv_dims(const ConvCase &c)
{
    if (c.transposed) {
        const conv_transpose2d_shape &s = c.conv_transpose2d;
        size_t pixels = static_cast<size_t>(s.batch) * s.in_h * s.in_w;
        return {pixels, size_t(s.in_c), size_t(s.out_c), 9, pixels * s.stride * s.stride};
    }
    const conv2d_shape &s = c.conv2d;
    size_t pixels = static_cast<size_t>(s.batch) * s.height * s.width;
    return {pixels, size_t(s.in_c), size_t(s.out_c), size_t(s.kernel) * s.kernel, pixels};
}

double conv_flops(const ConvCase &c)
{
    ConvDims d = conv_dims(c);
    return 2.0 * d.pixels * d.in_c * d.out_c * d.taps;
}

void bench_conv(benchmark::State &state, const kernels *k, ConvCase c, int direction)
{
    ConvDims d = conv_dims(c);
    size_t w_size = d.taps * d.in_c * d.out_c;
    size_t workspace_size = c.transposed ? conv_transpose2d_workspace_floats(&c.conv_transpose2d)
                                         : conv2d_workspace_floats(&c.conv2d);
    Buffer x = make_buffer(d.pixels * d.in_c, 0.5f), w = make_buffer(w_size, -0.25f);
    Buffer y = make_buffer(d.out_pixels * d.out_c, 0.1f), dw = make_buffer(w_size, 0.0f);
    Buffer bias = make_buffer(d.out_c, 0.3f), workspace = make_buffer(workspace_size, 0.0f);
    for (auto _ : state) {
        if (c.transposed && direction == 0)
            k->conv_transpose2d(&c.conv_transpose2d, x.get(), w.get(), bias.get(), y.get(), workspace.get());
        else if (c.transposed && direction == 1)
            k->conv_transpose2d_backward_data(&c.conv_transpose2d, y.get(), w.get(), x.get(), workspace.get());
        else if (c.transposed)
            k->conv_transpose2d_backward_weights(&c.conv_transpose2d, x.get(), y.get(), dw.get(), 0, workspace.get());
        else if (direction == 0)
            k->conv2d(&c.conv2d, x.get(), w.get(), bias.get(), ACTIVATION_NONE, nullptr, y.get(), workspace.get());
        else if (direction == 1)
            k->conv2d_backward_data(&c.conv2d, y.get(), w.get(), x.get(), workspace.get());
        else
            k->conv2d_backward_weights(&c.conv2d, x.get(), y.get(), dw.get(), 0, workspace.get());
        benchmark::ClobberMemory();
    }
    set_flop_counters(state, conv_flops(c), peak_gflops[k->isa]);
}

// The im2col GEMM with the convolution's FLOPs (see above).
GemmShape conv_equivalent_gemm(const ConvCase &c, int direction)
{
    ConvDims d = conv_dims(c);
    int pixels = int(d.pixels), taps = int(d.taps), in_c = int(d.in_c), out_c = int(d.out_c);
    if (direction == 0)
        return {GEMM_NN, pixels, out_c, taps * in_c, c.what};
    if (direction == 1)
        return {GEMM_NN, pixels, in_c, taps * out_c, c.what};
    return {GEMM_TN, taps * in_c, out_c, pixels, c.what};
}

// Elementwise kernels on one activation tensor of the first network at batch
// 64 (64 x 7 x 7 x 64 floats). flops: arithmetic per element as written in
// ref (exp counted as one); floats: floats read + written per element.
constexpr size_t elementwise_n = 64 * 7 * 7 * 64;

struct ElementwiseOp {
    const char *name;
    double flops, floats;
    void (*run)(const kernels *k, float *x, float *y, float *z, float *w);
};

const ElementwiseOp elementwise_ops[] = {
    {"add", 1, 3, [](const kernels *k, float *x, float *y, float *z, float *) { k->add(elementwise_n, x, y, z); }},
    {"mul", 1, 3, [](const kernels *k, float *x, float *y, float *z, float *) { k->mul(elementwise_n, x, y, z); }},
    {"scale", 1, 2, [](const kernels *k, float *x, float *, float *z, float *) { k->scale(elementwise_n, 0.5f, x, z); }},
    {"relu", 1, 2, [](const kernels *k, float *x, float *, float *z, float *) { k->relu(elementwise_n, x, z); }},
    {"relu_backward", 1, 3, [](const kernels *k, float *x, float *y, float *z, float *) { k->relu_backward(elementwise_n, x, y, z); }},
    {"sigmoid", 3, 2, [](const kernels *k, float *x, float *, float *z, float *) { k->sigmoid(elementwise_n, x, z); }},
    {"sigmoid_backward", 3, 3, [](const kernels *k, float *x, float *y, float *z, float *) { k->sigmoid_backward(elementwise_n, x, y, z); }},
    {"swish", 4, 2, [](const kernels *k, float *x, float *, float *z, float *) { k->swish(elementwise_n, x, z); }},
    {"swish_backward", 7, 3, [](const kernels *k, float *x, float *y, float *z, float *) { k->swish_backward(elementwise_n, x, y, z); }},
    {"sum", 1, 1, [](const kernels *k, float *x, float *, float *z, float *) { z[0] = k->sum(elementwise_n, x); }},
    {"mae_loss", 3, 2, [](const kernels *k, float *x, float *y, float *z, float *) { z[0] = k->mae_loss(elementwise_n, x, y); }},
    {"mse_loss", 3, 2, [](const kernels *k, float *x, float *y, float *z, float *) { z[0] = k->mse_loss(elementwise_n, x, y); }},
    {"mae_loss_backward", 2, 3, [](const kernels *k, float *x, float *y, float *z, float *) { k->mae_loss_backward(elementwise_n, x, y, 1.0f, z); }},
    {"mse_loss_backward", 3, 3, [](const kernels *k, float *x, float *y, float *z, float *) { k->mse_loss_backward(elementwise_n, x, y, 1.0f, z); }},
    // AdamW: param, m, v read and written, grad read; ~16 FLOPs per element.
    {"adamw_step", 16, 7, [](const kernels *k, float *x, float *y, float *z, float *w) {
         k->adamw_step(elementwise_n, x, y, z, w, 1e-3f, ADAMW_BETA1, ADAMW_BETA2, ADAMW_EPSILON, 0.004f, 10);
     }},
    {"ema_update", 3, 3, [](const kernels *k, float *x, float *, float *z, float *) { k->ema_update(elementwise_n, 0.999f, x, z); }},
};

void bench_elementwise(benchmark::State &state, const kernels *k, const ElementwiseOp *op)
{
    Buffer x = make_buffer(elementwise_n, -0.3f), y = make_buffer(elementwise_n, 0.2f);
    Buffer z = make_buffer(elementwise_n, 0.1f), w = make_buffer(elementwise_n, 0.01f);
    for (auto _ : state) {
        op->run(k, x.get(), y.get(), z.get(), w.get());
        benchmark::ClobberMemory();
    }
    double calls = static_cast<double>(state.iterations());
    state.counters["GFLOPS"] = benchmark::Counter(calls * op->flops * elementwise_n * 1e-9, benchmark::Counter::kIsRate);
    state.counters["GB/s"] = benchmark::Counter(calls * op->floats * 4 * elementwise_n * 1e-9, benchmark::Counter::kIsRate);
}

void bench_fma_peak(benchmark::State &state, const kernels *k)
{
    float sink;
    double flops = 0;
    for (auto _ : state)
        flops += k->fma_peak(1 << 20, &sink);
    state.counters["GFLOPS"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
}

// Median of 7 timed runs of about 50 ms each; the first call calibrates.
double measure_peak(const kernels *k)
{
    float sink;
    long iterations = 1 << 16;
    auto start = std::chrono::steady_clock::now();
    k->fma_peak(iterations, &sink);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    iterations = std::max(1L, static_cast<long>(iterations * 0.05 / std::max(seconds, 1e-7)));
    std::vector<double> rates;
    for (int run = 0; run < 7; run++) {
        start = std::chrono::steady_clock::now();
        double flops = k->fma_peak(iterations, &sink);
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        rates.push_back(flops / seconds * 1e-9);
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

// Prints the usual console rows, and at the end one markdown table of the
// sgemm medians (or single runs): a row per shape, a column per ISA and
// OpenBLAS, each "GFLOP/s (fraction of peak)".
class SummaryReporter : public benchmark::ConsoleReporter {
public:
    // Colours only on a terminal, so that logs and pasted tables stay plain.
    SummaryReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Defaults : OO_Tabular) {}

    void ReportRuns(const std::vector<Run> &runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        for (const Run &run : runs) {
            bool wanted = run.run_type == Run::RT_Aggregate ? run.aggregate_name == "median" : run.repetitions <= 1;
            // kernel/shape/column: the sgemm and convolution rows (the others are kernel/isa)
            const std::string &name = run.run_name.function_name;
            if (!wanted || std::count(name.begin(), name.end(), '/') != 2)
                continue;
            size_t slash = name.rfind('/');
            std::string shape = name.substr(0, slash), column = name.substr(slash + 1);
            if (std::find(shapes_.begin(), shapes_.end(), shape) == shapes_.end())
                shapes_.push_back(shape);
            if (std::find(columns_.begin(), columns_.end(), column) == columns_.end())
                columns_.push_back(column);
            char cell[64];
            auto frac = run.counters.find("peak_frac");
            std::snprintf(cell, sizeof cell, "%.1f (%.0f%%)", static_cast<double>(run.counters.at("GFLOPS")),
                          frac == run.counters.end() ? 0.0 : 100.0 * frac->second.value);
            cells_[shape + "|" + column] = cell;
        }
    }

    void Finalize() override
    {
        ConsoleReporter::Finalize();
        if (shapes_.empty())
            return;
        std::printf("\nsgemm and convolutions, GFLOP/s (fraction of the one-core FMA peak of its ISA; OpenBLAS: of the widest ISA's, "
                    "times its threads)\n| shape |");
        for (const std::string &c : columns_)
            std::printf(" %s |", c.c_str());
        std::printf("\n|---|");
        for (size_t i = 0; i < columns_.size(); i++)
            std::printf("---|");
        std::printf("\n");
        for (const std::string &s : shapes_) {
            std::printf("| %s |", s.c_str());
            for (const std::string &c : columns_)
                std::printf(" %s |", cells_.count(s + "|" + c) ? cells_[s + "|" + c].c_str() : "");
            std::printf("\n");
        }
    }

private:
    std::vector<std::string> shapes_, columns_;
    std::map<std::string, std::string> cells_;
};

}  // namespace

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;

    int count;
    const kernels *const *available = kernels_available(&count);
    std::printf("FMA peak, one core (median of 7):\n");
    for (int i = 0; i < count; i++) {
        peak_gflops[available[i]->isa] = measure_peak(available[i]);
        std::printf("  %-7s %8.1f GFLOP/s\n", available[i]->isa, peak_gflops[available[i]->isa]);
    }
    int threads = openblas_get_num_procs();
    std::printf("OpenBLAS %s, %d threads for the all-threads rows\n", openblas_get_config(), threads);
    std::fflush(stdout);

    for (int i = 0; i < count; i++) {
        const kernels *k = available[i];
        benchmark::RegisterBenchmark((std::string("fma_peak/") + k->isa).c_str(), bench_fma_peak, k);
    }
    double widest_peak = peak_gflops[available[0]->isa];
    for (const GemmShape &s : gemm_shapes) {
        for (int i = 0; i < count; i++) {
            const kernels *k = available[i];
            benchmark::RegisterBenchmark((std::string("sgemm/") + s.what + "/" + k->isa).c_str(), bench_sgemm, k, s);
        }
        benchmark::RegisterBenchmark((std::string("sgemm/") + s.what + "/openblas_1t").c_str(), bench_openblas, s, 1,
                                     widest_peak);
        benchmark::RegisterBenchmark((std::string("sgemm/") + s.what + "/openblas_" + std::to_string(threads) + "t").c_str(),
                                     bench_openblas, s, threads, widest_peak)->UseRealTime();
    }
    // The convolutions without ref: its direct loops take seconds per call here.
    for (const ConvCase &c : conv_cases)
        for (int direction = 0; direction < 3; direction++) {
            const char *kernel = (c.transposed ? conv_transpose2d_kernels : conv2d_kernels)[direction];
            std::string name = std::string(kernel) + "/" + c.what + "/";
            for (int i = 0; i < count; i++)
                if (std::string(available[i]->isa) != "ref")
                    benchmark::RegisterBenchmark((name + available[i]->isa).c_str(), bench_conv, available[i], c, direction);
            benchmark::RegisterBenchmark((name + "openblas_1t").c_str(), bench_openblas, conv_equivalent_gemm(c, direction),
                                         1, widest_peak);
        }
    for (const ElementwiseOp &op : elementwise_ops)
        for (int i = 0; i < count; i++)
            benchmark::RegisterBenchmark((std::string(op.name) + "/" + available[i]->isa).c_str(), bench_elementwise,
                                         available[i], &op);
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
