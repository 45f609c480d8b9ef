// Overhead of the SystemC/TLM-2.0 binding against native pesim
// (docs/systemc.md, "Benchmark"): AlexNet CONV1-5 at batch 4 on eyeriss-v1,
// each layer mapped once by the dataflow's mapper (as pesim run maps it; not
// timed) and simulated by the event engine with that mapping, natively and
// through the binding (REG_MAPPING) in the LT and AT styles with a memory
// target timed like pesim's DRAM. Median of 3 runs of the five
// layers; the cycles must agree. Run by hand: build/bench/bench_systemc [df...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "pesim_sc.h"

using namespace sc_core;
using namespace pesim_sc;

namespace {

constexpr int RUNS = 3;
const char *const LAYERS[] = {"CONV1", "CONV2", "CONV3", "CONV4", "CONV5"};

double now_s()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct pesim_arch arch;
struct pesim_workload wl;
std::vector<const char *> dfs;
std::vector<struct pesim_mapping> maps; // per dataflow x layer
std::vector<uint32_t> handles[2];        // their handles in the LT and AT modules

struct bench : sc_module {
    tlm_utils::simple_initiator_socket<bench, 32> bus_lt{"bus_lt"}, bus_at{"bus_at"};
    sc_in<bool> irq_lt{"irq_lt"}, irq_at{"irq_at"};
    std::vector<double> secs[2]; // per dataflow x run, LT and AT
    std::vector<uint64_t> cycles[2];
    explicit bench(sc_module_name n) : sc_module(n)
    {
        SC_HAS_PROCESS(bench);
        SC_THREAD(main);
    }
    void write(tlm_utils::simple_initiator_socket<bench, 32> &s, uint32_t addr, uint32_t v)
    {
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_WRITE_COMMAND);
        t.set_address(addr);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        t.set_data_length(4);
        t.set_streaming_width(4);
        sc_time d = SC_ZERO_TIME;
        s->b_transport(t, d);
        if (t.get_response_status() != tlm::TLM_OK_RESPONSE)
            std::abort();
    }
    void main()
    {
        for (int st = 0; st < 2; st++) {
            auto &s = st ? bus_at : bus_lt;
            sc_in<bool> &irq = st ? irq_at : irq_lt;
            write(s, REG_ARCH, 1);
            write(s, REG_WORKLOAD, 1);
            write(s, REG_IRQ_ENABLE, 1);
            for (const char *const &df : dfs) {
                size_t dfi = 0;
                while (std::strcmp(pesim_df_name(pesim_df_get(dfi)), df))
                    dfi++;
                write(s, REG_DATAFLOW, static_cast<uint32_t>(dfi));
                for (int run = 0; run < RUNS; run++) {
                    double t0 = now_s();
                    uint64_t total = 0;
                    for (uint32_t layer = 0; layer < 5; layer++) {
                        write(s, REG_LAYER, layer);
                        write(s, REG_MAPPING, handles[st][(&df - &dfs[0]) * 5 + layer]);
                        write(s, REG_CTRL, CTRL_START);
                        while (!irq.read())
                            wait(irq.posedge_event());
                        write(s, REG_IRQ_STATUS, 1);
                        wait(SC_ZERO_TIME); // the line drops in the next delta
                        total += result_cycles(st);
                    }
                    secs[st].push_back(now_s() - t0);
                    cycles[st].push_back(total);
                }
            }
        }
        sc_stop();
    }
    accelerator *acc[2] = {nullptr, nullptr};
    uint64_t result_cycles(int st) { return acc[st]->result().cycles; }
};

} // namespace

int sc_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        dfs.push_back(argv[i]);
    if (dfs.empty())
        dfs = {"ws", "rs"};
    pesim_diags *d = pesim_diags_create();
    if (pesim_arch_load("eyeriss-v1", &arch, d) || pesim_workload_load("alexnet", &wl, d) ||
        pesim_workload_select(&wl, "CONV1:CONV5", d) || pesim_workload_set_batch(&wl, 4, d)) {
        pesim_diags_print(d, stderr);
        return 2;
    }
    // the mappings, once (layer i of the selection is LAYERS[i])
    for (const char *df : dfs)
        for (size_t i = 0; i < 5; i++) {
            struct pesim_mapping m;
            if (std::strcmp(wl.layers[i].name, LAYERS[i]) ||
                pesim_sim_map(pesim_df_find(df), &arch, &wl.layers[i], PESIM_OBJECTIVE_LATENCY,
                              PESIM_ENGINE_EVENT, &m, d))
                return 1;
            maps.push_back(m);
        }
    // native: the same calls the binding makes, without SystemC
    std::vector<double> native_s;
    std::vector<uint64_t> native_c;
    for (size_t k = 0; k < dfs.size(); k++)
        for (int run = 0; run < RUNS; run++) {
            double t0 = now_s();
            uint64_t total = 0;
            for (size_t i = 0; i < 5; i++) {
                struct pesim_layer_result r;
                if (pesim_sim_layer_engine(&arch, &wl.layers[i], &maps[k * 5 + i],
                                           PESIM_ENGINE_EVENT, "b", &r, d))
                    return 1;
                total += r.cycles;
            }
            native_s.push_back(now_s() - t0);
            native_c.push_back(total);
        }
    pesim_diags_destroy(d);

    sc_time period(1e6 / arch.clock_mhz, SC_PS);
    double bpc = pesim_arch_dram_bytes_per_cycle(&arch);
    accelerator lt("lt", style::lt), at("at", style::at);
    memory mem_lt("mem_lt", period, bpc, arch.dram.latency_cycles, 1ull << 32);
    memory mem_at("mem_at", period, bpc, arch.dram.latency_cycles, 1ull << 32);
    bench b("bench");
    sc_signal<bool> irq_lt("irq_lt"), irq_at("irq_at");
    lt.dram.bind(mem_lt.port);
    at.dram.bind(mem_at.port);
    b.bus_lt.bind(lt.regs);
    b.bus_at.bind(at.regs);
    lt.irq(irq_lt);
    at.irq(irq_at);
    b.irq_lt(irq_lt);
    b.irq_at(irq_at);
    b.acc[0] = &lt;
    b.acc[1] = &at;
    for (int st = 0; st < 2; st++) {
        accelerator *a = st ? &at : &lt;
        a->add_arch(arch);
        a->add_workload(wl);
        for (const struct pesim_mapping &m : maps)
            handles[st].push_back(a->add_mapping(m));
    }
    sc_start();

    std::printf("AlexNet CONV1-5, batch 4, eyeriss-v1, median of %d (seconds for the 5 layers)\n",
                RUNS);
    std::printf("%-4s %12s %10s %10s %10s %8s %8s %s\n", "df", "cycles", "native", "LT", "AT",
                "LT/nat", "AT/nat", "cycles");
    int bad = 0;
    for (size_t k = 0; k < dfs.size(); k++) {
        auto slice = [&](const std::vector<double> &v) {
            return median(std::vector<double>(v.begin() + k * RUNS, v.begin() + (k + 1) * RUNS));
        };
        double n = slice(native_s), l = slice(b.secs[0]), a = slice(b.secs[1]);
        uint64_t c = native_c[k * RUNS];
        bool same = b.cycles[0][k * RUNS] == c && b.cycles[1][k * RUNS] == c;
        bad += !same;
        std::printf("%-4s %12llu %10.4f %10.4f %10.4f %8.2f %8.2f %s\n", dfs[k],
                    (unsigned long long)c, n, l, a, l / n, a / n, same ? "equal" : "DIFFER");
    }
    std::printf("DRAM transactions in the last layer: LT %llu, AT %llu\n",
                (unsigned long long)lt.transactions(), (unsigned long long)at.transactions());
    pesim_workload_free(&wl);
    return bad ? 1 : 0;
}
