// Example virtual platform (docs/systemc.md): a CPU drives two pesim
// accelerators through their registers. Accelerator A has a memory timed
// exactly like eyeriss-v1's DRAM model: its cycles equal
//   pesim run --arch eyeriss-v1 --workload alexnet --layer CONV1 --dataflow rs
// Accelerator B shares a memory half as fast, with 100 more cycles of read
// latency, with the CPU's own traffic: it stalls on DRAM.
//
// usage: pesim-sc-platform [--style lt|at] [--dataflow NAME] [--layer NAME]
#include <cstdio>
#include <cstring>
#include <string>

#include "driver.h"

using namespace sc_core;
using namespace pesim_sc;

namespace {

struct cpu : sc_module {
    driver_port bus_a{"bus_a"}, bus_b{"bus_b"};
    tlm_utils::simple_initiator_socket<cpu, 64> mem{"mem"};
    sc_in<bool> irq_a{"irq_a"}, irq_b{"irq_b"};
    uint32_t arch = 0, wl = 0, layer = 0, df = 0;
    uint64_t cycles_a = 0, cycles_b = 0, traffic_bytes = 0;

    explicit cpu(sc_module_name n) : sc_module(n)
    {
        SC_HAS_PROCESS(cpu);
        SC_THREAD(main);
    }

    void start(driver_port &bus)
    {
        bus.write(REG_ARCH, arch);
        bus.write(REG_WORKLOAD, wl);
        bus.write(REG_LAYER, layer);
        bus.write(REG_DATAFLOW, df);
        bus.write(REG_MAPPING, 0); // the dataflow's mapper
        bus.write(REG_IRQ_ENABLE, 1);
        bus.write(REG_CTRL, CTRL_START);
    }

    void main()
    {
        start(bus_a);
        start(bus_b);
        // Other work until accelerator B is done: read 64 bytes from the
        // shared memory, compute for 20 ns, again (loosely timed, with
        // temporal decoupling).
        tlm_utils::tlm_quantumkeeper qk;
        qk.reset();
        unsigned char buf[64];
        while (!irq_b.read()) {
            tlm::tlm_generic_payload t;
            t.set_command(tlm::TLM_READ_COMMAND);
            t.set_address(0x30000000 + (traffic_bytes % (1 << 20)));
            t.set_data_ptr(buf);
            t.set_data_length(64);
            t.set_streaming_width(64);
            t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_time d = qk.get_local_time();
            mem->b_transport(t, d); // the CPU waits for its data, then works 20 ns
            traffic_bytes += 64;
            qk.set(d + sc_time(20, SC_NS));
            if (qk.need_sync())
                qk.sync();
            if (irq_a.read() && !cycles_a)
                cycles_a = bus_a.cycles();
        }
        if (!cycles_a) {
            while (!irq_a.read())
                wait(irq_a.posedge_event());
            cycles_a = bus_a.cycles();
        }
        cycles_b = bus_b.cycles();
        sc_stop();
    }
};

size_t dataflow_index(const char *name)
{
    for (size_t i = 0; i < pesim_df_count(); i++)
        if (std::strcmp(pesim_df_name(pesim_df_get(i)), name) == 0)
            return i;
    return pesim_df_count();
}

} // namespace

int sc_main(int argc, char **argv)
{
    style s = style::lt;
    const char *df_name = "rs", *layer_name = "CONV1";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--style"))
            s = std::strcmp(argv[i + 1], "at") == 0 ? style::at : style::lt;
        else if (!std::strcmp(argv[i], "--dataflow"))
            df_name = argv[i + 1];
        else if (!std::strcmp(argv[i], "--layer"))
            layer_name = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: %s [--style lt|at] [--dataflow NAME] [--layer NAME]\n",
                         argv[0]);
            return 2;
        }
    }
    struct pesim_arch arch;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    if (pesim_arch_load("eyeriss-v1", &arch, d) || pesim_workload_load("alexnet", &wl, d)) {
        pesim_diags_print(d, stderr);
        return 2;
    }
    pesim_diags_destroy(d);
    size_t layer = 0;
    while (layer < wl.count && std::strcmp(wl.layers[layer].name, layer_name))
        layer++;
    size_t df = dataflow_index(df_name);
    if (layer == wl.count || df == pesim_df_count()) {
        std::fprintf(stderr, "no layer %s or dataflow %s\n", layer_name, df_name);
        return 2;
    }

    sc_time period(1e6 / arch.clock_mhz, SC_PS);
    double bpc = pesim_arch_dram_bytes_per_cycle(&arch);
    accelerator acc_a("acc_a", s), acc_b("acc_b", s);
    memory mem_a("mem_a", period, bpc, arch.dram.latency_cycles, 1ull << 32);
    memory mem_b("mem_b", period, bpc, arch.dram.latency_cycles, 1ull << 32);
    mem_b.set_slowdown(2);
    mem_b.set_extra_latency(100);
    cpu host("cpu");
    sc_signal<bool> irq_a("irq_a"), irq_b("irq_b");
    acc_a.dram.bind(mem_a.port);
    acc_b.dram.bind(mem_b.port);
    host.mem.bind(mem_b.other);
    host.bus_a.bind(acc_a.regs);
    host.bus_b.bind(acc_b.regs);
    acc_a.irq(irq_a);
    acc_b.irq(irq_b);
    host.irq_a(irq_a);
    host.irq_b(irq_b);
    host.arch = acc_a.add_arch(arch);
    acc_b.add_arch(arch);
    host.wl = acc_a.add_workload(wl);
    acc_b.add_workload(wl);
    host.layer = static_cast<uint32_t>(layer);
    host.df = static_cast<uint32_t>(df);

    sc_start();

    // The same layer natively, for comparison.
    struct pesim_mapping map;
    struct pesim_layer_result native;
    d = pesim_diags_create();
    int rc = pesim_sim_map(pesim_df_get(df), &arch, &wl.layers[layer], PESIM_OBJECTIVE_LATENCY,
                           PESIM_ENGINE_EVENT, &map, d);
    if (!rc)
        rc = pesim_sim_layer_engine(&arch, &wl.layers[layer], &map, PESIM_ENGINE_EVENT, "native",
                                    &native, d);
    pesim_diags_print(d, stderr);
    pesim_diags_destroy(d);
    if (rc || !acc_a.has_result() || !acc_b.has_result())
        return 1;
    const struct pesim_layer_result &a = acc_a.result(), &b = acc_b.result();
    std::printf("pesim SystemC platform: eyeriss-v1, alexnet %s, dataflow %s, %s\n", layer_name,
                df_name, s == style::lt ? "LT (b_transport, quantum 1 us)" : "AT (4-phase)");
    std::printf("A  memory like pesim's DRAM model:  cycles %llu  (native pesim: %llu, %s)\n",
                (unsigned long long)a.cycles, (unsigned long long)native.cycles,
                a.cycles == native.cycles ? "equal" : "DIFFERENT");
    std::printf("   DRAM transactions %llu, stalls dram_bandwidth %llu dram_latency %llu\n",
                (unsigned long long)acc_a.transactions(),
                (unsigned long long)a.stalls[PESIM_STALL_DRAM_BANDWIDTH],
                (unsigned long long)a.stalls[PESIM_STALL_DRAM_LATENCY]);
    std::printf("B  memory half as fast, +100 cycles latency, shared with the CPU:  cycles %llu "
                "(+%.1f%%)\n",
                (unsigned long long)b.cycles,
                100.0 * ((double)b.cycles - (double)a.cycles) / (double)a.cycles);
    std::printf("   stalls dram_bandwidth %llu dram_latency %llu; CPU read %llu bytes meanwhile\n",
                (unsigned long long)b.stalls[PESIM_STALL_DRAM_BANDWIDTH],
                (unsigned long long)b.stalls[PESIM_STALL_DRAM_LATENCY],
                (unsigned long long)host.traffic_bytes);
    std::printf("registers: A CYCLES %llu, B CYCLES %llu; SystemC time at the end %s\n",
                (unsigned long long)host.cycles_a, (unsigned long long)host.cycles_b,
                sc_time_stamp().to_string().c_str());
    pesim_workload_free(&wl);
    return a.cycles == native.cycles && host.cycles_a == a.cycles ? 0 : 1;
}
