// The binding under the SystemC kernel, in the style given as argv[1]
// ("lt" or "at"). Four accelerators run side by side, each with its own
// memory target: (a) eyeriss-v1, AlexNet CONV1, ws, a memory timed like
// pesim's DRAM model: cycles, stalls, every counter, the energy and the
// JSON equal the native run's, the transaction stream's bytes per data
// space equal the DRAM counters, the CYCLES registers and the done
// interrupt agree; (b) the same on generic-16x16 (DRAM latency 100, so
// reads overlap their latency) with AlexNet CONV2; (c) as (a) with 50
// more cycles of read latency and (d) as (b) with a memory half as fast:
// the cycles grow by exactly the growth of the DRAM stall terms; (e) as
// (a) with the rs dataflow (the example platform's; 64,536 transactions).
#include "common.h"

using namespace sc_core;
using namespace pesim_sc;

namespace {

struct subsystem {
    const char *arch_name, *layer_name, *df;
    uint64_t slowdown;
    uint32_t extra;
    struct pesim_arch arch;
    struct pesim_workload wl;
    size_t layer;
    accelerator *acc;
    memory *mem;
    sc_signal<bool> *irq;
    driver_port *bus;
    uint64_t reg_cycles = 0;
    sc_time done_at;
};

struct tb : sc_module {
    subsystem *sys;
    size_t n;
    tb(sc_module_name nm, subsystem *s, size_t count) : sc_module(nm), sys(s), n(count)
    {
        for (size_t i = 0; i < n; i++)
            sys[i].bus = new driver_port(("bus" + std::to_string(i)).c_str());
        SC_HAS_PROCESS(tb);
        SC_THREAD(main);
    }
    void main()
    {
        for (size_t i = 0; i < n; i++) {
            driver_port &b = *sys[i].bus;
            CHECK_EQ(b.read(REG_ID), ID);
            CHECK_EQ(b.write(REG_ARCH, 1), tlm::TLM_OK_RESPONSE);
            CHECK_EQ(b.write(REG_WORKLOAD, 1), tlm::TLM_OK_RESPONSE);
            CHECK_EQ(b.write(REG_LAYER, (uint32_t)sys[i].layer), tlm::TLM_OK_RESPONSE);
            CHECK_EQ(b.write(REG_DATAFLOW, (uint32_t)df_index(sys[i].df)), tlm::TLM_OK_RESPONSE);
            CHECK_EQ(b.write(REG_IRQ_ENABLE, 1), tlm::TLM_OK_RESPONSE);
            CHECK_EQ(b.write(REG_CTRL, CTRL_START), tlm::TLM_OK_RESPONSE);
            CHECK_EQ(b.read(REG_STATUS), STATUS_BUSY);
        }
        for (size_t left = n; left;) {
            wait(sc_time(1, SC_US));
            for (size_t i = 0; i < n; i++)
                if (!sys[i].reg_cycles && sys[i].irq->read()) {
                    CHECK_EQ(sys[i].bus->read(REG_STATUS), STATUS_DONE);
                    CHECK_EQ(sys[i].bus->read(REG_IRQ_STATUS), 1);
                    sys[i].reg_cycles = sys[i].bus->cycles();
                    sys[i].done_at = sc_time_stamp();
                    CHECK_EQ(sys[i].bus->write(REG_IRQ_STATUS, 1), tlm::TLM_OK_RESPONSE);
                    left--;
                }
        }
        sc_stop();
    }
};

void check_equal(subsystem &s)
{
    const struct pesim_layer_result &r = s.acc->result();
    struct pesim_layer_result n = native_run(s.arch, s.wl.layers[s.layer], s.df);
    std::printf("%s %s %s: systemc %llu cycles, native %llu, %llu transactions\n", s.arch_name,
                s.layer_name, s.df, (unsigned long long)r.cycles, (unsigned long long)n.cycles,
                (unsigned long long)s.acc->transactions());
    CHECK_EQ(r.cycles, n.cycles);
    CHECK_EQ(s.reg_cycles, n.cycles);
    CHECK(std::memcmp(r.stalls, n.stalls, sizeof r.stalls) == 0);
    CHECK(std::memcmp(&r.analysis, &n.analysis, sizeof r.analysis) == 0);
    CHECK(std::memcmp(&r.energy, &n.energy, sizeof r.energy) == 0);
    CHECK(std::memcmp(&r.mapping, &n.mapping, sizeof r.mapping) == 0);
    CHECK_EQ(r.events, n.events);
    CHECK(s.acc->json() == json_of(s.arch, s.wl, s.df, n));
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        const struct pesim_access &x = r.analysis.acc[PESIM_LEVEL_DRAM][ds];
        uint64_t wb = pesim_arch_word_bytes(&s.arch, (enum pesim_ds)ds);
        CHECK_EQ(s.acc->stream_bytes((enum pesim_ds)ds, false), x.reads * wb);
        CHECK_EQ(s.acc->stream_bytes((enum pesim_ds)ds, true), x.updates * wb);
    }
    CHECK_EQ(s.acc->transactions(), s.mem->transactions());
    // the run ended at cycle `cycles` of SystemC time (polled every 1 us)
    sc_time end = s.acc->period() * (double)r.cycles;
    CHECK(s.done_at >= end && s.done_at < end + sc_time(1, SC_US));
}

void check_slower(subsystem &s)
{
    const struct pesim_layer_result &r = s.acc->result();
    struct pesim_layer_result n = native_run(s.arch, s.wl.layers[s.layer], s.df);
    uint64_t dram_r = r.stalls[PESIM_STALL_DRAM_BANDWIDTH] + r.stalls[PESIM_STALL_DRAM_LATENCY];
    uint64_t dram_n = n.stalls[PESIM_STALL_DRAM_BANDWIDTH] + n.stalls[PESIM_STALL_DRAM_LATENCY];
    std::printf("%s %s %s, memory x%llu +%u cycles: %llu cycles (native %llu), DRAM stalls %llu "
                "(native %llu)\n",
                s.arch_name, s.layer_name, s.df, (unsigned long long)s.slowdown, s.extra,
                (unsigned long long)r.cycles, (unsigned long long)n.cycles,
                (unsigned long long)dram_r, (unsigned long long)dram_n);
    CHECK(r.cycles > n.cycles);
    CHECK_EQ(r.cycles - n.cycles, dram_r - dram_n);
    CHECK(std::memcmp(r.analysis.acc, n.analysis.acc, sizeof r.analysis.acc) == 0);
    uint64_t sum = 0;
    for (unsigned k = 0; k < PESIM_STALL_COUNT; k++)
        sum += r.stalls[k];
    CHECK_EQ(sum, r.cycles);
}

} // namespace

int sc_main(int argc, char **argv)
{
    style st = argc > 1 && std::strcmp(argv[1], "at") == 0 ? style::at : style::lt;
    subsystem sys[5] = {
        {"eyeriss-v1", "CONV1", "ws", 1, 0, {}, {}, 0, nullptr, nullptr, nullptr, nullptr, 0, SC_ZERO_TIME},
        {"generic-16x16", "CONV2", "ws", 1, 0, {}, {}, 0, nullptr, nullptr, nullptr, nullptr, 0, SC_ZERO_TIME},
        {"eyeriss-v1", "CONV1", "ws", 1, 50, {}, {}, 0, nullptr, nullptr, nullptr, nullptr, 0, SC_ZERO_TIME},
        {"generic-16x16", "CONV2", "ws", 2, 0, {}, {}, 0, nullptr, nullptr, nullptr, nullptr, 0, SC_ZERO_TIME},
        {"eyeriss-v1", "CONV1", "rs", 1, 0, {}, {}, 0, nullptr, nullptr, nullptr, nullptr, 0, SC_ZERO_TIME},
    };
    for (size_t i = 0; i < 5; i++) {
        subsystem &s = sys[i];
        load(s.arch_name, s.arch, s.wl);
        s.layer = layer_index(s.wl, s.layer_name);
        std::string k = std::to_string(i);
        s.acc = new accelerator(("acc" + k).c_str(), st, sc_time(100, SC_NS));
        s.mem = new memory(("mem" + k).c_str(), sc_time(1e6 / s.arch.clock_mhz, SC_PS),
                           pesim_arch_dram_bytes_per_cycle(&s.arch), s.arch.dram.latency_cycles,
                           1ull << 32);
        s.mem->set_slowdown(s.slowdown);
        s.mem->set_extra_latency(s.extra);
        s.irq = new sc_signal<bool>(("irq" + k).c_str());
        s.acc->dram.bind(s.mem->port);
        s.acc->irq(*s.irq);
        s.acc->add_arch(s.arch);
        s.acc->add_workload(s.wl);
    }
    tb bench("tb", sys, 5);
    for (size_t i = 0; i < 5; i++)
        sys[i].bus->bind(sys[i].acc->regs);
    sc_start();
    for (size_t i = 0; i < 5; i++)
        CHECK(sys[i].acc->has_result());
    if (!failures) {
        check_equal(sys[0]);
        check_equal(sys[1]);
        check_slower(sys[2]);
        check_slower(sys[3]);
        check_equal(sys[4]);
    }
    for (size_t i = 0; i < 5; i++)
        pesim_workload_free(&sys[i].wl);
    std::printf("%s: %d failure(s)\n", st == style::lt ? "LT" : "AT", failures);
    return failures ? 1 : 0;
}
